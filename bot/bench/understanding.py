"""Cross-validated intent F1 per language of our pipeline against Rasa's stock pipeline, on the same
data and the same folds, so the gain is a ratio measured in one run.

Rasa's own `rasa test nlu --cross-validation` shuffles without a seed, so two runs never share folds.
Here the folds are made once (stratified by language and intent, seeded), written as NLU files,
and each pipeline is trained on each training part (`rasa train nlu`) and tested on the held-back
part (`rasa test nlu`). A finished fold is kept with a key (data, folds, seed, configuration and the
code and files of its custom components) and can be reused (`--reuse-cv`).
"""
from __future__ import annotations

import hashlib
import importlib
import json
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bot.evaluation import examples, macro_f1, per_language, predictions
from bot.paths import ROOT
from bot.serve import quiet_environment

OUT = ROOT / "reports" / "bench" / "understanding"
CONFIGS = {"ours": ROOT / "config.yml", "stock": ROOT / "bench" / "stock-config.yml",
           "diet": ROOT / "bench" / "diet-config.yml"}
DEFAULT_PIPELINES = ("ours", "stock")
COMPARED = tuple(name for name in CONFIGS if name != "ours")


def ratio_key(other: str) -> str:
    """Where the result keeps ours / `other`: "ratio" for the stock pipeline, "ratio_<name>" otherwise."""
    return "ratio" if other == "stock" else f"ratio_{other}"


ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def plain(text: str) -> str:
    """The message without entity annotations, as Rasa reports it."""
    return ANNOTATION.sub(r"\1", text)


def make_folds(rows: list[tuple[str, str, str]], folds: int, seed: int = 42) -> list[list[int]]:
    """Indexes of `rows` in each test fold, stratified by (language, intent): every fold gets its
    share of each language's examples of each intent."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (language, intent, _) in enumerate(rows):
        groups[(language, intent)].append(index)
    rng = random.Random(seed)
    result: list[list[int]] = [[] for _ in range(folds)]
    offset = 0
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        for position, index in enumerate(members):
            result[(position + offset) % folds].append(index)
        offset += len(members)  # spreads small groups' remainders over different folds
    return [sorted(fold) for fold in result]


def nlu_yaml(rows: list[tuple[str, str, str]]) -> str:
    """Rasa 3 NLU training data with the examples of `rows`, grouped by intent."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for _, intent, text in rows:
        by_intent[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in by_intent[intent]]
    return "\n".join(lines) + "\n"


def tiny_config(path: Path, epochs: int) -> dict:
    """The configuration with every trained component's epochs set to `epochs` (harness tests)."""
    config = yaml.safe_load(path.read_text("utf-8"))
    for component in config.get("pipeline") or []:
        if "epochs" in component or component["name"] in ("DIETClassifier", "ResponseSelector"):
            component["epochs"] = epochs
    config["policies"] = []
    return config


def sample_rows(rows: list[tuple[str, str, str]], per_group: int, seed: int = 42) -> list[tuple[str, str, str]]:
    """At most `per_group` examples of each (language, intent), for quick runs."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        groups[row[:2]].append(row)
    picked = []
    for key in sorted(groups):
        picked += rng.sample(groups[key], min(per_group, len(groups[key])))
    return picked


def _rasa(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=quiet_environment(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def components_fingerprint(config_text: str) -> str:
    """The `fingerprint_addon` of each custom component in the pipeline (their code, concept and place
    files), so a fold trained before such a change is not reused as if nothing had changed."""
    parts = []
    for entry in (yaml.safe_load(config_text) or {}).get("pipeline") or []:
        module, _, name = str(entry.get("name", "")).rpartition(".")
        if not module:
            continue
        component = getattr(importlib.import_module(module), name)
        parts.append(f"{module}.{name}={component.fingerprint_addon(entry)}")
    return "\n".join(parts)


def run_fold(name: str, config_text: str, fold: int, train: str, test: str, out: Path, reuse: bool) -> dict:
    """Trains `config_text` on `train`, tests on `test`; reuses a finished fold with the same key."""
    key = _key(config_text, components_fingerprint(config_text), train, test)
    folder = out / name / f"fold-{fold}"
    done = folder / "result.json"
    if reuse and done.exists():
        previous = json.loads(done.read_text())
        if previous.get("key") == key and (folder / "test").exists():
            return {**previous, "reused": True}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(config_text, "utf-8")
    (folder / "train.yml").write_text(train, "utf-8")
    (folder / "test.yml").write_text(test, "utf-8")
    start = time.perf_counter()
    _rasa("train", "nlu", "--config", str(folder / "config.yml"), "--nlu", str(folder / "train.yml"),
          "--out", str(folder), "--fixed-model-name", "model")
    trained = time.perf_counter() - start
    _rasa("test", "nlu", "--model", str(folder / "model.tar.gz"), "--nlu", str(folder / "test.yml"),
          "--out", str(folder / "test"), "--successes", "--no-plot")
    (folder / "model.tar.gz").unlink(missing_ok=True)
    result = {"key": key, "training_seconds": round(trained, 1), "reused": False}
    done.write_text(json.dumps(result), "utf-8")
    return result


def cross_validate(folds: int = 5, reuse: bool = False, seed: int = 42, tiny: bool = False,
                   configs: dict[str, Path] | None = None, out: Path = OUT,
                   only_folds: list[int] | None = None) -> dict:
    """Per-language macro F1 of each configuration over the same folds, and ours/stock ratios.
    `only_folds` tests those folds alone: a split both pipelines share, when all folds take too long."""
    configs = configs or {name: CONFIGS[name] for name in DEFAULT_PIPELINES}
    rows = [(language, intent, text) for language, intent, text in examples(ROOT / "data" / "nlu", "*/*.yml")]
    if tiny:
        rows = sample_rows(rows, per_group=4, seed=seed)
    test_folds = make_folds(rows, folds, seed)
    tested = sorted(set(only_folds)) if only_folds else list(range(folds))
    if not set(tested) <= set(range(folds)):
        raise ValueError(f"folds to test must be between 0 and {folds - 1}")
    results: dict = {"folds": folds, "seed": seed, "tiny": tiny, "examples": len(rows), "pipelines": {}}
    if only_folds:
        results["tested_folds"] = tested
    for name, path in configs.items():
        config_text = yaml.safe_dump(tiny_config(path, 1), sort_keys=False) if tiny else path.read_text("utf-8")
        predicted: dict[str, str] = {}
        runs = []
        for fold, test_indexes in enumerate(test_folds):
            if fold not in tested:
                continue
            held = set(test_indexes)
            train = nlu_yaml([row for index, row in enumerate(rows) if index not in held])
            test = nlu_yaml([rows[index] for index in test_indexes])
            runs.append(run_fold(name, config_text, fold, train, test, out, reuse))
            predicted.update(predictions(out / name / f"fold-{fold}" / "test"))
        plain_rows = [(language, intent, plain(text)) for language, intent, text in rows]
        results["pipelines"][name] = {
            "config": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
            "per_language": per_language(plain_rows, predicted),
            "overall_macro_f1": round(macro_f1([(intent, predicted.get(text, ""))
                                                for _, intent, text in plain_rows if text in predicted]), 4),
            "training_seconds_per_fold": [run["training_seconds"] for run in runs],
            "reused_folds": sum(1 for run in runs if run.get("reused")),
        }
    for other in COMPARED:
        if {"ours", other} <= set(results["pipelines"]):
            results[ratio_key(other)] = ratios(results["pipelines"]["ours"], results["pipelines"][other])
    return results


def ratios(ours: dict, other: dict) -> dict[str, float]:
    """Ours / other macro F1 per language and overall."""
    result = {
        language: round(figures["macro_f1"] / other["per_language"][language]["macro_f1"], 3)
        for language, figures in ours["per_language"].items()
        if other["per_language"].get(language, {}).get("macro_f1")
    }
    if other["overall_macro_f1"]:
        result["all"] = round(ours["overall_macro_f1"] / other["overall_macro_f1"], 3)
    return result

