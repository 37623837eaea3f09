"""Starts a Rasa server and an action server on free ports when no assistant is running.

Their state (conversations, figures, token) goes to a temporary folder, so scripts never touch
`var/`. The same steps as tests/servers.py, which the test suite uses; this copy lives in `bot/`
because the runner is a tool for staff, not a test.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.serve import action_server_command, quiet_environment, rasa_command

MODEL = ROOT / "models" / "current.tar.gz"
START_SECONDS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + START_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up:\n{log.read_text()[-3000:]}")


@contextmanager
def started_assistant(model: Path = MODEL) -> Iterator[tuple[str, str]]:
    """(Rasa URL, API token) of a fresh pair of servers; stopped afterwards."""
    if not model.exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` first")
    with tempfile.TemporaryDirectory(prefix="staff-scripts-") as folder:
        state = Path(folder)
        rasa_port, actions_port = _free_port(), _free_port()
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
        if (endpoints.get("tracker_store") or {}).get("dialect") == "sqlite":
            endpoints["tracker_store"]["db"] = str(state / "conversations.db")
        (state / "endpoints.yml").write_text(yaml.safe_dump(endpoints), "utf-8")
        token = secrets.token_urlsafe(24)
        env = {**quiet_environment(), "ASSISTANT_VAR_DIR": str(state), "RASA_API_TOKEN": token}
        saved = {name: os.environ.get(name) for name in ("ASSISTANT_VAR_DIR", "RASA_API_TOKEN")}
        os.environ.update(ASSISTANT_VAR_DIR=str(state), RASA_API_TOKEN=token)  # read by rasa_command()
        processes: list[subprocess.Popen] = []
        try:
            with open(state / "actions.log", "w") as out:
                processes.append(subprocess.Popen(action_server_command(actions_port), cwd=ROOT, env=env,
                                                  stdout=out, stderr=subprocess.STDOUT))
            with open(state / "rasa.log", "w") as out:
                processes.append(subprocess.Popen(rasa_command(model, rasa_port, state / "endpoints.yml"), cwd=ROOT,
                                                  env=env, stdout=out, stderr=subprocess.STDOUT))
            _wait(f"http://127.0.0.1:{actions_port}/health", processes[0], state / "actions.log")
            _wait(f"http://127.0.0.1:{rasa_port}/status?token={token}", processes[1], state / "rasa.log")
            yield f"http://127.0.0.1:{rasa_port}", token
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
