"""The insights database keeps only anonymous fields."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.insights import store


def test_a_refusal_report_has_only_month_place_problem_and_region(insights_db):
    store.add_refusal("pharmacy", "not_contracted", "Limburg")
    columns = {c["name"] for c in sa.inspect(store.engine()).get_columns("refusal_reports")}
    assert columns == {"id", "month", "place", "problem", "region"}
    assert store.refusal_rows() == [
        {"month": store.current_month(), "place": "pharmacy", "problem": "not_contracted", "region": "Limburg"}]


def test_the_month_is_the_servers_month_without_a_day():
    assert store.current_month(dt.date(2026, 3, 31)) == "2026-03"


@pytest.mark.parametrize("place, problem, region", [
    ("gp; DROP TABLE", "asked_to_pay", "Utrecht"), ("gp", "I was sent away by dr. Jansen", "Utrecht"),
    ("gp", "other", "Amsterdam, Damstraat 1"),
])
def test_anything_but_a_known_choice_is_refused(insights_db, place, problem, region):
    with pytest.raises(ValueError):
        store.add_refusal(place, problem, region)
    assert store.refusal_rows() == []


def test_counters_add_up(insights_db):
    for _ in range(3):
        store.count("question", "ask_costs", "ar")
    store.count("fallback", "not understood", "ar")
    rows = {(r["kind"], r["topic"], r["language"]): r["count"] for r in store.counter_rows()}
    assert rows == {("question", "ask_costs", "ar"): 3, ("fallback", "not understood", "ar"): 1}
