"""Starts the action server, Rasa and the web front together; Ctrl-C (or any one stopping) stops all three."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from bot.paths import ROOT
from bot.secrets import rasa_api_token

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
WEB_PORT = int(os.environ.get("WEB_PORT", "8080"))


def quiet_environment() -> dict[str, str]:
    """Environment for Rasa processes: no telemetry, less TensorFlow noise."""
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def action_server_command(port: int = ACTIONS_PORT) -> list[str]:
    """The command line of the action server."""
    # Our entry point wraps rasa-sdk's app with a token check (actions/server.py).
    return [sys.executable, "-m", "actions", "--port", str(port)]


def rasa_command(
    model: Path, port: int = RASA_PORT, endpoints: Path = ROOT / "endpoints.yml", credentials: Path | None = None
) -> list[str]:
    """The command line of the Rasa server: REST, socket.io and the configured messaging channels, API
    with a token. `credentials` defaults to the channels configured in this process's environment.

    No `--cors`: browsers reach Rasa only through socket.io, whose channel answers for the origins in
    `ALLOWED_ORIGINS` itself (bot/security/channels.py). Rasa's CORS would add a second
    Access-Control-Allow-Origin header to socket.io's replies, and browsers refuse such a reply.
    """
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--port", str(port),
        "--credentials", str(credentials or credentials_for()),
        "--endpoints", str(endpoints),
        "--enable-api",
        "--auth-token", rasa_api_token(),
    ]
    return command


def web_command(port: int = WEB_PORT) -> list[str]:
    """The command line of the web front (chat page, mediator inbox, staff pages)."""
    return [sys.executable, "-m", "bot.web", "--port", str(port)]


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


def credentials_for(env: Mapping[str, str] | None = None) -> Path:
    """credentials.yml, or a copy in var/ that adds the messaging channels configured in `env`.

    Only the channels' class names go in the file: their tokens stay in the environment, which the
    channels read themselves, so no secret is written to disk.
    """
    import yaml

    from bot.channels.config import configured_channels
    from bot.paths import var_dir

    channels = configured_channels(env)
    if not channels:
        return ROOT / "credentials.yml"
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text("utf-8")) or {}
    for channel in channels:
        credentials[channel.class_path] = None
    path = var_dir() / "credentials.yml"
    path.write_text(yaml.safe_dump(credentials), "utf-8")
    return path


def serve(model: Path) -> int:
    """Runs the action server, Rasa and the web front until Ctrl-C or until one of them exits."""
    env = quiet_environment()
    from bot.channels.config import ChannelConfigError

    try:  # first, so that a half-configured messaging app stops everything with one clear line
        rasa = rasa_command(model, endpoints=endpoints_for(ACTIONS_PORT))
    except ChannelConfigError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    processes = [
        subprocess.Popen(action_server_command(), cwd=ROOT, env=env),
        subprocess.Popen(rasa, cwd=ROOT, env=env),
        subprocess.Popen(web_command(), cwd=ROOT, env=env),
    ]
    print(f"Rasa on http://localhost:{RASA_PORT} (REST: /webhooks/rest/webhook, socket.io), "
          f"actions on http://localhost:{ACTIONS_PORT}, chat page on http://localhost:{WEB_PORT}/. "
          "Ctrl-C stops all three.", flush=True)
    from bot.channels.config import configured_channels

    messaging = ", ".join(channel.name for channel in configured_channels()) or "none (see README: Configuration)"
    print(f"Messaging channels: {messaging}", flush=True)
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
    stop_processes(processes, timeout=15)
    return 0 if stopping else (exit_code or 1)


def stop_processes(processes: list[subprocess.Popen], timeout: float) -> None:
    """SIGTERM to all, then up to `timeout` seconds each to finish before SIGKILL."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
