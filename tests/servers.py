"""The servers the tests start: see bot/local_servers.py (shared with the benchmarks and staff scripts)."""
from bot.local_servers import MODEL, Servers, free_port, running_servers, wait_until_up

__all__ = ["MODEL", "Servers", "free_port", "running_servers", "wait_until_up"]
