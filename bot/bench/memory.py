"""Peak resident memory (RSS) of running processes, sampled in a background thread."""
from __future__ import annotations

import threading

import psutil


class PeakMemory:
    """Samples the RSS of each named process every `interval` seconds while in a `with` block."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak_bytes = {name: 0 for name in pids}
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        for name, process in self.processes.items():
            try:
                self.peak_bytes[name] = max(self.peak_bytes[name], process.memory_info().rss)
            except psutil.Error:
                pass

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def _cpu_seconds(self) -> float:
        total = 0.0
        for process in [*self.processes.values(), psutil.Process()]:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def __enter__(self) -> PeakMemory:
        self.sample()
        self._machine_start, self._ours_start = _busy_seconds(), self._cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
        self.machine_cpu_seconds = _busy_seconds() - self._machine_start
        self.our_cpu_seconds = self._cpu_seconds() - self._ours_start

    def cpu(self) -> dict[str, float]:
        """CPU seconds used meanwhile by the whole machine and by the measured processes (+ client)."""
        return {"machine_cpu_s": round(self.machine_cpu_seconds, 1), "ours_cpu_s": round(self.our_cpu_seconds, 1),
                "others_cpu_s": round(max(0.0, self.machine_cpu_seconds - self.our_cpu_seconds), 1)}

    def peak_mb(self) -> dict[str, float]:
        return {name: round(value / 2**20, 1) for name, value in self.peak_bytes.items()}


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def server_pids(parent: int | None = None) -> dict[str, int]:
    """The Rasa, action server and web front processes among the children of `parent` (this one)."""
    found = {}
    for child in psutil.Process(parent).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if " rasa run" in command or "-m rasa run" in command:
            found["rasa"] = child.pid
        elif "-m actions" in command or "rasa_sdk" in command or "run-actions" in command:
            found["actions"] = child.pid
        elif "-m bot.web" in command:
            found["web"] = child.pid
    return found


def cpu_load() -> dict[str, float]:
    """The machine's load averages (1, 5, 15 minutes) and the number of cores: other work running
    at the same time distorts the figures, so every result records it."""
    one, five, fifteen = psutil.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2),
            "cores": psutil.cpu_count() or 0}
