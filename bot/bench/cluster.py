"""Throughput of the several-instance stack (PostgreSQL, Redis, nginx) with two Rasa instances and
with one, on throw-away ports and state."""
from __future__ import annotations

import shutil
from collections.abc import Callable

from bot.bench.load import load
from bot.bench.memory import PeakMemory, cpu_load
from bot.bench.speed import check_reply, texts_by_language, warm_up
from bot.scale.settings import on_free_ports, temporary_base
from bot.scale.stack import Stack


def run_cluster(quick: bool = False, concurrency: int = 20, progress: Callable[[str], None] = print) -> dict:
    base = temporary_base("zorgrecht-bench-")
    stack = Stack(on_free_ports(base))
    texts = texts_by_language()
    conversations, turns = (8, 3) if quick else (120, 5)
    results: dict = {"concurrency": concurrency}
    try:
        progress("starting the stack (PostgreSQL, Redis, nginx, 2 action servers, 2 Rasa instances)")
        stack.up()
        url = stack.settings.url
        check_reply(url)
        warm_up(url, texts)
        pids = {name: stack.pid(name) for name in ("rasa-1", "rasa-2", "actions-1", "actions-2", "nginx", "redis")}
        with PeakMemory({name: pid for name, pid in pids.items() if pid}) as memory:
            progress(f"two instances, {concurrency} conversations at a time")
            two = load(url, texts, concurrency=concurrency, conversations=conversations, turns=turns,
                       prefix="two", seed=3)
            results["two_instances"] = {**two.summary(), **cpu_load()}
            stack.stop("rasa-2")
            progress(f"one instance, {concurrency} conversations at a time")
            one = load(url, texts, concurrency=concurrency, conversations=conversations, turns=turns,
                       prefix="one", seed=3)
            results["one_instance"] = {**one.summary(), **cpu_load()}
        results["peak_rss_mb"] = memory.peak_mb()
        results["cpu"] = memory.cpu()
    finally:
        stack.down()
        shutil.rmtree(base, ignore_errors=True)
    return results
