"""Ports and paths of the several-instance stack; every port can be changed by an environment variable."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.local_servers import free_port
from bot.paths import ROOT


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


@dataclass
class StackSettings:
    """Where the stack keeps its state and which loopback ports it uses.

    `http_port` is nginx's public port (REST, socket.io, HTTP API); `actions_lb_port` is nginx's
    internal port in front of the action servers.
    """

    base: Path = field(default_factory=lambda: ROOT / "var" / "scale")
    model: Path = field(default_factory=lambda: ROOT / "models" / "current.tar.gz")
    host: str = "127.0.0.1"
    http_port: int = field(default_factory=lambda: _port("SCALE_HTTP_PORT", 8480))
    actions_lb_port: int = field(default_factory=lambda: _port("SCALE_ACTIONS_LB_PORT", 8481))
    postgres_port: int = field(default_factory=lambda: _port("SCALE_POSTGRES_PORT", 5433))
    redis_port: int = field(default_factory=lambda: _port("SCALE_REDIS_PORT", 6380))
    rasa_ports: list[int] = field(
        default_factory=lambda: [_port("SCALE_RASA1_PORT", 5006), _port("SCALE_RASA2_PORT", 5007)])
    action_ports: list[int] = field(
        default_factory=lambda: [_port("SCALE_ACTIONS1_PORT", 5056), _port("SCALE_ACTIONS2_PORT", 5057)])
    database: str = "rasa"
    database_user: str = "rasa"

    @property
    def url(self) -> str:
        """nginx's public URL."""
        return f"http://{self.host}:{self.http_port}"

    def rasa_url(self, index: int) -> str:
        """The URL of one Rasa instance, bypassing nginx."""
        return f"http://{self.host}:{self.rasa_ports[index]}"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.host}:{self.redis_port}"

    @property
    def postgres_dir(self) -> Path:
        return self.base / "postgres"

    @property
    def run_dir(self) -> Path:
        """pid files."""
        return self.base / "run"

    @property
    def log_dir(self) -> Path:
        return self.base / "logs"

    @property
    def secrets_dir(self) -> Path:
        """The database password and the HTTP API token shared by the instances (mode 0600)."""
        return self.base / "secrets"


def on_free_ports(base: Path, model: Path | None = None) -> StackSettings:
    """Settings for a throw-away stack in `base` (tests, benchmarks) on free ports.

    `base` must be readable by the `postgres` user when running as root (not under a 0700 folder).
    """
    settings = StackSettings(
        base=base, http_port=free_port(), actions_lb_port=free_port(), postgres_port=free_port(),
        redis_port=free_port(), rasa_ports=[free_port(), free_port()], action_ports=[free_port(), free_port()])
    if model is not None:
        settings.model = model
    return settings


def temporary_base(prefix: str = "zorgrecht-scale-") -> Path:
    """A new folder under /tmp that the `postgres` user can enter (mkdtemp makes it 0700)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o755)
    return base
