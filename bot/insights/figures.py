"""The staff figures: tables with small cells suppressed, as text, CSV and PNG charts.

Small-cell suppression: a count below `MIN_CELL` (5, zero included) is shown as "<5", so that
nobody can be singled out. Totals are shown, so a hidden cell could be worked out from its row or
column total and the other cells; to prevent that, whenever a row or column (or the row of totals)
has exactly one hidden cell, the smallest visible cell next to it is hidden too, until no line has
exactly one hidden cell (complementary suppression).
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.insights import store

MIN_CELL = 5
HIDDEN = "<5"
TOTAL = "total"


@dataclass
class Table:
    """A table of counts: rows × columns, with row, column and grand totals; `hidden` cells print as "<5"."""

    name: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int]
    hidden: set[tuple[str, str]]

    def value(self, row: str, column: str) -> str:
        """What is shown in a cell (totals included: `TOTAL` as row or column)."""
        if (row, column) in self.hidden:
            return HIDDEN
        return str(self._count(row, column))

    def _count(self, row: str, column: str) -> int:
        if row == TOTAL and column == TOTAL:
            return sum(self.cells.values())
        if row == TOTAL:
            return sum(self.cells.get((r, column), 0) for r in self.rows)
        if column == TOTAL:
            return sum(self.cells.get((row, c), 0) for c in self.columns)
        return self.cells.get((row, column), 0)

    def shown_rows(self) -> list[str]:
        return self.rows + [TOTAL] if len(self.rows) > 1 else self.rows

    def shown_columns(self) -> list[str]:
        return self.columns + [TOTAL] if len(self.columns) > 1 else self.columns

    def text(self) -> str:
        """A plain-text table."""
        header = [self.title] + self.shown_columns()
        lines = [header] + [[row] + [self.value(row, c) for c in self.shown_columns()] for row in self.shown_rows()]
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        padded = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
        return "\n".join(padded)


def protect(name: str, title: str, rows: list[str], columns: list[str], cells: dict[tuple[str, str], int]) -> Table:
    """A table with every cell below `MIN_CELL` hidden, plus the complementary cells."""
    table = Table(name, title, rows, columns, cells, set())
    full_rows, full_columns = table.shown_rows(), table.shown_columns()
    table.hidden = {(r, c) for r in full_rows for c in full_columns if table._count(r, c) < MIN_CELL}
    lines = [[(r, c) for c in full_columns] for r in full_rows] + [[(r, c) for r in full_rows] for c in full_columns]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if cell in table.hidden]
            visible = [cell for cell in line if cell not in table.hidden]
            if len(hidden) == 1 and visible and len(line) > 1:
                # Totals are hidden last: prefer a body cell, then the smallest.
                smallest = min(visible, key=lambda cell: (TOTAL in cell, table._count(*cell)))
                table.hidden.add(smallest)
                changed = True
    return table


def _one_column(name: str, title: str, column: str, counts: Counter, order: Iterable[str]) -> Table:
    rows = list(order) + sorted(v for v in counts if v not in order)
    return protect(name, title, rows, [column], {(row, column): counts[row] for row in counts})


def refusal_tables(rows: list[dict] | None = None) -> list[Table]:
    """Refusal reports by what happened, kind of place, province and month."""
    rows = store.refusal_rows() if rows is None else rows
    tables = []
    for name, column, title, order in (
        ("refusals_by_problem", "problem", "what happened", store.PROBLEMS),
        ("refusals_by_place", "place", "kind of place", store.PLACES),
        ("refusals_by_region", "region", "province", store.REGIONS),
    ):
        tables.append(_one_column(name, title, "refusals", Counter(row[column] for row in rows), order))
    months = Counter(row["month"] for row in rows)
    month_order = sorted(months) or [store.current_month()]
    tables.append(_one_column("refusals_by_month", "month", "refusals", months, month_order))
    return tables


def question_tables(rows: list[dict] | None = None) -> list[Table]:
    """Questions by topic × language, and fallbacks and handoffs by language and by month."""
    rows = store.counter_rows() if rows is None else rows
    from bot.languages import SUPPORTED

    languages = list(SUPPORTED) + sorted({r["language"] for r in rows} - set(SUPPORTED))
    questions: Counter = Counter()
    by_kind: Counter = Counter()
    by_month: Counter = Counter()
    for row in rows:
        if row["kind"] == "question":
            questions[(row["topic"], row["language"])] += row["count"]
        by_kind[(row["kind"], row["language"])] += row["count"]
        by_month[(row["kind"], row["month"])] += row["count"]
    topics = sorted({topic for topic, _language in questions})
    months = sorted({month for _kind, month in by_month}) or [store.current_month()]
    return [
        protect("questions_by_topic_and_language", "topic", topics, languages, dict(questions)),
        protect("messages_by_kind_and_language", "kind", list(store.KINDS), languages, dict(by_kind)),
        protect("messages_by_kind_and_month", "kind", list(store.KINDS), months, dict(by_month)),
    ]


def all_tables() -> list[Table]:
    return question_tables() + refusal_tables()


def tables_csv(tables: list[Table]) -> str:
    """One CSV of every table: table, row, column, value ("<5" where hidden)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in tables:
        for row in table.shown_rows():
            for column in table.shown_columns():
                writer.writerow([table.name, _csv_safe(row), _csv_safe(column), table.value(row, column)])
    return buffer.getvalue()


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula in spreadsheet programs.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def chart_png(table: Table) -> bytes:
    """A bar chart of the table's row totals; hidden bars are drawn empty and labelled "<5"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    column = TOTAL if len(table.columns) > 1 else table.columns[0]
    labels = table.rows or ["(none)"]
    shown = [table.value(row, column) for row in table.rows] or [HIDDEN]
    heights = [0 if value == HIDDEN else int(value) for value in shown]
    figure, axes = plt.subplots(figsize=(8, max(2.5, 0.4 * len(labels) + 1)))
    bars = axes.barh(labels, heights, color="#7a1f1f")
    for bar, value in zip(bars, shown, strict=True):
        axes.annotate(value, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                      textcoords="offset points", va="center")
    axes.invert_yaxis()
    axes.set_title(f"{table.name.replace('_', ' ')} (cells below {MIN_CELL} hidden)")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return buffer.getvalue()
