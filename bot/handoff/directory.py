"""The organisations of `content/ngos.yml`, and when they are open."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.paths import content_dir

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOPICS = ("gp", "hospital", "refusal", "bill", "pregnancy", "mental_health", "dental", "other")


@dataclass(frozen=True)
class Organisation:
    """One entry of the directory. Empty strings and lists mean "not known"."""

    id: str
    name: str
    kind: str
    national: bool
    municipalities: tuple[str, ...]
    provinces: tuple[str, ...]
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    phone: str
    email: str
    web: str
    walk_in: str
    opening_hours: dict[str, tuple[tuple[time, time], ...]] = field(hash=False, compare=False)
    hours_note: str
    takes_referrals: bool
    sources: tuple[str, ...]
    checked: str

    def has_hours(self) -> bool:
        return bool(self.opening_hours)

    def is_open(self, now: datetime) -> bool | None:
        """Whether it is open at `now`; None when its hours are not known."""
        if not self.opening_hours:
            return None
        local = now.astimezone(DUTCH_TIME)
        for start, end in self.opening_hours.get(WEEKDAYS[local.weekday()], ()):
            if start <= local.time() < end:
                return True
        return False

    def next_opening(self, now: datetime) -> datetime | None:
        """When it opens next after `now` (Dutch time), or None when its hours are not known."""
        if not self.opening_hours:
            return None
        local = now.astimezone(DUTCH_TIME)
        for days_ahead in range(8):
            day = local.date() + timedelta(days=days_ahead)
            for start, _end in self.opening_hours.get(WEEKDAYS[day.weekday()], ()):
                opening = datetime.combine(day, start, tzinfo=DUTCH_TIME)
                if opening > local:
                    return opening
        return None


@dataclass(frozen=True)
class Directory:
    organisations: dict[str, Organisation]
    national_helpdesk: str
    neighbours: dict[str, tuple[str, ...]]

    @property
    def helpdesk(self) -> Organisation:
        return self.organisations[self.national_helpdesk]


def _hours(raw: dict[str, list[str]] | None) -> dict[str, tuple[tuple[time, time], ...]]:
    hours = {}
    for day, spans in (raw or {}).items():
        if day not in WEEKDAYS:
            raise ValueError(f"opening_hours: unknown day {day!r} (use {', '.join(WEEKDAYS)})")
        parsed = []
        for span in spans:
            start, end = span.split("-")
            parsed.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        hours[day] = tuple(parsed)
    return hours


def load_directory(path: Path) -> Directory:
    data = yaml.safe_load(path.read_text("utf-8"))
    organisations = {}
    for key, entry in data["organisations"].items():
        organisations[key] = Organisation(
            id=key,
            name=entry["name"],
            kind=entry.get("kind", ""),
            national=bool(entry.get("national")),
            municipalities=tuple(entry.get("municipalities") or ()),
            provinces=tuple(entry.get("provinces") or ()),
            topics=tuple(entry.get("topics") or ()),
            languages=tuple(entry.get("languages") or ()),
            phone=str(entry.get("phone") or ""),
            email=str(entry.get("email") or ""),
            web=str(entry.get("web") or ""),
            walk_in=str(entry.get("walk_in") or ""),
            opening_hours=_hours(entry.get("opening_hours")),
            hours_note=str(entry.get("hours_note") or ""),
            takes_referrals=bool(entry.get("takes_referrals")),
            sources=tuple(entry.get("sources") or ()),
            checked=str(entry.get("checked") or ""),
        )
    neighbours = {province: tuple(names) for province, names in (data.get("neighbours") or {}).items()}
    return Directory(organisations, data["national_helpdesk"], neighbours)


@lru_cache(maxsize=2)
def directory(path: Path | None = None) -> Directory:
    """The directory in `content/ngos.yml`, loaded once per process."""
    return load_directory(path or content_dir() / "ngos.yml")
