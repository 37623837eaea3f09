"""BENCHMARKS.md and its charts (docs/bench/*.png) from the results in docs/bench/*.json.

Only the part between the `bench:start`/`bench:end` markers is rewritten; notes written by hand
around it (profiles, what is Rasa's) stay.
"""
from __future__ import annotations

import json
import platform
import subprocess
import time
from pathlib import Path

from bot.bench.understanding import COMPARED, ratio_key
from bot.languages import SUPPORTED
from bot.paths import ROOT

# The figures are kept with the charts (committed), so running one part keeps the others' figures.
RESULTS = ROOT / "docs" / "bench"
CHARTS = ROOT / "docs" / "bench"
DOCUMENT = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# The targets on 2 cores with one Rasa process.
TARGET_P95_MS, TARGET_MSGS_PER_S, TARGET_RSS_MB, TARGET_TURN_RATIO = 100, 80, 1200, 1.5


def load_results(folder: Path = RESULTS) -> dict:
    return {path.stem: json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))}


def machine() -> dict:
    """What the figures were measured on."""
    import psutil

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    try:
        from importlib.metadata import version

        rasa = version("rasa")
    except Exception:  # noqa: BLE001 (any failure: just not shown)
        rasa = "?"
    return {"cpu": model or platform.processor(), "cores": psutil.cpu_count() or 0,
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version(),
            "rasa": rasa, "system": f"{platform.system()} {platform.release()}"}


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} + uncommitted changes" if git("status", "--porcelain") else head


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def _load(entry: dict) -> str:
    return f"{entry.get('load_1m', '?')}" if entry else "?"


def targets(results: dict) -> list[str]:
    speed = results.get("speed", {})
    levels = {level["concurrency"]: level for level in speed.get("levels", [])}
    sequential, twenty = levels.get(1, {}), levels.get(20, {})
    rss = speed.get("peak_rss_mb", {}).get("rasa")
    ratio = speed.get("turns", {}).get("p95_ratio")
    rows = [
        ("p95 per message, sequential", f"≤ {TARGET_P95_MS} ms", f"{sequential.get('p95_ms', '–')} ms",
         sequential.get("p95_ms", 1e9) <= TARGET_P95_MS if sequential else None),
        ("throughput at 20 concurrent conversations, no errors", f"≥ {TARGET_MSGS_PER_S} msgs/s",
         f"{twenty.get('msgs_per_s', '–')} msgs/s, {twenty.get('errors', '–')} errors",
         (twenty.get("msgs_per_s", 0) >= TARGET_MSGS_PER_S and twenty.get("errors") == 0) if twenty else None),
        ("peak RSS of the Rasa process", f"≤ {TARGET_RSS_MB} MB", f"{rss if rss is not None else '–'} MB",
         rss <= TARGET_RSS_MB if rss is not None else None),
        ("p95 at turn 100 / p95 at turn 1", f"≤ {TARGET_TURN_RATIO}", f"{ratio if ratio is not None else '–'}",
         ratio <= TARGET_TURN_RATIO if ratio is not None else None),
    ]
    lines = ["| target | wanted | measured | |", "|---|---|---|---|"]
    lines += [f"| {name} | {wanted} | {measured} | {_mark(ok)} |" for name, wanted, measured, ok in rows]
    return lines


def understanding_section(result: dict) -> list[str]:
    if not result:
        return ["Not measured yet (`make bench` or `python -m bot.bench understanding`)."]
    pipelines = result["pipelines"]
    ours = pipelines.get("ours", {})
    others = [name for name in COMPARED if name in pipelines]
    columns = "".join(f" {name}: macro F1 | ours / {name} |" for name in others)
    header = f"| language | ours: macro F1 |{columns}"
    lines = [
        f"{result['folds']}-fold cross-validation on `data/nlu/` ({result['examples']} examples), the same folds "
        f"for every pipeline (stratified by language and intent, seed {result['seed']})."
        + (" **Tiny run (1 epoch, 4 examples per intent and language): the harness works, the figures mean "
           "nothing.**" if result.get("tiny") else "")
        + _tested_folds(result),
        "",
        header,
        "|---|---|" + "---|---|" * len(others),
    ]
    for language in [*SUPPORTED, "all"]:
        cells = [_macro_f1(ours, language)]
        for name in others:
            ratio = result.get(ratio_key(name), {}).get(language)
            cells += [_macro_f1(pipelines[name], language), ratio if ratio is not None else "–"]
        lines.append(f"| {language} | " + " | ".join(str(cell) for cell in cells) + " |")
    for name, figures in pipelines.items():
        seconds = figures.get("training_seconds_per_fold", [])
        lines.append("")
        lines.append(f"`{name}` ({figures.get('config')}): training per fold {seconds} s"
                     + (f", {figures['reused_folds']} fold(s) reused from an earlier run" if figures.get(
                         "reused_folds") else "") + ".")
    return lines


def _tested_folds(result: dict) -> str:
    tested = result.get("tested_folds")
    if not tested or len(tested) == result["folds"]:
        return ""
    names = ", ".join(str(fold) for fold in tested)
    which = f"fold {names} of {result['folds']} was" if len(tested) == 1 else f"folds {names} of {result['folds']} were"
    return (f" **Only {which} tested**: every pipeline trained on the same other folds and was tested on "
            f"{'that one' if len(tested) == 1 else 'those'}, so this is a shared split, not a full cross-validation.")


def _macro_f1(figures: dict, language: str) -> float | str:
    value = (figures.get("overall_macro_f1") if language == "all"
             else figures.get("per_language", {}).get(language, {}).get("macro_f1"))
    return value if value is not None else "–"


def speed_section(speed: dict, training_seconds: str) -> list[str]:
    if not speed:
        return ["Not measured yet."]
    lines = [
        "One Rasa process and one action server (`tests/servers.py`: the project's endpoints, SQLite tracker "
        "store through the privacy wrapper), REST channel, an asyncio client (`bot/bench/load.py`); each "
        "conversation waits for a reply before its next message; held-out messages in all eight languages.",
        "",
        "| conversations at a time | messages | errors | msgs/s | p50 ms | p95 ms | p99 ms | load (1 min) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for level in speed.get("levels", []):
        lines.append(f"| {level['concurrency'] if level['concurrency'] > 1 else '1 (sequential)'} "
                     f"| {level['messages']} | {level['errors']} | {level['msgs_per_s']} | {level['p50_ms']} "
                     f"| {level['p95_ms']} | {level['p99_ms']} | {_load(level)} |")
    rss = speed.get("peak_rss_mb", {})
    cpu = speed.get("cpu", {})
    lines += ["", "Peak RSS: " + ", ".join(f"{name} {value} MB" for name, value in rss.items())
              + f". Training time (`make train`, reports/training_seconds.txt): {training_seconds} s."]
    if cpu:
        lines.append(f"CPU during the speed runs: {cpu.get('ours_cpu_s')} s used by the measured processes and "
                     f"the client, {cpu.get('others_cpu_s')} s by other work on the machine.")
    turns = speed.get("turns")
    if turns:
        lines += ["", "### Cost of a long conversation", "",
                  f"{turns['conversations']} conversations of {max(map(int, turns['mean_by_turn']))} turns, "
                  "one message at a time.", "",
                  "| turns | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|",
                  f"| {turns['turns_early']} | {turns['early']['p50_ms']} | {turns['early']['p95_ms']} "
                  f"| {turns['early']['p99_ms']} |",
                  f"| {turns['turns_late']} | {turns['late']['p50_ms']} | {turns['late']['p95_ms']} "
                  f"| {turns['late']['p99_ms']} |",
                  "", f"p95 late / early: **{turns['p95_ratio']}**. Chart: docs/bench/latency_by_turn.png."]
    stored = speed.get("stored")
    if stored:
        few, many, seeding = stored["few"], stored["many"], stored["seeding"]
        lines += ["", "### Cost of many stored conversations", "",
                  f"The `events` table was filled directly with {seeding['conversations']} copies of real "
                  f"conversations ({seeding['rows']} rows in {seeding['seconds']} s, `bot/bench/store.py`).", "",
                  "| stored conversations | messages | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|",
                  f"| {few['stored_conversations']} | {few['messages']} | {few['p50_ms']} | {few['p95_ms']} "
                  f"| {few['p99_ms']} |",
                  f"| {many['stored_conversations']} | {many['messages']} | {many['p50_ms']} | {many['p95_ms']} "
                  f"| {many['p99_ms']} |", "", f"p95 ratio: **{stored['p95_ratio']}**."]
    return lines


def cluster_section(cluster: dict) -> list[str]:
    if not cluster:
        return ["Not measured yet."]
    lines = [f"`make scale-up`'s stack on throw-away ports: nginx, PostgreSQL tracker store, Redis lock store, "
             f"two action servers; {cluster['concurrency']} conversations at a time through nginx.", "",
             "| Rasa instances | messages | errors | msgs/s | p50 ms | p95 ms | p99 ms | load (1 min) |",
             "|---|---|---|---|---|---|---|---|"]
    for label, key in (("2", "two_instances"), ("1 (the other stopped)", "one_instance")):
        entry = cluster.get(key)
        if entry:
            lines.append(f"| {label} | {entry['messages']} | {entry['errors']} | {entry['msgs_per_s']} "
                         f"| {entry['p50_ms']} | {entry['p95_ms']} | {entry['p99_ms']} | {_load(entry)} |")
    if cluster.get("peak_rss_mb"):
        lines += ["", "Peak RSS: " + ", ".join(f"{k} {v} MB" for k, v in cluster["peak_rss_mb"].items()) + "."]
    return lines


def profile_section(profile: dict) -> list[str]:
    if not profile:
        return ["No summary (`python -m bot.bench profile` writes reports/bench/profile.txt; see the Notes below)."]
    lines = [f"{profile['messages']} messages (conversations of {profile.get('turns', '?')} turns) handled "
             "in-process (`Agent.handle_message`, no HTTP) under "
             f"pyinstrument (`bot/bench/profile.py`): {profile['ms_per_message']} ms per message while profiled. "
             "Share of the sampled time by where the code lives:", "",
             "| part | share |", "|---|---|"]
    lines += [f"| {name} | {round(share * 100, 1)} % |" for name, share in profile["share_by_part"].items()]
    lines += ["", "Our outermost functions, time per message including what they call:", "",
              "| function | ms per message |", "|---|---|"]
    lines += [f"| `{name}` | {value} |" for name, value in profile["ours_ms_per_message_inclusive"].items()]
    return lines


def charts(results: dict, folder: Path = CHARTS) -> list[Path]:
    """PNG charts of what was measured; returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    speed = results.get("speed", {})
    if speed.get("levels"):
        levels = speed["levels"]
        fig, ax = plt.subplots(figsize=(7, 4))
        x = [level["concurrency"] for level in levels]
        for key in ("p50_ms", "p95_ms", "p99_ms"):
            ax.plot(x, [level[key] for level in levels], marker="o", label=key.replace("_ms", ""))
        ax.axhline(TARGET_P95_MS, color="grey", linestyle="--", linewidth=0.8)
        ax.set_xlabel("conversations at a time")
        ax.set_ylabel("ms per message")
        ax2 = ax.twinx()
        ax2.bar(x, [level["msgs_per_s"] for level in levels], alpha=0.2, width=2, color="green")
        ax2.set_ylabel("messages per second (bars)")
        ax.legend(loc="upper left")
        fig.tight_layout()
        written.append(folder / "latency_by_concurrency.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    if speed.get("turns", {}).get("mean_by_turn"):
        means = speed["turns"]["mean_by_turn"]
        fig, ax = plt.subplots(figsize=(7, 3.5))
        ax.plot([int(turn) for turn in means], list(means.values()))
        ax.set_xlabel("turn of the conversation")
        ax.set_ylabel("mean ms per message")
        ax.set_ylim(bottom=0)
        fig.tight_layout()
        written.append(folder / "latency_by_turn.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    understanding = results.get("understanding", {})
    if understanding.get("pipelines"):
        pipelines = understanding["pipelines"]
        fig, ax = plt.subplots(figsize=(8, 4))
        x = range(len(SUPPORTED))
        names = [name for name in ("ours", *COMPARED) if name in pipelines]
        width = 0.8 / len(names)
        for position, name in enumerate(names):
            per = pipelines[name].get("per_language", {})
            ax.bar([i + (position - (len(names) - 1) / 2) * width for i in x],
                   [per.get(lang, {}).get("macro_f1", 0) for lang in SUPPORTED], width=width, label=name)
        ax.set_xticks(list(x), SUPPORTED)
        ax.set_ylim(0, 1)
        ax.set_ylabel("intent macro F1 (cross-validation)")
        ax.legend(loc="lower right")
        fig.tight_layout()
        written.append(folder / "f1_ours_vs_stock.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written


def _image(title: str, name: str) -> list[str]:
    return [f"![{title}](docs/bench/{name})"] if (CHARTS / name).exists() else []


def render(results: dict) -> str:
    info = machine()
    training = (ROOT / "reports" / "training_seconds.txt")
    training_seconds = training.read_text().strip() if training.exists() else "–"
    dates = sorted({r.get("measured_at", "") for r in results.values() if isinstance(r, dict)} - {""})
    lines = [
        START,
        "",
        f"Measured {', '.join(dates) or time.strftime('%Y-%m-%d')} on {info['cores']} cores ({info['cpu']}), "
        f"{info['memory_gb']} GB, {info['system']}, Python {info['python']}, Rasa {info['rasa']}; commit "
        f"{commit()}. The machine was shared with other work: the load average at each measurement is in the "
        "tables.",
        "",
        "## Targets (2 cores, one Rasa process)",
        "",
        *targets(results),
        "",
        "## Understanding: our pipeline against Rasa's stock pipeline (and our previous one)",
        "",
        *understanding_section(results.get("understanding", {})),
        "",
        *_image("F1 per language", "f1_ours_vs_stock.png"),
        "",
        "## Speed over REST",
        "",
        *speed_section(results.get("speed", {}), training_seconds),
        "",
        *_image("latency by concurrency", "latency_by_concurrency.png"),
        *_image("latency by turn", "latency_by_turn.png"),
        "",
        "## Where the time goes",
        "",
        *profile_section(results.get("profile", {})),
        "",
        "## Several instances",
        "",
        *cluster_section(results.get("cluster", {})),
        "",
        END,
    ]
    return "\n".join(lines)


def write(results: dict | None = None, document: Path = DOCUMENT, chart_folder: Path = CHARTS) -> Path:
    results = load_results() if results is None else results
    charts(results, chart_folder)
    block = render(results)
    if document.exists() and START in document.read_text("utf-8"):
        text = document.read_text("utf-8")
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        document.write_text(before + block + after, "utf-8")
    else:
        document.write_text("# Benchmarks\n\n`make bench` writes the figures below (bot/bench/).\n\n" + block
                            + "\n\n## Notes\n", "utf-8")
    return document
