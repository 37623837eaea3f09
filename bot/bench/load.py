"""An asyncio load client for Rasa's REST channel: conversations of several turns, sent one message
at a time per conversation (a person waits for the reply before typing), several at once.

Every message is timed from the request to the complete reply. A reply that is not HTTP 200 with a
JSON list, or a timeout, is an error.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

REST_PATH = "/webhooks/rest/webhook"


@dataclass
class Sample:
    """One message: its conversation, its turn (1-based), its latency and whether it failed."""

    conversation: str
    turn: int
    milliseconds: float
    ok: bool
    replies: int = 0
    error: str = ""
    text: str = ""


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for sample in self.samples if not sample.ok)

    @property
    def throughput(self) -> float:
        """Successful messages per second of wall time."""
        return (len(self.samples) - self.errors) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        latencies = [sample.milliseconds for sample in self.samples if sample.ok]
        errors = sorted({sample.error for sample in self.samples if sample.error})
        return {"concurrency": self.concurrency, "messages": len(self.samples), "errors": self.errors,
                "seconds": round(self.seconds, 2), "msgs_per_s": round(self.throughput, 1),
                **percentiles(latencies), "error_kinds": errors[:5]}


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` in 0..1) of `values`; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def percentiles(milliseconds: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(milliseconds, 0.50), 1),
        "p95_ms": round(percentile(milliseconds, 0.95), 1),
        "p99_ms": round(percentile(milliseconds, 0.99), 1),
        "mean_ms": round(statistics.mean(milliseconds), 1) if milliseconds else 0.0,
    }


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str,
               timeout: float = 60) -> tuple[float, bool, int, str]:
    """Sends one message; (milliseconds, ok, number of bot messages, error)."""
    start = time.perf_counter()
    try:
        async with session.post(url + REST_PATH, json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                return elapsed, False, 0, f"HTTP {response.status}"
            if not isinstance(body, list):
                return elapsed, False, 0, "reply is not a list"
            return elapsed, True, len(body), ""
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        return (time.perf_counter() - start) * 1000, False, 0, type(error).__name__


async def run_load(url: str | Callable[[int], str], texts: Sequence[Sequence[str]], concurrency: int,
                   conversations: int, turns: int, seed: int = 1, prefix: str = "bench",
                   max_seconds: float = 120) -> LoadResult:
    """`conversations` conversations of `turns` messages, `concurrency` of them at a time.

    `texts` holds one list of messages per language; a conversation keeps one language. `url` may be a
    function of the message's global index (to spread messages over instances). Stops starting new
    conversations after `max_seconds`.
    """
    rng = random.Random(seed)
    plan = []
    for number in range(conversations):
        pool = texts[number % len(texts)]
        plan.append((f"{prefix}-{uuid.uuid4().hex[:10]}-{number}", [rng.choice(pool) for _ in range(turns)]))
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    result = LoadResult(concurrency=concurrency, seconds=0.0)
    counter = iter(range(10**9))
    start = time.perf_counter()

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty() and time.perf_counter() - start < max_seconds:
            sender, messages = queue.get_nowait()
            for turn, text in enumerate(messages, start=1):
                target = url(next(counter)) if callable(url) else url
                ms, ok, replies, error = await send(session, target, sender, text)
                result.samples.append(Sample(sender, turn, ms, ok, replies, error, text))

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result


def load(url: str | Callable[[int], str], texts: Sequence[Sequence[str]], concurrency: int, conversations: int,
         turns: int, **options) -> LoadResult:
    """`run_load` from synchronous code."""
    return asyncio.run(run_load(url, texts, concurrency, conversations, turns, **options))
