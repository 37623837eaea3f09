"""`python -m bot.staff_scripts [files or folders] [--url URL] [--start]` (`make scripts`).

Plays the conversation scripts (default: every `tests/scripts/<lang>/*.yml`) against the assistant
at `--url` (default `http://localhost:$RASA_PORT`); if none answers there, or with `--start`, it
starts its own Rasa and action server on free ports with the trained model. Prints the matrix and
the failures (file:line: what was expected), writes the HTML report, ends with `N passed, M failed`
and exits 1 when a script failed or could not be read.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bot.paths import ROOT

SCRIPTS_DIR = ROOT / "tests" / "scripts"
REPORT = ROOT / "reports" / "scripts" / "index.html"


def script_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SystemExit(f"{path}: no such file or folder")
        files += sorted(path.glob("*/*.yml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    return sorted(set(files))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff_scripts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[SCRIPTS_DIR])
    parser.add_argument("--url", default=f"http://localhost:{os.environ.get('RASA_PORT', '5005')}")
    parser.add_argument("--token", help="Rasa API token (default: RASA_API_TOKEN or var/rasa_api_token)")
    parser.add_argument("--start", action="store_true", help="always start own servers on free ports")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz",
                        help="the trained model for servers it starts")
    parser.add_argument("--update-guide", action="store_true", help="rewrite the topic list in docs/staff-guide.md")
    args = parser.parse_args(argv)
    if args.update_guide:
        from bot.staff_scripts.topics import update_guide

        print("docs/staff-guide.md " + ("updated" if update_guide() else "is up to date"))
        return 0

    from bot.content.store import content
    from bot.staff_scripts.format import ScriptError, load_script
    from bot.staff_scripts.report import failures_text, matrix_text, summary_line, write_html
    from bot.staff_scripts.runner import Assistant, ScriptResult, run_script

    started = time.monotonic()
    source = content()
    scripts, results = [], []
    for path in script_files(args.paths):
        try:
            scripts.append(load_script(path, source))
        except ScriptError as error:
            results.append(ScriptResult(path, path.stem, path.parent.name, error=error))
    if not scripts and not results:
        print(f"no scripts found in {', '.join(map(str, args.paths))}")
        return 1

    def play(assistant: Assistant) -> None:
        for script in scripts:
            results.append(run_script(script, assistant, source))

    if scripts:
        from bot.secrets import rasa_api_token

        running = Assistant(args.url, args.token or rasa_api_token())
        if not args.start and running.is_up():
            print(f"using the assistant at {args.url}", flush=True)
            play(running)
        else:
            from bot.staff_scripts.servers import started_assistant

            print("starting Rasa and the action server (about a minute)...", flush=True)
            with started_assistant(args.model) as (url, token):
                play(Assistant(url, token))

    results.sort(key=lambda r: (r.language, r.topic))
    print(matrix_text(results))
    failures = failures_text(results)
    if failures:
        print("\n" + failures)
    write_html(results, args.report)
    print(f"\nreport: {args.report} ({time.monotonic() - started:.0f} s)")
    print(summary_line(results))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
