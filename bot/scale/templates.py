"""The stack's configuration files, rendered from `bot/scale/templates/` for the local stack and for
`docs/deploy.md` alike (a test checks that the document shows exactly what these functions render).
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.scale.settings import StackSettings

TEMPLATES = Path(__file__).parent / "templates"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
# The tracker store settings Rasa's SQL store accepts; a wrapper store may take them directly.
SQL_KEYS = ("dialect", "url", "port", "db", "username", "password", "login_db", "query")
# Servers and paths used for the production example in docs/deploy.md.
DEPLOY_EXAMPLE = {
    "rasa": ["10.0.0.11:5005", "10.0.0.12:5005"],
    "actions": ["10.0.0.11:5055", "10.0.0.12:5055"],
    "listen": "127.0.0.1:8000",
    "actions_listen": "10.0.0.10:5055",
    "user": "zorgrecht",
    "workdir": "/opt/zorgrecht",
    "python": "/opt/zorgrecht/.venv/bin/python",
    "config_dir": "/etc/zorgrecht",
    "model": "/opt/zorgrecht/models/current.tar.gz",
}


def render(name: str, **values: str) -> str:
    """Template `name` with every `{{key}}` replaced; a key without a value is an error."""
    text = (TEMPLATES / name).read_text("utf-8")

    def value(match: re.Match) -> str:
        return str(values[match.group(1)])

    return re.sub(r"\{\{(\w+)\}\}", value, text)


def _servers(addresses: list[str]) -> str:
    return "\n".join(f"    server {address} max_fails=1 fail_timeout=5s;" for address in addresses)


def nginx_site(rasa: list[str], actions: list[str], listen: str, actions_listen: str) -> str:
    """The nginx `upstream`/`server` blocks (what goes into /etc/nginx/conf.d/ on a real server)."""
    return render("nginx-site.conf", rasa_servers=_servers(rasa), action_servers=_servers(actions),
                  listen=listen, actions_listen=actions_listen)


def local_nginx_site(settings: StackSettings) -> str:
    host = settings.host
    return nginx_site([f"{host}:{port}" for port in settings.rasa_ports],
                      [f"{host}:{port}" for port in settings.action_ports],
                      f"{host}:{settings.http_port}", f"{host}:{settings.actions_lb_port}")


def local_nginx_conf(settings: StackSettings) -> str:
    """A complete nginx.conf for the local stack: the same site, with pid, logs and temp files in `base`."""
    site = "\n".join(f"    {line}" if line else "" for line in local_nginx_site(settings).splitlines())
    return render("nginx-local.conf", base=str(settings.base), site=site)


def systemd_unit(kind: str, python: str, workdir: str, config_dir: str, user: str, model: str) -> str:
    """`zorgrecht-rasa@.service` (kind "rasa") or `zorgrecht-actions@.service` (kind "actions")."""
    return render(f"{kind}@.service", python=python, workdir=workdir, config_dir=config_dir, user=user,
                  model=model)


def _with_postgres(store: dict, postgres: dict) -> dict:
    """The project's tracker store with its SQL database replaced by `postgres`.

    A plain SQL store is replaced; a wrapper (e.g. the privacy wrapper) keeps its type and options
    and gets PostgreSQL wherever it has SQL settings: in a nested store, or in its own keys.
    """
    if str(store.get("type", "")).lower() == "sql":
        return dict(postgres)
    result = copy.deepcopy(store)
    for key, value in store.items():
        if isinstance(value, dict) and (str(value.get("type", "")).lower() == "sql" or "dialect" in value):
            result[key] = _with_postgres({**value, "type": "SQL"}, postgres)
            return result
    if "dialect" in store:
        for key in SQL_KEYS:
            result.pop(key, None)
        result.update({key: value for key, value in postgres.items() if key != "type"})
        return result
    raise ValueError(f"don't know where to put PostgreSQL in this tracker store: {store}")


def clustered_endpoints(project_endpoints: dict, host: str, postgres_port: int, redis_port: int,
                        actions_url: str, database: str = "rasa", user: str = "rasa") -> dict:
    """endpoints.yml for several instances: PostgreSQL tracker store, Redis locks, actions behind nginx.

    The password is left to Rasa's `${RASA_DB_PASSWORD}` substitution so it is never in the file.
    """
    postgres = {"type": "SQL", "dialect": "postgresql", "url": host, "port": postgres_port, "db": database,
                "username": user, "password": "${RASA_DB_PASSWORD}"}
    endpoints = copy.deepcopy(project_endpoints)
    endpoints["tracker_store"] = _with_postgres(endpoints.get("tracker_store") or {"type": "SQL"}, postgres)
    endpoints["lock_store"] = {"type": "redis", "url": host, "port": redis_port, "db": 1,
                               "key_prefix": "zorgrecht"}
    endpoints.setdefault("action_endpoint", {})["url"] = actions_url
    return endpoints


def clustered_credentials(project_credentials: dict, redis_url: str) -> dict:
    """credentials.yml whose socket.io channel shares its sockets through Redis (`bot.scale.socketio`)."""
    from bot.scale.socketio import CHANNEL_PATH, is_socketio_channel

    credentials = {}
    for key, value in project_credentials.items():
        if is_socketio_channel(key):
            credentials[CHANNEL_PATH] = {**(value or {}), "channel": key, "redis_url": redis_url}
        else:
            credentials[key] = value
    return credentials


def deploy_blocks() -> dict[str, str]:
    """The generated blocks of docs/deploy.md: name -> text."""
    example = DEPLOY_EXAMPLE
    endpoints = clustered_endpoints(_project_yaml("endpoints.yml"), "10.0.0.20", 5432, 6379,
                                    f"http://{example['actions_listen']}/webhook")
    endpoints["lock_store"]["url"] = "10.0.0.21"
    endpoints["action_endpoint"]["url"] = f"http://{example['actions_listen']}/webhook"
    credentials = clustered_credentials(_project_yaml("credentials.yml"), "redis://10.0.0.21:6379/2")
    unit_values = {key: example[key] for key in ("python", "workdir", "config_dir", "user", "model")}
    return {
        "nginx": nginx_site(example["rasa"], example["actions"], example["listen"], example["actions_listen"]),
        "rasa-unit": systemd_unit("rasa", **unit_values),
        "actions-unit": systemd_unit("actions", **unit_values),
        "endpoints": yaml.safe_dump(endpoints, sort_keys=False, allow_unicode=True),
        "credentials": yaml.safe_dump(credentials, sort_keys=False, allow_unicode=True),
    }


def _project_yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text("utf-8")) or {}


def _block_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated:{re.escape(name)} -->\n```[a-z]*\n)(.*?)(```\n<!-- /generated -->)", re.S)


def deploy_doc_blocks(text: str) -> dict[str, str]:
    """The generated blocks as they stand in the document."""
    found = {}
    for name in deploy_blocks():
        match = _block_pattern(name).search(text)
        if match:
            found[name] = match.group(2)
    return found


def update_deploy_doc(path: Path = DEPLOY_DOC) -> bool:
    """Rewrites the generated blocks of docs/deploy.md; True when something changed."""
    text = path.read_text("utf-8")
    new = text
    for name, block in deploy_blocks().items():
        new = _block_pattern(name).sub(lambda m, b=block: m.group(1) + b.rstrip("\n") + "\n" + m.group(3), new)
    if new != text:
        path.write_text(new, "utf-8")
    return new != text
