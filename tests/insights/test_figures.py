"""Small cells are hidden, and so is every cell that would let someone work one out."""
from __future__ import annotations

import csv
import io
import random

import pytest

from bot.insights import store
from bot.insights.figures import HIDDEN, TOTAL, chart_png, protect, question_tables, refusal_tables, tables_csv


def lines_of(table):
    rows, columns = table.shown_rows(), table.shown_columns()
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def test_counts_below_five_are_hidden_and_others_shown():
    table = protect("t", "place", ["gp", "pharmacy", "hospital"], ["refusals"],
                    {("gp", "refusals"): 12, ("pharmacy", "refusals"): 6, ("hospital", "refusals"): 4})
    assert table.value("hospital", "refusals") == HIDDEN
    assert table.value("gp", "refusals") == "12"
    assert table.value(TOTAL, "refusals") == "22"


def test_a_lone_hidden_cell_is_not_left_derivable_from_the_total():
    table = protect("t", "place", ["gp", "pharmacy", "hospital"], ["refusals"],
                    {("gp", "refusals"): 12, ("pharmacy", "refusals"): 6, ("hospital", "refusals"): 4})
    # total 22 - 12 - 6 would give 4: the next smallest cell is hidden too.
    assert table.value("pharmacy", "refusals") == HIDDEN


def test_zero_is_a_small_cell_too():
    table = protect("t", "x", ["a", "b"], ["n"], {("a", "n"): 30})
    assert table.value("b", "n") == HIDDEN


def test_a_small_total_is_hidden():
    table = protect("t", "x", ["a", "b"], ["n"], {("a", "n"): 2, ("b", "n"): 1})
    assert table.value(TOTAL, "n") == HIDDEN


@pytest.mark.parametrize("seed", range(40))
def test_no_row_or_column_ever_has_exactly_one_hidden_cell(seed):
    rng = random.Random(seed)
    rows, columns = [f"r{i}" for i in range(rng.randint(1, 6))], [f"c{i}" for i in range(rng.randint(1, 6))]
    cells = {(r, c): rng.choice([0, 1, 3, 4, 5, 6, 9, 20, 100]) for r in rows for c in columns}
    table = protect("t", "x", rows, columns, cells)
    for line in lines_of(table):
        if len(line) < 2:
            continue  # a line of one cell has no total to work it out from
        assert sum(cell in table.hidden for cell in line) != 1, (seed, line)
    for (r, c), value in cells.items():
        if value < 5:
            assert table.value(r, c) == HIDDEN


def test_refusal_tables_count_by_problem_place_region_and_month():
    rows = [{"month": "2026-11", "place": "gp", "problem": "asked_to_pay", "region": "Utrecht"}] * 7
    rows += [{"month": "2026-10", "place": "pharmacy", "problem": "not_contracted", "region": "Utrecht"}] * 6
    by_problem, by_place, by_region, by_month = refusal_tables(rows)
    assert by_problem.value("asked_to_pay", "refusals") == "7"
    assert by_place.value("pharmacy", "refusals") == "6"
    assert by_region.value("Utrecht", "refusals") == "13"
    assert by_region.value("Zeeland", "refusals") == HIDDEN
    assert by_month.value("2026-10", "refusals") == "6"


def test_question_tables_by_topic_language_kind_and_month():
    rows = [
        {"month": "2026-11", "language": "ar", "kind": "question", "topic": "ask_costs", "count": 8},
        {"month": "2026-11", "language": "nl", "kind": "question", "topic": "ask_costs", "count": 9},
        {"month": "2026-11", "language": "ar", "kind": "fallback", "topic": "not understood", "count": 2},
    ]
    topics, kinds, months = question_tables(rows)
    assert topics.value("ask_costs", "ar") == "8" and topics.value("ask_costs", TOTAL) == "17"
    assert kinds.value("fallback", "ar") == HIDDEN
    assert months.value("question", "2026-11") == "17"


def test_csv_has_every_cell_and_hides_what_the_page_hides(insights_db):
    for _ in range(6):
        store.add_refusal("gp", "asked_to_pay", "Utrecht", month="2026-11")
    store.add_refusal("hospital", "other", "Limburg", month="2026-10")
    text = tables_csv(refusal_tables())
    rows = list(csv.DictReader(io.StringIO(text)))
    by_key = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert by_key[("refusals_by_place", "hospital", "refusals")] == HIDDEN
    assert by_key[("refusals_by_month", "2026-10", "refusals")] == HIDDEN
    assert by_key[("refusals_by_month", "2026-11", "refusals")] == HIDDEN  # else 7 - 6 reveals October's one
    assert by_key[("refusals_by_month", TOTAL, "refusals")] == "7"


def test_a_value_that_looks_like_a_formula_is_quoted_in_the_csv():
    table = protect("t", "x", ["=HYPERLINK(1)"], ["n"], {("=HYPERLINK(1)", "n"): 9})
    assert "'=HYPERLINK(1)" in tables_csv([table])


def test_charts_are_png_even_for_empty_tables(insights_db):
    for table in question_tables([]) + refusal_tables([]):
        assert chart_png(table).startswith(b"\x89PNG")
