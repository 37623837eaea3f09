"""`make eval`: how well the assistant understands each language, written to `reports/`.

1. 5-fold cross-validation of the NLU pipeline on `data/nlu/`, broken down by language (each
   example's language is the folder it comes from), on the seeded, stratified folds of `make bench`
   (bot.bench.understanding): a fold already trained on the same data and configuration is reused;
2. the held-out sets `tests/nlu/<lang>.yml`, never trained on, against the trained model;
3. language detection accuracy on messages of three words or more;
4. parse time per message in-process.
It writes `reports/nlu/summary.json`, `reports/nlu/summary.md`, a chart, and the README's figures.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bot.language_detection import detect
from bot.languages import SUPPORTED
from bot.paths import ROOT
from bot.serve import quiet_environment
from bot.text import word_count

REPORTS = ROOT / "reports" / "nlu"
MODEL = ROOT / "models" / "current.tar.gz"
README = ROOT / "README.md"
TARGET_CV, TARGET_HELD_OUT, TARGET_DETECTION = 0.95, 0.90, 0.97


def examples(folder: Path, pattern: str) -> list[tuple[str, str, str]]:
    """(language, intent, text) of every example in the NLU files under `folder`."""
    rows = []
    for path in sorted(folder.glob(pattern)):
        language = path.parent.name if path.parent.name in SUPPORTED else path.stem
        for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = re.sub(r"^\s*-\s?", "", line).strip()
                if text:
                    rows.append((language, block["intent"], text))
    return rows


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the gold intents of (gold, predicted) pairs."""
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def rasa(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=quiet_environment(), check=True)


def _predicted_rows(out: Path) -> list[tuple[str, dict]]:
    """(text, intent prediction) of every example in Rasa's successes and errors files."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            rows += [(row["text"], row.get("intent_prediction") or {}) for row in json.loads(path.read_text("utf-8"))]
    return rows


def predictions(out: Path) -> dict[str, str]:
    """text -> predicted intent."""
    return {text: prediction.get("name") for text, prediction in _predicted_rows(out)}


def confidences(out: Path) -> dict[str, float]:
    """text -> confidence of the top intent."""
    return {text: float(prediction.get("confidence") or 0) for text, prediction in _predicted_rows(out)}


def fallback_threshold() -> float:
    config = yaml.safe_load((ROOT / "config.yml").read_text("utf-8"))
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")


def per_language(rows: list[tuple[str, str, str]], predicted: dict[str, str]) -> dict[str, dict]:
    by_language: dict[str, list] = defaultdict(list)
    confusions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for language, intent, text in rows:
        guess = predicted.get(text)
        if guess is None:
            continue
        by_language[language].append((intent, guess))
        if guess != intent:
            confusions[language][f"{intent} -> {guess}"] += 1
    return {
        language: {
            "macro_f1": round(macro_f1(pairs), 4),
            "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
            "examples": len(pairs),
            "top_confusions": dict(sorted(confusions[language].items(), key=lambda kv: -kv[1])[:8]),
        }
        for language, pairs in sorted(by_language.items())
    }


def cross_validation(folds: int) -> dict[str, dict]:
    """Per-language figures of an n-fold cross-validation of config.yml on data/nlu."""
    from bot.bench.understanding import cross_validate

    return cross_validate(folds=folds, reuse=True, configs={"ours": ROOT / "config.yml"})["pipelines"]["ours"][
        "per_language"]


def held_out() -> dict[str, dict]:
    """Per-language figures on the held-out sets, plus how often the assistant would ask to rephrase."""
    out = REPORTS / "held_out"
    rasa("test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu", "--out", str(out), "--successes")
    rows = examples(ROOT / "tests" / "nlu", "*.yml")
    results = per_language(rows, predictions(out))
    confidence, threshold = confidences(out), fallback_threshold()
    for language, figures in results.items():
        mine = [text for lang, _, text in rows if lang == language and text in confidence]
        below = sum(1 for text in mine if confidence[text] < threshold)
        figures["asks_to_rephrase"] = round(below / len(mine), 4) if mine else 0.0
    return results


CHECK_SET = ROOT / "tests" / "nlu_language"
MIN_WORDS_FOR_DETECTION = 3


def check_set_messages() -> list[tuple[str, str, str]]:
    """(language, "", text) of the language-detection check set `tests/nlu_language/<lang>.yml`."""
    rows = []
    for path in sorted(CHECK_SET.glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        rows += [(data["language"], "", str(text)) for text in data.get("messages") or []]
    return rows


def detection_figures(rows: list[tuple[str, str, str]]) -> dict[str, dict]:
    """Per language: detection accuracy on messages of three words or more, and what went wrong."""
    results: dict[str, list[bool]] = defaultdict(list)
    confusions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: dict[str, list[str]] = defaultdict(list)
    for language, _, text in rows:
        if word_count(text) < MIN_WORDS_FOR_DETECTION:
            continue
        detected = detect(text).language
        results[language].append(detected == language)
        if detected != language:
            confusions[language][f"{language} -> {detected}"] += 1
            misses[language].append(f"{detected}: {text}")
    return {
        language: {
            "accuracy": round(sum(ok) / len(ok), 4),
            "messages": len(ok),
            "confusions": dict(sorted(confusions[language].items(), key=lambda kv: -kv[1])),
            "misses": misses[language],
        }
        for language, ok in sorted(results.items())
    }


def language_detection() -> dict[str, dict]:
    """Detection figures on the held-out sets, the training data and the detection check set."""
    return {
        "held_out": detection_figures(examples(ROOT / "tests" / "nlu", "*.yml")),
        "check_set": detection_figures(check_set_messages()),
        "training_data": detection_figures(examples(ROOT / "data" / "nlu", "*/*.yml")),
    }


def print_detection(figures: dict[str, dict], verbose: bool) -> None:
    """Prints detection accuracy per set and language, and with `verbose` every miss."""
    for name, by_language in figures.items():
        line = "  ".join(f"{code} {by_language[code]['accuracy']:.3f}" for code in SUPPORTED if code in by_language)
        print(f"{name:14s} {line}")
        for code in SUPPORTED:
            confusions = by_language.get(code, {}).get("confusions")
            if confusions:
                print(f"{'':14s} {code}: " + ", ".join(f"{pair} ×{n}" for pair, n in confusions.items()))
            if verbose:
                for miss in by_language.get(code, {}).get("misses", []):
                    print(f"{'':18s}{miss}")


def parse_times() -> dict[str, float]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    texts = [text for _, _, text in examples(ROOT / "tests" / "nlu", "*.yml")][:400]

    async def run() -> list[float]:
        await agent.parse_message("warm up")
        times = []
        for text in texts:
            start = time.perf_counter()
            await agent.parse_message(text)
            times.append((time.perf_counter() - start) * 1000)
        return times

    times = sorted(asyncio.run(run()))
    return {
        "messages": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "mean_ms": round(statistics.mean(times), 1),
    }


def chart(summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    languages = list(SUPPORTED)
    cv = [summary["cross_validation"].get(code, {}).get("macro_f1", 0) for code in languages]
    ho = [summary["held_out"].get(code, {}).get("macro_f1", 0) for code in languages]
    x = range(len(languages))
    fig, ax = plt.subplots(figsize=(8, 4))
    folds = f"{summary['folds']} folds" if summary.get("folds") else "not run"
    ax.bar([i - 0.2 for i in x], cv, width=0.4, label=f"cross-validation ({folds})")
    ax.bar([i + 0.2 for i in x], ho, width=0.4, label="held-out set")
    ax.axhline(TARGET_CV, color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(TARGET_HELD_OUT, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xticks(list(x), languages)
    ax.set_ylim(0.5, 1.0)
    ax.set_ylabel("intent macro F1")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(REPORTS / "intent_f1_by_language.png", dpi=120)


def markdown(summary: dict) -> str:
    lines = [
        "| language | CV macro F1 | held-out macro F1 | held-out accuracy | asks to rephrase "
        "| language detection, held-out (≥3 words) | language detection, check set (≥3 words) |",
        "|---|---|---|---|---|---|---|",
    ]
    for language in SUPPORTED:
        cv = summary["cross_validation"].get(language, {})
        ho = summary["held_out"].get(language, {})
        det = summary["language_detection"]["held_out"].get(language, {})
        check = summary["language_detection"]["check_set"].get(language, {})
        lines.append(
            f"| {language} | {cv.get('macro_f1', '–')} | {ho.get('macro_f1', '–')} ({ho.get('examples', 0)} msgs) "
            f"| {ho.get('accuracy', '–')} | {ho.get('asks_to_rephrase', '–')} "
            f"| {det.get('accuracy', '–')} ({det.get('messages', 0)} msgs) "
            f"| {check.get('accuracy', '–')} ({check.get('messages', 0)} msgs) |"
        )
    parse = summary["parse_time"]
    folds = f"{summary['folds']} folds" if summary.get("folds") else "not run this time"
    lines += [
        "",
        f"Cross-validation: {folds}. "
        f"Parse time per message (in-process, {parse['messages']} messages): p50 {parse['p50_ms']} ms, "
        f"p95 {parse['p95_ms']} ms. Training time: {summary.get('training_seconds', '–')} s. "
        f"Measured {summary['date']} on {summary['machine']}.",
    ]
    return "\n".join(lines)


def write_detection_figures(figures: dict[str, dict]) -> None:
    """Replaces the detection figures of the last `make eval` summary, saying when each was measured."""
    summary = json.loads((REPORTS / "summary.json").read_text("utf-8"))
    summary.setdefault("folds", 5)
    summary["language_detection"] = figures
    table = markdown(summary) + (
        f" Language detection re-measured {time.strftime('%Y-%m-%d %H:%M')} UTC; intent figures are from the "
        f"{summary['date']} `make eval` and predate later training data."
    )
    (REPORTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
    (REPORTS / "summary.md").write_text(table + "\n", "utf-8")
    update_readme(table)
    print(table)


def update_readme(table: str) -> None:
    start, end = "<!-- nlu-figures:start -->", "<!-- nlu-figures:end -->"
    text = README.read_text("utf-8")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        README.write_text(f"{before}{start}\n{table}\n{end}{after}", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true",
                        help="no cross-validation (a busy machine); the table says it was not run")
    parser.add_argument("--training-seconds", type=float, default=None)
    parser.add_argument("--detection-only", action="store_true",
                        help="only measure language detection (no model needed; seconds)")
    parser.add_argument("--verbose", action="store_true", help="with --detection-only: list every miss")
    parser.add_argument("--update-figures", action="store_true",
                        help="with --detection-only: put the new detection figures beside the last intent figures")
    args = parser.parse_args()
    if args.detection_only:
        figures = language_detection()
        print_detection(figures, args.verbose)
        if args.update_figures:
            write_detection_figures(figures)
        return 0
    REPORTS.mkdir(parents=True, exist_ok=True)
    previous = json.loads((REPORTS / "summary.json").read_text()) if (REPORTS / "summary.json").exists() else {}
    previous.pop("cross_validation", None)
    summary = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{_cpus()} CPU cores, Python {sys.version.split()[0]}",
        "folds": None if args.skip_cv else args.folds,
        "cross_validation": {} if args.skip_cv else cross_validation(args.folds),
        "held_out": held_out(),
        "language_detection": language_detection(),
        "parse_time": parse_times(),
        "training_seconds": args.training_seconds or _training_seconds() or previous.get("training_seconds"),
    }
    (REPORTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
    table = markdown(summary)
    (REPORTS / "summary.md").write_text(table + "\n", "utf-8")
    chart(summary)
    update_readme(table)
    print(table)
    return 0


def _training_seconds() -> float | None:
    path = ROOT / "reports" / "training_seconds.txt"
    return float(path.read_text().strip()) if path.exists() else None


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
