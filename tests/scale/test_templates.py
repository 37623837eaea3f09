"""The stack's configuration: one set of templates for the local stack and docs/deploy.md."""
from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from bot.paths import ROOT
from bot.scale import templates
from bot.scale.settings import on_free_ports


def test_deploy_doc_shows_exactly_what_the_templates_render():
    shown = templates.deploy_doc_blocks((ROOT / "docs" / "deploy.md").read_text("utf-8"))
    expected = templates.deploy_blocks()
    assert set(shown) == set(expected), "a generated block is missing from docs/deploy.md"
    for name, block in expected.items():
        assert shown[name].strip() == block.strip(), f"docs/deploy.md is out of date: python -m bot.scale docs ({name})"


def test_local_nginx_uses_the_same_site_as_the_documentation(tmp_path):
    settings = on_free_ports(tmp_path)
    local = templates.local_nginx_conf(settings)
    site = templates.local_nginx_site(settings)
    assert all(line.strip() in local for line in site.splitlines() if line.strip())
    documented = templates.deploy_blocks()["nginx"]
    strip = [line for line in site.splitlines() if "server " not in line and "listen" not in line]
    assert strip == [line for line in documented.splitlines() if "server " not in line and "listen" not in line]


def test_socketio_is_sticky_and_upgrades_while_rest_goes_round_robin():
    site = templates.nginx_site(["a:1", "b:2"], ["c:3"], "127.0.0.1:80", "127.0.0.1:81")
    sticky = site.split("upstream rasa_socketio {", 1)[1].split("}", 1)[0]
    round_robin = site.split("upstream rasa {", 1)[1].split("}", 1)[0]
    assert "hash $remote_addr consistent" in sticky and "hash" not in round_robin
    socketio = site.split("location /socket.io/ {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade" in socketio and "$connection_upgrade" in socketio
    assert "server a:1" in round_robin and "server b:2" in round_robin


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (scripts/install-system-packages)")
def test_nginx_accepts_the_generated_configuration(tmp_path):
    from bot.scale.stack import Stack

    stack = Stack(on_free_ports(tmp_path))
    stack.write_configs()
    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path / "nginx")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_clustered_endpoints_keep_the_privacy_wrapper_and_share_state():
    project = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    clustered = templates.clustered_endpoints(project, "10.1.1.1", 5432, 6379, "http://lb:5055/webhook")
    store = clustered["tracker_store"]
    assert store["type"] == project["tracker_store"]["type"]  # the same wrapper, if there is one
    assert store["dialect"] == "postgresql" and store["url"] == "10.1.1.1" and "${" in store["password"]
    assert "db" in store and not str(store["db"]).endswith(".db")
    assert clustered["lock_store"]["type"] == "redis"
    assert clustered["action_endpoint"]["url"] == "http://lb:5055/webhook"
    assert {k: v for k, v in clustered.items() if k not in ("tracker_store", "lock_store", "action_endpoint")} == {
        k: v for k, v in project.items() if k not in ("tracker_store", "lock_store", "action_endpoint")}


def test_a_nested_or_plain_sql_store_gets_postgresql_too():
    postgres = {"type": "SQL", "dialect": "postgresql", "url": "h", "db": "rasa"}
    assert templates._with_postgres({"type": "SQL", "dialect": "sqlite", "db": "x.db"}, postgres) == postgres
    nested = templates._with_postgres({"type": "my.Wrapper", "store": {"type": "SQL", "db": "x.db"}}, postgres)
    assert nested == {"type": "my.Wrapper", "store": postgres}
    with pytest.raises(ValueError):
        templates._with_postgres({"type": "redis", "url": "h"}, postgres)


def test_clustered_credentials_replace_only_the_socketio_channel():
    project = yaml.safe_load((ROOT / "credentials.yml").read_text("utf-8"))
    clustered = templates.clustered_credentials(project, "redis://r:6379/2")
    socketio_keys = [key for key in project if key == "socketio" or key.endswith("SocketIOInput")]
    assert len(socketio_keys) == 1
    shared = clustered["bot.scale.socketio.RedisSocketIOInput"]
    assert shared["channel"] == socketio_keys[0] and shared["redis_url"] == "redis://r:6379/2"
    assert shared["session_persistence"] is True
    assert {k for k in clustered if k != "bot.scale.socketio.RedisSocketIOInput"} == set(project) - set(socketio_keys)


def test_the_redis_socketio_channel_is_rasas_channel_with_a_redis_manager():
    from socketio import AsyncRedisManager

    from bot.scale.socketio import RedisSocketIOInput

    project = yaml.safe_load((ROOT / "credentials.yml").read_text("utf-8"))
    for base in {"socketio", *(key for key in project if key.endswith("SocketIOInput"))}:
        channel = RedisSocketIOInput.from_credentials(
            {"channel": base, "redis_url": "redis://127.0.0.1:1/2", "session_persistence": True})
        assert channel.name() == "socketio" and channel.session_persistence is True
        channel.blueprint(lambda message: None)
        assert isinstance(channel.sio.manager, AsyncRedisManager)
        assert channel.get_output_channel() is not None
    with pytest.raises(ValueError):
        RedisSocketIOInput.from_credentials({"channel": "socketio"})
