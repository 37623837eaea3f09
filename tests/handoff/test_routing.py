"""Routing to an organisation (bot/handoff/routing.py) and the directory it reads (content/ngos.yml)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handoff.directory import TOPICS, directory
from bot.handoff.routing import explain, route
from bot.languages import SUPPORTED
from bot.places import gazetteer

# Wednesday 25 November 2026, 10:30 in Amsterdam (09:30 UTC): Kruispost's morning hours.
OPEN_MORNING = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
# The same day at 15:00 in Amsterdam: between Kruispost's morning and evening hours.
AFTERNOON = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("city, topic, referral, nearness", [
    ("Amsterdam", "gp", "kruispost", "local"),
    ("Amsterdam", "refusal", "dvdw", "local"),      # Kruispost does not mediate refusals; DvdW works in Amsterdam
    ("Amstelveen", "dental", "kruispost", "province"),
    ("Utrecht", "refusal", "stil", "local"),
    ("Rotterdam", "gp", "ros", "local"),
    ("Den Haag", "pregnancy", "dvdw", "local"),
    ("Zwolle", "gp", "dvdw", "national"),           # no organisation in Overijssel: the national helpdesk
    ("Maastricht", "refusal", "dvdw", "national"),
    ("Middelburg", "gp", "dvdw", "national"),
    ("Schiermonnikoog", "other", "dvdw", "national"),
])
def test_case_goes_to_the_nearest_organisation_that_takes_referrals(city, topic, referral, nearness):
    chosen = route(city, topic, "en", OPEN_MORNING)
    assert (chosen.referral.id, chosen.nearness) == (referral, nearness)
    assert chosen.referral.takes_referrals


@pytest.mark.parametrize("spelling", ["La Haye", "The Hague", "لاهاي", "لاهه", "Lahey", "den haag"])
def test_other_language_spellings_route_like_the_dutch_name(spelling):
    chosen = route(spelling, "gp", "fr", OPEN_MORNING)
    assert chosen.municipality == "Den Haag" and chosen.province == "Zuid-Holland"
    assert chosen.referral.id == "dvdw" and chosen.nearness == "local"


def test_a_city_without_an_organisation_still_gets_the_nearest_one_and_the_helpdesk():
    chosen = route("Maastricht", "gp", "en", OPEN_MORNING)
    assert [o.id for o in chosen.contacts] == ["dvdw", "vidk"]  # VidK: Eindhoven, neighbouring Noord-Brabant


def test_unknown_or_missing_place_gets_the_national_helpdesk():
    for city in (None, "", "Atlantis", "<script>"):
        chosen = route(city, "gp", "en", OPEN_MORNING)
        assert chosen.referral.id == "dvdw" and chosen.nearness == "unknown_place"
        assert chosen.contacts == (directory().helpdesk,)


def test_an_organisation_open_now_is_preferred_and_a_closed_one_still_listed():
    morning = route("Amsterdam", "gp", "en", OPEN_MORNING)
    assert (morning.referral.id, morning.open_now) == ("kruispost", True)
    afternoon = route("Amsterdam", "gp", "en", AFTERNOON)  # Kruispost closed: the helpdesk (hours unknown)
    assert (afternoon.referral.id, afternoon.open_now) == ("dvdw", None)
    local = afternoon.contacts[1]
    assert "Amsterdam" in local.municipalities and local.is_open(AFTERNOON) is not False


def test_next_opening_is_the_evening_hour_in_the_afternoon():
    kruispost = directory().organisations["kruispost"]
    opening = kruispost.next_opening(AFTERNOON)
    assert (opening.weekday(), opening.hour, opening.minute) == (2, 19, 0)


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_choice_is_explained_in_one_line_in_the_users_language(language):
    for city in ("Amsterdam", "Zwolle", None):
        line = explain(route(city, "gp", language, OPEN_MORNING), language)
        assert line and "\n" not in line and "{" not in line


def test_every_directory_entry_is_sourced_dated_and_uses_known_places_and_topics():
    places = gazetteer()
    found = directory()
    assert found.helpdesk.national and found.helpdesk.takes_referrals and found.helpdesk.phone
    for organisation in found.organisations.values():
        assert organisation.sources and organisation.checked, organisation.id
        assert set(organisation.topics) <= set(TOPICS), organisation.id
        for name in organisation.municipalities:
            assert name in places.province, (organisation.id, name)
    assert set(found.neighbours) == set(places.province.values())
    for province, neighbours in found.neighbours.items():
        for neighbour in neighbours:
            assert province in found.neighbours[neighbour], (province, neighbour)  # borders are mutual


def test_no_contact_detail_is_invented():
    """Every phone number and e-mail address in the directory appears in the domain brief."""
    from pathlib import Path

    brief = "\n".join(Path(f"/work/shared/domain/{name}").read_text("utf-8")
                      for name in ("brief.md", "addendum.md") if Path(f"/work/shared/domain/{name}").exists())
    if not brief:
        pytest.skip("the domain brief is not on this machine")
    for organisation in directory().organisations.values():
        for value in (organisation.phone, organisation.email):
            assert not value or value in brief, (organisation.id, value)
