"""A real action server and Rasa server on free ports, for tests and benchmarks."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.serve import action_server_command, quiet_environment, rasa_command

MODEL = ROOT / "models" / "current.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """URLs and the API token of a running pair of servers."""

    def __init__(self, rasa_port: int, actions_port: int, token: str, state_dir: Path) -> None:
        self.rasa = f"http://127.0.0.1:{rasa_port}"
        self.actions = f"http://127.0.0.1:{actions_port}"
        self.token = token
        self.state_dir = state_dir


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 240) -> None:
    deadline = time.time() + seconds
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
def running_servers(state_dir: Path, model: Path = MODEL) -> Iterator[Servers]:
    """Starts both servers with their state in `state_dir`; stops them afterwards."""
    if not model.exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` first")
    rasa_port, actions_port = free_port(), free_port()
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    endpoints["tracker_store"]["db"] = str(state_dir / "conversations.db")
    endpoints_file = state_dir / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints), "utf-8")
    env = quiet_environment()
    env["ASSISTANT_VAR_DIR"] = str(state_dir)
    os.environ["ASSISTANT_VAR_DIR"] = str(state_dir)
    from bot.secrets import rasa_api_token

    token = rasa_api_token()
    logs = {name: state_dir / f"{name}.log" for name in ("actions", "rasa")}
    processes = []
    try:
        with open(logs["actions"], "w") as out:
            processes.append(subprocess.Popen(
                action_server_command(actions_port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        with open(logs["rasa"], "w") as out:
            processes.append(subprocess.Popen(
                rasa_command(model, rasa_port, endpoints_file), cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT))
        _wait_until_up(f"http://127.0.0.1:{actions_port}/health", processes[0], logs["actions"])
        _wait_until_up(f"http://127.0.0.1:{rasa_port}/status?token={token}", processes[1], logs["rasa"])
        yield Servers(rasa_port, actions_port, token, state_dir)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
