"""Which organisation a person is sent to: by place, topic, language and whether it is open now.

`route(city, topic, language, now)` ranks the organisations of `content/ngos.yml`:

1. the topic must be one the organisation helps with (any topic when none was chosen);
2. nearest first: one in the person's municipality, then in their province, then in a neighbouring
   province (`neighbours` in ngos.yml, nearest first), then a national one;
3. then one whose staff speak the person's language, then one open now.

`Route.referral` is where a case goes: the best organisation in the person's municipality or province
that takes referrals through this assistant, else the national helpdesk (Dokters van de Wereld).
`Route.contacts` are the contact details to show: the best fitting organisation and the helpdesk.
`explain(route, language)` says why, in one line, in the person's language (`handoff_reason_*`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content.store import content
from bot.handoff.directory import Directory, Organisation, directory
from bot.places import gazetteer

NATIONAL_RANK = 100


@dataclass(frozen=True)
class Route:
    referral: Organisation
    contacts: tuple[Organisation, ...]
    municipality: str | None
    province: str | None
    # How near the referral is: local | province | national | unknown_place
    nearness: str
    open_now: bool | None


def place_of(city: str | None) -> tuple[str | None, str | None]:
    """(municipality, province) for a city name in any spelling the gazetteer knows."""
    if not city:
        return None, None
    places = gazetteer()
    municipality = places.municipality(city)
    if municipality is None:
        found = places.find(city)
        municipality = found[0].municipality if found else None
    return municipality, places.province.get(municipality) if municipality else None


def _provinces_of(organisation: Organisation) -> set[str]:
    places = gazetteer()
    return set(organisation.provinces) | {
        places.province[name] for name in organisation.municipalities if name in places.province}


def _nearness(organisation: Organisation, municipality: str | None, province: str | None,
              neighbours: tuple[str, ...]) -> int:
    """0 local, 1 same province, 2.. neighbouring provinces (nearest first), NATIONAL_RANK national."""
    if municipality and municipality in organisation.municipalities:
        return 0
    provinces = _provinces_of(organisation)
    if province and province in provinces:
        return 1
    for distance, neighbour in enumerate(neighbours, start=2):
        if neighbour in provinces:
            return distance
    return NATIONAL_RANK if organisation.national else NATIONAL_RANK + 1


def _ranked(found: Directory, municipality: str | None, province: str | None, topic: str | None,
            language: str, now: datetime) -> list[tuple[int, Organisation]]:
    neighbours = found.neighbours.get(province or "", ())
    ranked = []
    for organisation in found.organisations.values():
        if topic and topic != "other" and topic not in organisation.topics:
            continue
        if not (organisation.phone or organisation.email or organisation.web or organisation.walk_in):
            continue  # nothing to give the person
        nearness = _nearness(organisation, municipality, province, neighbours)
        if nearness > NATIONAL_RANK:
            continue
        ranked.append((nearness, organisation))

    def key(item: tuple[int, Organisation]) -> tuple:
        nearness, organisation = item
        speaks = language in organisation.languages
        openness = {True: 0, None: 1, False: 2}[organisation.is_open(now)]  # open, hours unknown, closed
        return (nearness, not speaks, openness, organisation.id != found.national_helpdesk, organisation.id)

    return sorted(ranked, key=key)


def route(city: str | None, topic: str | None, language: str, now: datetime) -> Route:
    """The organisation for a case and the contacts to show, for this person now."""
    found = directory()
    municipality, province = place_of(city)
    ranked = _ranked(found, municipality, province, topic, language, now)
    helpdesk = found.helpdesk
    # A case goes to an organisation in the person's own municipality or province; farther away,
    # the national helpdesk takes it (the nearest organisation is still among the contacts).
    referral_rank, referral = next(
        ((rank, org) for rank, org in ranked if org.takes_referrals and rank <= 1), (NATIONAL_RANK, helpdesk))
    nearest = next((org for _rank, org in ranked if not org.national), None)
    contacts = tuple(dict.fromkeys(org for org in (referral, nearest, helpdesk) if org is not None))
    if municipality is None:
        nearness = "unknown_place"
    else:
        nearness = {0: "local", 1: "province"}.get(referral_rank, "national")
    return Route(referral, contacts, municipality, province, nearness, referral.is_open(now))


def directory_for(city: str | None, now: datetime) -> tuple[str | None, tuple[Organisation, ...]]:
    """The directory answer for a town: (municipality, organisations), the national helpdesk last.

    Every organisation working in the municipality; when there is none, those of the province; when
    there is none either, the nearest one in a neighbouring province.
    """
    found = directory()
    municipality, province = place_of(city)
    ranked = _ranked(found, municipality, province, None, "", now)
    regional = [org for rank, org in ranked if not org.national or rank == 0]
    nearest_rank = min((rank for rank, org in ranked if org in regional), default=NATIONAL_RANK)
    chosen = [org for rank, org in ranked if org in regional and rank == nearest_rank]
    return municipality, tuple(dict.fromkeys([*chosen, found.helpdesk]))


def explain(chosen: Route, language: str) -> str:
    """One line, in `language`, on why this organisation was chosen."""
    organisation = chosen.referral
    place = organisation.municipalities[0] if organisation.municipalities else ""
    values = {"organisation": organisation.name, "city": chosen.municipality or "",
              "province": chosen.province or "", "place": place}
    line = content().render(f"handoff_reason_{chosen.nearness}", language, values).messages
    if chosen.open_now is True:
        line += content().render("handoff_open_now", language).messages
    return " ".join(line)
