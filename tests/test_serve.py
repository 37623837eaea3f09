import yaml

from bot.paths import ROOT
from bot.serve import endpoints_for, rasa_command, web_command


def test_default_port_uses_the_projects_endpoints_file():
    assert endpoints_for(5055) == ROOT / "endpoints.yml"


def test_another_action_server_port_gets_its_own_endpoints_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    path = endpoints_for(6055)
    assert yaml.safe_load(path.read_text())["action_endpoint"]["url"] == "http://localhost:6055/webhook"
    assert path.parent == tmp_path


def test_rasa_runs_with_the_api_behind_a_token_and_no_cors_of_its_own(tmp_path, monkeypatch):
    # Allowed origins are checked by the socket.io channel; Rasa's CORS would duplicate its header.
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://help.example.org")
    command = rasa_command(ROOT / "models" / "current.tar.gz")
    assert "--enable-api" in command and "--auth-token" in command
    assert "--cors" not in command
    assert (tmp_path / "rasa_api_token").stat().st_mode & 0o777 == 0o600


def test_the_web_front_runs_on_the_port_asked_for():
    command = web_command(18080)
    assert command[1:3] == ["-m", "bot.web"] and command[-2:] == ["--port", "18080"]
