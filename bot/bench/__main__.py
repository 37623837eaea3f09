"""`make bench`: `python -m bot.bench [understanding|speed|cluster|report|all] [options]`.

Results go to docs/bench/<part>.json; `report` (run after each part) writes BENCHMARKS.md and
docs/bench/*.png. Every part takes minutes on 2 cores: run them on a quiet machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bot.bench.report import RESULTS, write
from bot.bench.understanding import DEFAULT_PIPELINES
from bot.paths import ROOT


def _save(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")


def _progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def understanding(args: argparse.Namespace) -> None:
    from bot.bench.understanding import CONFIGS, cross_validate

    names = args.pipelines.split(",")
    _progress(f"cross-validation, {args.folds} folds: {', '.join(names)}")
    configs = {name: CONFIGS[name] for name in names}
    only = [int(fold) for fold in args.only_folds.split(",")] if args.only_folds else None
    _save("understanding", cross_validate(folds=args.folds, reuse=args.reuse_cv, tiny=args.tiny, configs=configs,
                                          only_folds=only))


def speed(args: argparse.Namespace) -> None:
    from bot.bench.memory import server_pids
    from bot.bench.speed import run_speed
    from bot.local_servers import running_servers

    with tempfile.TemporaryDirectory(prefix="zorgrecht-bench-") as state:
        _progress("starting one action server and one Rasa process")
        # The per-sender rate limit (bot/security) would refuse a 100-turn conversation typed at machine speed.
        with running_servers(Path(state), environment={"RATE_LIMIT_SENDER_PER_MINUTE": "0"}) as servers:
            pids = server_pids()
            result = run_speed(servers.rasa, pids, f"sqlite:///{state}/conversations.db", quick=args.quick,
                               progress=_progress)
    result["quick"] = args.quick
    _save("speed", result)


def cluster(args: argparse.Namespace) -> None:
    from bot.bench.cluster import run_cluster

    result = run_cluster(quick=args.quick, progress=_progress)
    result["quick"] = args.quick
    _save("cluster", result)


def profile(args: argparse.Namespace) -> None:
    from bot.bench.profile import run_profile

    _progress("profiling message handling in-process (pyinstrument)")
    _save("profile", run_profile(messages=40 if args.quick else 300))


PARTS = {"understanding": understanding, "speed": speed, "profile": profile, "cluster": cluster}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__)
    parser.add_argument("part", choices=[*PARTS, "report", "all"], nargs="?", default="all")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (understanding)")
    parser.add_argument("--reuse-cv", action="store_true", help="reuse folds already trained with the same key")
    parser.add_argument("--only-folds", help="understanding: test only these folds, e.g. 0 (one shared split)")
    parser.add_argument("--pipelines", default=",".join(DEFAULT_PIPELINES),
                        help="understanding: which of ours, stock, diet (our previous pipeline) to cross-validate")
    parser.add_argument("--tiny", action="store_true", help="understanding: 1 epoch, 4 examples per group")
    parser.add_argument("--quick", action="store_true", help="speed/cluster: a few messages only (smoke run)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # tests.servers starts the servers the same way the tests do
    parts = list(PARTS) if args.part == "all" else [] if args.part == "report" else [args.part]
    for part in parts:
        PARTS[part](args)
        write()
    if not parts:
        write()
    _progress("BENCHMARKS.md written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
