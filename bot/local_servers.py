"""A real action server, Rasa server and (optionally) web front on free ports, with their state in a
folder of their own: for the tests (tests/servers.py), the benchmarks and the staff scripts' runner."""
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
from bot.serve import (
    action_server_command,
    credentials_for,
    quiet_environment,
    rasa_command,
    stop_processes,
    web_command,
)

MODEL = ROOT / "models" / "current.tar.gz"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """URLs and the API token of the running servers."""

    def __init__(
        self, rasa_port: int, actions_port: int, token: str, state_dir: Path, web_port: int | None = None
    ) -> None:
        self.rasa = f"http://127.0.0.1:{rasa_port}"
        self.actions = f"http://127.0.0.1:{actions_port}"
        self.web = f"http://127.0.0.1:{web_port}" if web_port else None
        self.token = token
        self.state_dir = state_dir


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float | None = None) -> None:
    """Waits for `url` to answer 200; raises with the end of `log` if `process` exits or time runs out."""
    # TEST_SERVER_START_SECONDS: more patience on a machine busy with other test runs (default 240).
    deadline = time.time() + (seconds or float(os.environ.get("TEST_SERVER_START_SECONDS") or 240))
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
def running_servers(
    state_dir: Path, model: Path = MODEL, environment: dict[str, str] | None = None, web: bool = True
) -> Iterator[Servers]:
    """Starts the servers with their state in `state_dir`; stops them afterwards.

    `environment` adds variables for the servers (e.g. messaging channels configured to fakes);
    `web=False` leaves out the web front.
    """
    if not model.exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` first")
    rasa_port, actions_port, web_port = free_port(), free_port(), (free_port() if web else None)
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    endpoints["tracker_store"]["db"] = str(state_dir / "conversations.db")
    endpoints_file = state_dir / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints), "utf-8")
    env = quiet_environment()
    # The chat page (web front) opens its socket to this Rasa and loads the card images from it.
    env["PUBLIC_URL"] = env["RASA_PUBLIC_URL"] = f"http://127.0.0.1:{rasa_port}"
    env["RASA_URL"] = f"http://127.0.0.1:{rasa_port}"  # the mediator inbox calls Rasa's HTTP API here
    web_origins = f"http://127.0.0.1:{web_port},http://localhost:{web_port}"
    env["ALLOWED_ORIGINS"] = web_origins  # the socket.io channel reads them (bot/security/channels.py)
    env["WEB_PUBLIC_URL"] = f"http://127.0.0.1:{web_port}"  # the privacy notice links to its page
    env.update(environment or {})
    env["ASSISTANT_VAR_DIR"] = str(state_dir)
    # This process reads the same state (tokens, cases, counters) while the servers run; a module's own
    # servers must give it back to the session's servers afterwards.
    previous_var_dir = os.environ.get("ASSISTANT_VAR_DIR")
    os.environ["ASSISTANT_VAR_DIR"] = str(state_dir)
    from bot.secrets import rasa_api_token

    token = rasa_api_token()
    logs = {name: state_dir / f"{name}.log" for name in ("actions", "rasa", "web")}
    processes = []
    try:
        with open(logs["actions"], "w") as out:
            processes.append(subprocess.Popen(
                action_server_command(actions_port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        with open(logs["rasa"], "w") as out:
            processes.append(subprocess.Popen(
                rasa_command(model, rasa_port, endpoints_file, credentials_for(env)), cwd=ROOT,
                env=env, stdout=out, stderr=subprocess.STDOUT))
        if web:
            with open(logs["web"], "w") as out:
                processes.append(subprocess.Popen(
                    web_command(web_port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", processes[0], logs["actions"])
        wait_until_up(f"http://127.0.0.1:{rasa_port}/status?token={token}", processes[1], logs["rasa"])
        if web:
            wait_until_up(f"http://127.0.0.1:{web_port}/healthz", processes[2], logs["web"])
        running = Servers(rasa_port, actions_port, token, state_dir, web_port)
        # Fault-injection tests stop and restart servers: [actions, rasa, web], replaced in place.
        running.processes, running.env = processes, env
        yield running
    finally:
        if previous_var_dir is None:
            os.environ.pop("ASSISTANT_VAR_DIR", None)
        else:
            os.environ["ASSISTANT_VAR_DIR"] = previous_var_dir
        stop_processes(processes, timeout=20)
