"""A short run of the speed benchmark against the real servers of the test session (`make bench`
runs it at full length)."""
from __future__ import annotations

import pytest

from bot.bench.load import load
from bot.bench.speed import by_turn, check_reply, concurrency_levels, texts_by_language

pytestmark = pytest.mark.server


def test_speed_benchmark_runs_against_rasa(servers):
    texts = texts_by_language()
    assert len(texts) == 8 and all(texts)
    check_reply(servers.rasa)
    levels = concurrency_levels(servers.rasa, texts, levels=(1, 4), turns=2, messages_per_level=8)
    assert [level["concurrency"] for level in levels] == [1, 4]
    for level in levels:
        assert level["errors"] == 0, level
        assert level["messages"] == 8 and 0 < level["p50_ms"] <= level["p95_ms"] <= level["p99_ms"]
        assert level["msgs_per_s"] > 0 and "load_1m" in level
    long = load(servers.rasa, texts, concurrency=1, conversations=1, turns=6, prefix="turns")
    turns = by_turn(long, range(1, 3), range(5, 7))
    assert turns["errors"] == 0 and turns["p95_ratio"] > 0 and len(turns["mean_by_turn"]) == 6
