"""Starts the action server and Rasa together; Ctrl-C (or either one stopping) stops both."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.paths import ROOT
from bot.secrets import rasa_api_token

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
# Origins that may call Rasa's HTTP API and open a socket from a browser (comma-separated).
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


def quiet_environment() -> dict[str, str]:
    """Environment for Rasa processes: no telemetry, less TensorFlow noise."""
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def action_server_command(port: int = ACTIONS_PORT) -> list[str]:
    """The command line of the action server."""
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def rasa_command(model: Path, port: int = RASA_PORT, endpoints: Path = ROOT / "endpoints.yml") -> list[str]:
    """The command line of the Rasa server: REST and socket.io channels, API with a token."""
    origins = os.environ.get("ALLOWED_ORIGINS", DEFAULT_ORIGINS)
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--port", str(port),
        "--credentials", str(ROOT / "credentials.yml"),
        "--endpoints", str(endpoints),
        "--enable-api",
        "--auth-token", rasa_api_token(),
    ]
    for origin in origins.split(","):
        if origin.strip():
            command += ["--cors", origin.strip()]
    return command


def endpoints_for(actions_port: int) -> Path:
    """endpoints.yml, or a copy in var/ whose action server URL uses `actions_port`."""
    import yaml

    from bot.paths import var_dir

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    url = f"http://localhost:{actions_port}/webhook"
    if endpoints["action_endpoint"]["url"] == url:
        return ROOT / "endpoints.yml"
    endpoints["action_endpoint"]["url"] = url
    path = var_dir() / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints), "utf-8")
    return path


def serve(model: Path) -> int:
    """Runs both servers in the foreground until Ctrl-C or until one of them exits."""
    env = quiet_environment()
    processes = [
        subprocess.Popen(action_server_command(), cwd=ROOT, env=env),
        subprocess.Popen(rasa_command(model, endpoints=endpoints_for(ACTIONS_PORT)), cwd=ROOT, env=env),
    ]
    print(f"Rasa on http://localhost:{RASA_PORT} (REST: /webhooks/rest/webhook, socket.io), "
          f"actions on http://localhost:{ACTIONS_PORT}. Ctrl-C stops both.", flush=True)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code: int | None = None
    while not stopping and exit_code is None:
        for process in processes:
            if process.poll() is not None:
                exit_code = process.returncode
        time.sleep(0.3)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0 if stopping else (exit_code or 1)
