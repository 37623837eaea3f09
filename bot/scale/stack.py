"""Starts and stops the several-instance stack: PostgreSQL, Redis, two action servers, nginx and two
Rasa instances, each a detached process with its pid in `<base>/run/` and its log in `<base>/logs/`.

Debian's packages are used as they are (`postgresql`, `redis-server`, `nginx`). As root, PostgreSQL
runs as the `postgres` user (it refuses to run as root), nginx's workers as `www-data`.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.scale import templates
from bot.scale.settings import StackSettings
from bot.serve import credentials_for, quiet_environment

# Loading the model takes ~1 min on a quiet 2-core machine, several when it is busy.
RASA_START_SECONDS = 600


def postgres_bin(program: str) -> str:
    """A PostgreSQL server program from Debian's versioned directory (newest version)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"),
                   key=lambda path: int(Path(path).parts[4]) if Path(path).parts[4].isdigit() else 0)
    if found:
        return found[-1]
    on_path = shutil.which(program)
    if not on_path:
        raise FileNotFoundError(f"{program} not found: install Debian's postgresql (scripts/install-system-packages)")
    return on_path


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if _is_root() else command


def _secret(path: Path) -> str:
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def _get(url: str, timeout: float = 2) -> int:
    """The HTTP status of a GET, or 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


PID_GRACE_SECONDS = 5


class Stack:
    """The processes of one stack, identified by name: postgres, redis, actions-1, actions-2, nginx,
    rasa-1, rasa-2."""

    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings or StackSettings()
        # Children started by this Python process: polled so that a stopped one is not a zombie.
        self._children: dict[str, subprocess.Popen] = {}

    # --- configuration -------------------------------------------------------------------------
    @property
    def db_password(self) -> str:
        return _secret(self.settings.secrets_dir / "database_password")

    @property
    def api_token(self) -> str:
        return _secret(self.settings.secrets_dir / "rasa_api_token")

    @property
    def state_dir(self) -> Path:
        """ASSISTANT_VAR_DIR shared by every instance (keys and files must be the same on all)."""
        return self.settings.base / "state"

    @property
    def postgres_url(self) -> str:
        """SQLAlchemy URL of the PostgreSQL server, without a database."""
        s = self.settings
        return f"postgresql://{s.database_user}:{self.db_password}@{s.host}:{s.postgres_port}"

    def environment(self) -> dict[str, str]:
        env = quiet_environment()
        env.update({
            "ASSISTANT_VAR_DIR": str(self.state_dir),
            "RASA_API_TOKEN": self.api_token,
            "RASA_DB_PASSWORD": self.db_password,
            # Mediator cases and the anonymous counters must be shared by the instances too.
            "CASES_DATABASE_URL": f"{self.postgres_url}/assistant",
            "INSIGHTS_DATABASE_URL": f"{self.postgres_url}/insights",
        })
        return env

    def write_configs(self) -> None:
        s = self.settings
        for folder in (s.base, s.run_dir, s.log_dir, s.secrets_dir, self.state_dir, s.base / "redis",
                       *(s.base / "nginx" / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"))):
            folder.mkdir(parents=True, exist_ok=True)
        os.chmod(s.secrets_dir, 0o700)
        project_endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8")) or {}
        # The channels of credentials.yml plus the messaging apps configured in the environment (README).
        project_credentials = yaml.safe_load(credentials_for(self.environment()).read_text("utf-8")) or {}
        endpoints = templates.clustered_endpoints(
            project_endpoints, s.host, s.postgres_port, s.redis_port,
            f"http://{s.host}:{s.actions_lb_port}/webhook", s.database, s.database_user)
        credentials = templates.clustered_credentials(project_credentials, f"{s.redis_url}/2")
        (s.base / "endpoints.yml").write_text(yaml.safe_dump(endpoints, sort_keys=False), "utf-8")
        (s.base / "credentials.yml").write_text(yaml.safe_dump(credentials, sort_keys=False), "utf-8")
        (s.base / "nginx.conf").write_text(templates.local_nginx_conf(s), "utf-8")
        (s.base / "redis.conf").write_text("\n".join([
            f"bind {s.host}", f"port {s.redis_port}", "protected-mode yes", "daemonize no", 'save ""',
            "appendonly no", f"dir {s.base / 'redis'}", 'logfile ""', "databases 4", ""]), "utf-8")
        if _is_root():
            www = pwd.getpwnam("www-data")
            for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                os.chown(s.base / "nginx" / name, www.pw_uid, www.pw_gid)

    # --- processes -----------------------------------------------------------------------------
    def _pid_file(self, name: str) -> Path:
        return self.settings.run_dir / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        """The pid of a running process of this stack, or None."""
        path = self._pid_file(name)
        child = self._children.get(name)
        if child is not None and child.poll() is not None:
            return None
        if not path.exists():
            return None
        pid = int(path.read_text().strip() or 0)
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return None
        # A stale pid file (after a reboot) may name someone else's process: never signal that one.
        return pid if self._marker(name) in command else None

    def _marker(self, name: str) -> str:
        """A string the command line of process `name` contains."""
        s = self.settings
        if name.startswith("rasa-"):
            return f"--port {s.rasa_ports[int(name[5:]) - 1]}"
        if name.startswith("actions-"):
            return f"--port {s.action_ports[int(name[8:]) - 1]}"
        return {"nginx": "nginx", "redis": "redis-server", "postgres": "postgres"}[name]

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.settings.log_dir / f"{name}.log", "a")  # noqa: SIM115 (kept open by the child)
        process = subprocess.Popen(command, cwd=ROOT, env=self.environment(), stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self._children[name] = process
        self._pid_file(name).write_text(str(process.pid))
        return process

    def _wait(self, name: str, url: str, seconds: float, any_answer: bool = False) -> None:
        started = time.time()
        deadline = started + seconds
        while time.time() < deadline:
            status = _get(url)
            if status == 200 or (any_answer and status):
                return
            # nginx daemonizes: its launcher exits at once and the pid file comes a moment later.
            if self.pid(name) is None and time.time() - started > PID_GRACE_SECONDS:
                break
            time.sleep(0.5)
        log = self.settings.log_dir / f"{name}.log"
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        raise RuntimeError(f"{name} did not come up at {url}:\n{tail}")

    def start_postgres(self) -> None:
        s = self.settings
        data = s.postgres_dir / "data"
        if _is_root():
            s.postgres_dir.mkdir(parents=True, exist_ok=True)
            shutil.chown(s.postgres_dir, "postgres", "postgres")
        if not (data / "PG_VERSION").exists():
            password_file = s.postgres_dir / "password"
            password_file.write_text(self.db_password + "\n")
            if _is_root():
                shutil.chown(password_file, "postgres", "postgres")
            os.chmod(password_file, 0o600)
            try:
                subprocess.run(_as_postgres([
                    postgres_bin("initdb"), "-D", str(data), "-U", s.database_user, "--auth=scram-sha-256",
                    f"--pwfile={password_file}", "--encoding=UTF8", "--locale=C.UTF-8"]),
                    check=True, capture_output=True)
            finally:
                password_file.unlink()
        if self.pid("postgres") is None:
            options = f"-p {s.postgres_port} -c listen_addresses={s.host} -c unix_socket_directories=''"
            subprocess.run(_as_postgres([
                postgres_bin("pg_ctl"), "-D", str(data), "-l", str(s.postgres_dir / "postgres.log"),
                "-o", options, "-w", "-t", "60", "start"]), check=True, capture_output=True)
            self._pid_file("postgres").write_text((data / "postmaster.pid").read_text().split("\n")[0])
        for database in (s.database, "assistant", "insights"):
            self._create_database(database)

    def _psql(self, database: str, sql: str) -> str:
        s = self.settings
        env = dict(os.environ, PGPASSWORD=self.db_password)
        result = subprocess.run(
            ["psql", "-h", s.host, "-p", str(s.postgres_port), "-U", s.database_user, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-tAc", sql], env=env, check=True, capture_output=True, text=True)
        return result.stdout.strip()

    def _create_database(self, name: str) -> None:
        if not self._psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            self._psql("postgres", f'CREATE DATABASE "{name}"')

    def psql(self, sql: str) -> str:
        """Runs SQL in the tracker store's database; the output of `psql -tA`."""
        return self._psql(self.settings.database, sql)

    def start_redis(self) -> None:
        if self.pid("redis") is None:
            self._spawn("redis", ["redis-server", str(self.settings.base / "redis.conf")])
        deadline = time.time() + 20
        while time.time() < deadline:
            result = subprocess.run(["redis-cli", "-h", self.settings.host, "-p", str(self.settings.redis_port),
                                     "ping"], capture_output=True, text=True)
            if result.stdout.strip() == "PONG":
                return
            time.sleep(0.2)
        raise RuntimeError("redis did not come up")

    def prepare_schema(self) -> None:
        """Creates every table once (bot/scale/schema.py), so that instances starting together don't race."""
        result = subprocess.run([sys.executable, "-m", "bot.scale.schema", str(self.settings.base / "endpoints.yml")],
                                cwd=ROOT, env=self.environment(), capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"creating the tables failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")

    def start_actions(self, index: int) -> None:
        name, port = f"actions-{index + 1}", self.settings.action_ports[index]
        if self.pid(name) is None:
            self._spawn(name, [sys.executable, "-m", "bot.scale", "run-actions", "--port", str(port)])

    def start_rasa(self, index: int) -> None:
        s, name = self.settings, f"rasa-{index + 1}"
        if self.pid(name) is None:
            self._spawn(name, [sys.executable, "-m", "bot.scale", "run-rasa", "--port", str(s.rasa_ports[index]),
                               "--model", str(s.model), "--endpoints", str(s.base / "endpoints.yml"),
                               "--credentials", str(s.base / "credentials.yml")])

    def wait_for_rasa(self, index: int) -> None:
        self._wait(f"rasa-{index + 1}", f"{self.settings.rasa_url(index)}/status?token={self.api_token}",
                   RASA_START_SECONDS)

    def start_nginx(self) -> None:
        if self.pid("nginx") is None:
            self._spawn("nginx", ["nginx", "-c", str(self.settings.base / "nginx.conf"),
                                  "-p", str(self.settings.base / "nginx")])
        self._wait("nginx", f"{self.settings.url}/socket.io/", 20, any_answer=True)

    def up(self, instances: int | None = None) -> None:
        """Starts whatever is not running yet and waits until every part answers."""
        s = self.settings
        if not s.model.exists():
            raise FileNotFoundError(f"{s.model} is missing: run `make train` first")
        self.write_configs()
        self.start_postgres()
        self.start_redis()
        count = len(s.rasa_ports) if instances is None else instances
        for index in range(len(s.action_ports)):
            self.start_actions(index)
        self.prepare_schema()
        for index in range(count):
            self.start_rasa(index)
        for index in range(len(s.action_ports)):
            self._wait(f"actions-{index + 1}", f"http://{s.host}:{s.action_ports[index]}/health", 120)
        for index in range(count):
            self.wait_for_rasa(index)
        self.start_nginx()

    def stop(self, name: str, timeout: float = 30) -> None:
        """Stops one process: SIGTERM (Sanic finishes the requests in flight), SIGKILL after `timeout`."""
        if name == "postgres":
            data = self.settings.postgres_dir / "data"
            if self.pid("postgres") is not None:
                subprocess.run(_as_postgres([postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                               capture_output=True)
            self._pid_file(name).unlink(missing_ok=True)
            return
        pid = self.pid(name)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            deadline = time.time() + timeout
            while time.time() < deadline and self.pid(name) is not None:
                time.sleep(0.2)
            if self.pid(name) is not None:
                os.killpg(pid, signal.SIGKILL)
        self._pid_file(name).unlink(missing_ok=True)

    def names(self) -> list[str]:
        s = self.settings
        return (["nginx"] + [f"rasa-{i + 1}" for i in range(len(s.rasa_ports))]
                + [f"actions-{i + 1}" for i in range(len(s.action_ports))] + ["redis", "postgres"])

    def down(self) -> None:
        """Stops every process of the stack; the database stays in `<base>/postgres`."""
        for name in self.names():
            self.stop(name)

    def status(self) -> dict[str, int | None]:
        return {name: self.pid(name) for name in self.names()}
