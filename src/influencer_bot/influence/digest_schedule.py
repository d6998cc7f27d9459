"""When a digest is due: cadences, local times and period keys, in the subscription's timezone.

Pure (no Slack, no SQL) so the scheduler and its tests can drive a simulated clock. A
period is what the ledger's unique key names: `2026-11-22` for a daily digest, ISO week
`2026-W47` for a weekly one, both counted in the subscription's own zone, so a 09:00
digest in Paris belongs to the Paris date even when UTC has already moved on.

Daylight saving: 09:00 exists exactly once every day in every zone we know of; a time that
falls in a spring-forward gap (02:30 on the night clocks jump) is moved forward by the gap,
and a time in the autumn overlap is the first occurrence (fold=0), so each period has
exactly one scheduled instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import UserError

DAILY, WEEKLY = "daily", "weekly"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
EXAMPLE_DAILY = "/influencer digest daily 09:00"
EXAMPLE_WEEKLY = "/influencer digest weekly mon 09:00"
EXAMPLE_TZ = "/influencer digest daily 09:00 tz:Europe/Paris"


def parse_time_of_day(text: str) -> str:
    """`9:00`, `09:00`, `9`, `9am`, `6:30pm` -> `HH:MM` (24 h); anything else is a UserError."""
    match = _TIME.match(text.strip())
    if match:
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise UserError(f"“{text[:20]}” is not a time of day: use 24-hour HH:MM, from 00:00 to 23:59.", EXAMPLE_DAILY)


def parse_weekday(text: str) -> int:
    """`mon`, `Monday`, `tue`… -> 0 = Monday."""
    word = text.strip().lower()
    for n, (short, full) in enumerate(zip(WEEKDAYS, _FULL_DAYS, strict=True)):
        if word in (short, full) or (len(word) >= 3 and full.startswith(word)):
            return n
    raise UserError(f"“{text[:20]}” is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.",
                    EXAMPLE_WEEKLY)


def parse_timezone(text: str) -> str:
    """An IANA zone name (`Europe/Paris`, `America/New_York`, `UTC`), checked with zoneinfo."""
    name = text.strip()
    if name.upper() in ("UTC", "GMT"):
        return "UTC"
    try:  # zoneinfo reads the system's zone files, or the tzdata package where there are none
        if "/" in name and ".." not in name and not name.startswith("/"):
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        same = [z for z in available_timezones() if z.lower() == name.lower()]  # europe/paris
        if same:
            return same[0]
    raise UserError(f"“{name[:40]}” is not a timezone I know: use an IANA name like Europe/Paris, "
                    "America/New_York or Asia/Tokyo.", EXAMPLE_TZ)


@dataclass(frozen=True, slots=True)
class Cadence:
    """When one subscription fires: `kind` daily or weekly, at `time_of_day` local time in `timezone`."""

    kind: str
    time_of_day: str  # HH:MM
    timezone: str
    weekday: int | None = None  # 0 = Monday; weekly only

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def hour_minute(self) -> tuple[int, int]:
        hour, minute = self.time_of_day.split(":")
        return int(hour), int(minute)

    def describe(self) -> str:
        day = f" on {_FULL_DAYS[self.weekday].capitalize()}s" if self.kind == WEEKLY and self.weekday is not None else ""
        return f"{self.kind}{day} at {self.time_of_day} ({self.timezone})"


@dataclass(frozen=True, slots=True)
class Period:
    """One occurrence: the ledger key and the UTC instant it was scheduled for."""

    key: str
    scheduled_for: datetime  # aware, UTC


def period_key(cadence: Cadence, local_day: date) -> str:
    if cadence.kind == WEEKLY:
        year, week, _ = local_day.isocalendar()
        return f"{year}-W{week:02d}"
    return local_day.isoformat()


def _instant(cadence: Cadence, local_day: date) -> datetime:
    """The UTC instant of `time_of_day` on `local_day`, moved forward across a DST gap."""
    hour, minute = cadence.hour_minute
    wall = datetime.combine(local_day, time(hour, minute), tzinfo=cadence.zone)
    # A wall time inside a spring-forward gap (fold=0) is mapped with the pre-gap offset,
    # which lands after the gap: 02:30 on that night becomes 03:30. Exactly one instant a day.
    return wall.astimezone(UTC)


def _occurs_on(cadence: Cadence, local_day: date) -> bool:
    return cadence.kind == DAILY or local_day.weekday() == cadence.weekday


def occurrences(cadence: Cadence, start: datetime, end: datetime, limit: int = 400) -> list[Period]:
    """Scheduled periods with start < scheduled_for <= end, oldest first (at most `limit`, the newest)."""
    zone = cadence.zone
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    found: list[Period] = []
    while day <= last:
        if _occurs_on(cadence, day):
            when = _instant(cadence, day)
            if start < when <= end:
                found.append(Period(period_key(cadence, day), when))
        day += timedelta(days=1)
    return found[-limit:]


def latest(cadence: Cadence, now: datetime) -> Period:
    """The most recent scheduled period at or before `now`."""
    found = occurrences(cadence, now - timedelta(days=8), now)
    return found[-1]


def next_after(cadence: Cadence, now: datetime) -> Period:
    return occurrences(cadence, now, now + timedelta(days=8))[0]
