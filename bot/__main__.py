"""Command line: `python -m bot <command>`. `python -m bot --help` lists the commands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.paths import ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="start the action server, Rasa and the web front (Ctrl-C stops all three)"
    )
    serve.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")

    commands.add_parser("domain", help="write domain/responses.yml from content/")
    retention = commands.add_parser("retention", help="delete stored conversations older than RETENTION_DAYS (30)")
    retention.add_argument("--days", type=int, default=None, help="instead of RETENTION_DAYS")
    retention.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")

    from bot.web import auth

    auth.add_cli(commands)
    from bot.insights import cli as insights

    insights.add_cli(commands)

    args = parser.parse_args(argv)
    if args.command == "serve":
        from bot.serve import serve as run

        return run(args.model)
    if args.command == "accounts":
        return auth.run_cli(args)
    if args.command == "insights":
        return insights.run_cli(args)
    if args.command == "retention":
        from bot.privacy.retention import main as run_retention

        return run_retention(args.days, args.endpoints)
    if args.command == "domain":
        from bot.content.domain_file import write_domain_file

        changed = write_domain_file()
        print("domain/responses.yml " + ("updated" if changed else "is up to date"))
        from bot.staff_scripts.topics import update_guide

        if update_guide():
            print("docs/staff-guide.md: topic list updated")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
