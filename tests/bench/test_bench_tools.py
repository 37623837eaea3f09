"""The benchmark tools themselves (quick: no Rasa server, no training). `make bench` runs them for real."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
import yaml
from aiohttp import web

from bot.bench import report, understanding
from bot.bench.load import load, percentile, percentiles
from bot.bench.memory import PeakMemory
from bot.bench.store import count_conversations, seed_conversations
from bot.bench.understanding import make_folds, nlu_yaml, plain, sample_rows, tiny_config
from bot.paths import ROOT


class FakeRest:
    """A real HTTP server speaking the REST channel's protocol: replies after `delay` seconds, fails
    with HTTP 500 on the text "fail", and records every (sender, text) it got."""

    def __init__(self, delay: float = 0.01) -> None:
        self.delay, self.received, self.url = delay, [], ""
        self.in_flight = self.most_in_flight = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append((body["sender"], body["message"]))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.delay)
        self.in_flight -= 1
        if body["message"] == "fail":
            return web.Response(status=500, text="boom")
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    def __enter__(self) -> FakeRest:
        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/webhooks/rest/webhook", self.webhook)
            runner = web.AppRunner(app)
            self._loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
            self._ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(runner.cleanup())

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def test_percentiles_use_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50 and percentile(values, 0.95) == 95 and percentile(values, 0.99) == 99
    assert percentile([], 0.95) == 0.0
    assert percentiles([10.0])["p99_ms"] == 10.0


def test_load_sends_every_turn_of_every_conversation_in_order_and_counts_errors():
    texts = [["hallo", "fail", "dank je"], ["hello", "thanks"]]
    with FakeRest(delay=0.02) as server:
        result = load(server.url, texts, concurrency=4, conversations=8, turns=3, seed=5)
    assert len(result.samples) == 24 == len(server.received)
    failures = sum(1 for _, text in server.received if text == "fail")
    assert result.errors == failures and {s.error for s in result.samples if not s.ok} <= {"HTTP 500"}
    for sender in {s.conversation for s in result.samples}:
        turns = [s.turn for s in result.samples if s.conversation == sender]
        assert turns == [1, 2, 3]
    assert all(s.milliseconds >= 15 for s in result.samples)
    assert server.most_in_flight == 4  # 4 conversations at a time, never more
    assert result.summary()["msgs_per_s"] > 0


def test_load_counts_a_server_that_is_not_there_as_errors():
    from bot.local_servers import free_port

    result = load(f"http://127.0.0.1:{free_port()}", [["hi"]], concurrency=2, conversations=2, turns=2)
    assert result.errors == 4 and result.throughput == 0


def test_peak_memory_sees_a_process_grow():
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(150 * 2**20); time.sleep(3)"])
    try:
        with PeakMemory({"child": child.pid}, interval=0.05) as memory:
            time.sleep(1.5)
        assert memory.peak_mb()["child"] > 140
        assert memory.cpu()["machine_cpu_s"] >= 0
    finally:
        child.kill()
        child.wait()


def test_folds_are_stratified_disjoint_complete_and_repeatable():
    rows = [(lang, intent, f"{lang} {intent} {n}") for lang in ("nl", "ar") for intent in ("a", "b", "c")
            for n in range(7)]
    folds = make_folds(rows, 3, seed=1)
    assert folds == make_folds(rows, 3, seed=1) and folds != make_folds(rows, 3, seed=2)
    assert sorted(i for fold in folds for i in fold) == list(range(len(rows)))
    for fold in folds:
        for lang in ("nl", "ar"):
            for intent in ("a", "b", "c"):
                assert 2 <= sum(1 for i in fold if rows[i][:2] == (lang, intent)) <= 3


def test_a_fold_is_not_reused_after_a_concept_file_changes(tmp_path, monkeypatch):
    from bot import concepts

    config_text = (ROOT / "config.yml").read_text(encoding="utf-8")
    concept_file = tmp_path / "xx.yml"
    monkeypatch.setattr(concepts, "files", lambda folder=None: [concept_file])
    concept_file.write_text("doctor: [huisarts]\n", encoding="utf-8")
    before = understanding.components_fingerprint(config_text)
    assert "LinearIntentClassifier=" in before and "MultilingualTokenizer=" in before
    assert understanding.components_fingerprint(config_text) == before
    concept_file.write_text("doctor: [huisarts, dokter]\n", encoding="utf-8")
    assert understanding.components_fingerprint(config_text) != before


def test_fold_files_are_rasa_nlu_data_and_keep_annotations():
    text = nlu_yaml([("nl", "ask_gp", "waar is een huisarts in [Utrecht](city)?"), ("en", "greet", "hi: there")])
    data = yaml.safe_load(text)
    assert data["version"] == "3.1"
    assert {block["intent"] for block in data["nlu"]} == {"ask_gp", "greet"}
    assert "- hi: there" in data["nlu"][1]["examples"]
    assert plain("waar is een huisarts in [Utrecht](city)?") == "waar is een huisarts in Utrecht?"


def test_tiny_config_sets_every_trained_components_epochs():
    config = tiny_config(ROOT / "bench" / "stock-config.yml", 1)
    epochs = {c["name"]: c.get("epochs") for c in config["pipeline"]}
    assert epochs["DIETClassifier"] == 1 and epochs["ResponseSelector"] == 1
    assert tiny_config(ROOT / "config.yml", 1)["pipeline"]


def test_stock_config_is_rasas_default_pipeline():
    from importlib.resources import files

    default = yaml.safe_load(files("rasa.engine.recipes").joinpath("config_files/default_config.yml").read_text())
    stock = yaml.safe_load((ROOT / "bench" / "stock-config.yml").read_text("utf-8"))
    assert stock["pipeline"] == default["pipeline"] and stock["language"] == default["language"]


def test_sample_rows_keeps_every_group():
    rows = [("nl", "a", str(n)) for n in range(10)] + [("ar", "b", "x")]
    picked = sample_rows(rows, 3)
    assert len(picked) == 4 and ("ar", "b", "x") in picked


def test_seeding_copies_real_conversations_in_bulk(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    db = tmp_path / "conversations.db"
    SQLTrackerStore(dialect="sqlite", db=str(db))  # creates Rasa's own table
    url = f"sqlite:///{db}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for sender in ("fewstored-1", "fewstored-2", "other"):
            for n, kind in enumerate(("session_started", "user", "bot")):
                connection.execute(sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:s, :t, :ts, NULL, NULL, :d)"), {"s": sender, "t": kind, "ts": 1000.0 + n, "d": "{}"})
    written = seed_conversations(url, "fewstored", 5000)
    assert written["rows"] == 15000 and count_conversations(url) == 5003
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT type_name, timestamp FROM events WHERE sender_id = 'seed-7' ORDER BY id")).fetchall()
    assert [row[0] for row in rows] == ["session_started", "user", "bot"]
    assert rows[0][1] > time.time() - 2 * 86_400  # recent: a retention job keeps them
    with pytest.raises(ValueError):
        seed_conversations(url, "nobody", 1)


SAMPLE = {
    "speed": {
        "levels": [{"concurrency": 1, "messages": 10, "errors": 0, "msgs_per_s": 30.0, "p50_ms": 30, "p95_ms": 40,
                    "p99_ms": 50, "load_1m": 1.0},
                   {"concurrency": 20, "messages": 100, "errors": 2, "msgs_per_s": 90.0, "p50_ms": 200,
                    "p95_ms": 300, "p99_ms": 400, "load_1m": 2.0}],
        "peak_rss_mb": {"rasa": 1300.0, "actions": 80.0},
        "turns": {"turns_early": "1-5", "turns_late": "96-100", "conversations": 2,
                  "early": {"p50_ms": 10, "p95_ms": 20, "p99_ms": 30},
                  "late": {"p50_ms": 20, "p95_ms": 25, "p99_ms": 35}, "p95_ratio": 1.25,
                  "mean_by_turn": {"1": 10, "100": 20}},
    },
}


def test_report_marks_each_target_met_or_missed(tmp_path):
    document = report.write(SAMPLE, tmp_path / "BENCHMARKS.md", tmp_path / "charts")
    text = document.read_text("utf-8")
    lines = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| p95 per")
             or line.startswith("| throughput") or line.startswith("| peak RSS") or line.startswith("| p95 at")}
    assert "met" in lines["p95 per message, sequential"]
    assert "**missed**" in lines["throughput at 20 concurrent conversations, no errors"]  # 2 errors
    assert "**missed**" in lines["peak RSS of the Rasa process"]
    assert "| met |" in lines["p95 at turn 100 / p95 at turn 1"]
    assert (tmp_path / "charts" / "latency_by_concurrency.png").stat().st_size > 1000
    # Hand-written notes around the generated block survive a rewrite.
    document.write_text(text.replace("## Notes\n", "## Notes\nprofile: ours\n"), "utf-8")
    report.write(SAMPLE, document, tmp_path / "charts")
    assert "profile: ours" in document.read_text("utf-8")


def test_profile_time_is_attributed_to_ours_or_rasas_code():
    from bot.bench.profile import _part, inclusive_ours, time_by_part

    class Frame:
        def __init__(self, path, function, self_time, children=()):
            self.file_path, self.function, self.children = path, function, list(children)
            self.time = self_time + sum(child.time for child in self.children)

    tree = Frame("/venv/site-packages/rasa/core/processor.py", "handle", 1.0, [
        Frame(str(ROOT / "bot" / "nlg.py"), "generate", 0.5, [Frame("/venv/site-packages/yaml/x.py", "load", 0.25)]),
        Frame("/venv/site-packages/tensorflow/ops.py", "matmul", 2.0),
    ])
    totals, functions = time_by_part(tree)
    assert totals == {"rasa": 1.0, "ours": 0.5, "other": 0.25, "tensorflow/numpy": 2.0}
    assert functions == {"bot/nlg.py:generate": 0.5}
    assert inclusive_ours(tree) == {"bot/nlg.py:generate": 0.75}
    # pyinstrument 5 keeps a function's own time in a "[self]" child with no file.
    redact = Frame(str(ROOT / "bot" / "privacy" / "redaction.py"), "redact_value", 0.0, [Frame(None, "[self]", 0.3)])
    harness = Frame(str(ROOT / "bot" / "bench" / "profile.py"), "_profile", 0.1, [redact])
    totals, functions = time_by_part(harness)
    assert totals == pytest.approx({"benchmark harness": 0.1, "ours": 0.3})
    assert functions == {"bot/privacy/redaction.py:redact_value": 0.3}
    assert inclusive_ours(harness) == {"bot/privacy/redaction.py:redact_value": 0.3}
    # The standard library works for its caller.
    import json

    parse = Frame("/venv/site-packages/rasa/core/tracker_store.py", "retrieve", 0.0,
                  [Frame(json.__file__, "loads", 0.2, [Frame(None, "[self]", 0.1)])])
    totals, _ = time_by_part(parse)
    assert totals == pytest.approx({"rasa": 0.3})
    assert _part(str(ROOT / "actions" / "handoff.py")) == "ours"


def test_understanding_table_shows_each_compared_pipeline_and_its_ratio():
    per = {language: {"macro_f1": 0.9} for language in ("nl", "en")}
    result = {"folds": 5, "examples": 10, "seed": 42,
              "pipelines": {"ours": {"per_language": per, "overall_macro_f1": 0.9},
                            "diet": {"per_language": {"nl": {"macro_f1": 0.8}}, "overall_macro_f1": 0.75}},
              "ratio_diet": {"nl": 1.125, "all": 1.2}}
    lines = report.understanding_section(result)
    assert "| language | ours: macro F1 | diet: macro F1 | ours / diet |" in lines
    assert "| nl | 0.9 | 0.8 | 1.125 |" in lines
    assert "| en | 0.9 | – | – |" in lines
    assert "| all | 0.9 | 0.75 | 1.2 |" in lines


def test_only_the_chosen_folds_are_trained_and_tested(monkeypatch, tmp_path):
    trained = []
    monkeypatch.setattr(understanding, "run_fold",
                        lambda name, config, fold, *rest: trained.append((name, fold)) or {"training_seconds": 1})
    monkeypatch.setattr(understanding, "predictions", lambda folder: {})
    result = understanding.cross_validate(folds=2, configs={"ours": understanding.CONFIGS["ours"]}, out=tmp_path,
                                          only_folds=[0])
    assert trained == [("ours", 0)]
    assert result["tested_folds"] == [0]
    with pytest.raises(ValueError):
        understanding.cross_validate(folds=2, out=tmp_path, only_folds=[2])


def test_understanding_table_says_when_only_some_folds_were_tested():
    result = {"folds": 2, "examples": 10, "seed": 42, "tested_folds": [0],
              "pipelines": {"ours": {"per_language": {}, "overall_macro_f1": 0.9}}}
    assert "Only fold 0 of 2 was tested" in report.understanding_section(result)[0]
    del result["tested_folds"]
    assert "Only fold" not in report.understanding_section(result)[0]
