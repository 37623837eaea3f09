"""`python -m bot insights [--out DIR]`: prints the staff figures and writes CSV and PNG charts."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.paths import ROOT

DEFAULT_OUT = ROOT / "reports" / "insights"


def add_cli(commands: argparse._SubParsersAction) -> None:
    insights = commands.add_parser(
        "insights", help="anonymous figures: questions, fallbacks, handoffs, refusals (cells below 5 hidden)")
    insights.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for figures.csv and the charts")


def run_cli(args: argparse.Namespace) -> int:
    from bot.insights.figures import all_tables, chart_png, tables_csv
    from bot.insights.store import database_url

    tables = all_tables()
    for table in tables:
        print(table.text(), end="\n\n")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "figures.csv").write_text(tables_csv(tables), "utf-8")
    for table in tables:
        (args.out / f"{table.name}.png").write_bytes(chart_png(table))
    safe_url = database_url().split("@")[-1]  # never print a password
    print(f"from {safe_url}; CSV and charts in {args.out}")
    return 0
