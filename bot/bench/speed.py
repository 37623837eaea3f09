"""Speed over REST against one running Rasa process: latency and throughput sequentially and at
several concurrencies, how latency grows with the turn of a conversation and with the number of
stored conversations, and the peak memory of each process.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from bot.bench.load import LoadResult, load, percentiles, send
from bot.bench.memory import PeakMemory, cpu_load
from bot.bench.store import count_conversations, seed_conversations
from bot.evaluation import examples
from bot.paths import ROOT

LEVELS = (1, 10, 20, 50)


# "Forget me" deletes the conversation (a 100-turn conversation would start again at turn 1), and
# asking for a person opens a mediator case: neither belongs in a load test.
LEFT_OUT_INTENTS = {"forget_me", "request_human"}


def texts_by_language() -> list[list[str]]:
    """The held-out messages (tests/nlu), one list per language: realistic, never trained on."""
    by_language: dict[str, list[str]] = {}
    for language, intent, text in examples(ROOT / "tests" / "nlu", "*.yml"):
        if intent not in LEFT_OUT_INTENTS:
            by_language.setdefault(language, []).append(text)
    return [texts for _, texts in sorted(by_language.items())]


def warm_up(url: str, texts: list[list[str]]) -> None:
    """A few messages in every language, so that first-call costs are not measured."""
    load(url, texts, concurrency=2, conversations=len(texts), turns=2, prefix="warmup")


def concurrency_levels(url: str, texts: list[list[str]], levels: tuple[int, ...] = LEVELS,
                       turns: int = 5, messages_per_level: int = 400, max_seconds: float = 60) -> list[dict]:
    """One short run per concurrency: conversations of `turns` messages, `level` at a time."""
    results = []
    for level in levels:
        conversations = max(level, messages_per_level // turns)
        result = load(url, texts, concurrency=level, conversations=conversations, turns=turns,
                      prefix=f"level{level}", max_seconds=max_seconds, seed=level)
        results.append({**result.summary(), **cpu_load()})
    return results


def by_turn(result: LoadResult, first: range, last: range) -> dict:
    """Latency percentiles of the early turns against the late turns of the same conversations."""
    early = [s.milliseconds for s in result.samples if s.ok and s.turn in first]
    late = [s.milliseconds for s in result.samples if s.ok and s.turn in last]
    early_p, late_p = percentiles(early), percentiles(late)
    means: dict[int, list[float]] = {}
    for sample in result.samples:
        if sample.ok:
            means.setdefault(sample.turn, []).append(sample.milliseconds)
    return {
        "turns_early": f"{first.start}-{first.stop - 1}", "turns_late": f"{last.start}-{last.stop - 1}",
        "early": early_p, "late": late_p,
        "p95_ratio": round(late_p["p95_ms"] / early_p["p95_ms"], 2) if early_p["p95_ms"] else None,
        "mean_by_turn": {turn: round(sum(v) / len(v), 1) for turn, v in sorted(means.items())},
        "errors": result.errors,
    }


def turn_growth(url: str, texts: list[list[str]], conversations: int = 8, turns: int = 100) -> dict:
    """`conversations` conversations of `turns` messages, one after the other (no concurrency)."""
    result = load(url, texts, concurrency=1, conversations=conversations, turns=turns, prefix="long",
                  max_seconds=600)
    window = max(1, min(5, turns // 10))
    return {**by_turn(result, range(1, 1 + window), range(turns - window + 1, turns + 1)),
            "conversations": conversations, **cpu_load()}


def stored_latency(url: str, database_url: str, texts: list[list[str]], messages: int, prefix: str) -> dict:
    """Sequential latency of 5 conversations, with the number of conversations stored beforehand."""
    stored = count_conversations(database_url)
    result = load(url, texts, concurrency=1, conversations=5, turns=max(1, messages // 5), prefix=prefix, seed=7)
    return {"stored_conversations": stored, **result.summary(), **cpu_load()}


def seed_and_measure(url: str, database_url: str, texts: list[list[str]], few: dict, stored: int,
                     messages: int) -> dict:
    """Adds `stored` conversations to the table, measures again, and compares with `few`."""
    # Copies of the short warm-up conversations (2 turns, one per language): 100,000 copies of the long
    # measured ones would be tens of millions of rows, far from what a real store holds.
    seeding = seed_conversations(database_url, "warmup", stored)
    many = stored_latency(url, database_url, texts, messages, prefix="manystored")
    return {"few": few, "many": many, "seeding": seeding,
            "p95_ratio": round(many["p95_ms"] / few["p95_ms"], 2) if few["p95_ms"] else None}


def check_reply(url: str) -> None:
    """Fails early, with the reason, when the server does not answer a message."""
    import asyncio

    import aiohttp

    async def once() -> tuple:
        async with aiohttp.ClientSession() as session:
            return await send(session, url, f"check-{time.time()}", "hallo")

    _, ok, replies, error = asyncio.run(once())
    if not ok or not replies:
        raise RuntimeError(f"{url} does not answer a message: {error or 'no reply'}")


def run_speed(url: str, pids: dict[str, int], database_url: str | None, quick: bool = False,
              progress: Callable[[str], None] = print) -> dict:
    """Every speed measurement against the server at `url` whose processes are `pids`."""
    texts = texts_by_language()
    check_reply(url)
    warm_up(url, texts)
    results: dict = {"url_kind": "REST", "load_before": cpu_load()}
    stored_messages = 15 if quick else 150
    with PeakMemory(pids) as memory:
        if database_url:
            progress("latency with few stored conversations")
            few = stored_latency(url, database_url, texts, stored_messages, prefix="fewstored")
        progress("concurrency levels")
        results["levels"] = concurrency_levels(url, texts, messages_per_level=40 if quick else 400)
        progress("turn 1 against turn 100")
        results["turns"] = turn_growth(url, texts, conversations=2 if quick else 8, turns=10 if quick else 100)
        if database_url:
            progress("latency with many stored conversations")
            results["stored"] = seed_and_measure(url, database_url, texts, few, 200 if quick else 100_000,
                                                 stored_messages)
    results["peak_rss_mb"] = memory.peak_mb()
    results["cpu"] = memory.cpu()
    results["load_after"] = cpu_load()
    return results
