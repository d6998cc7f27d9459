"""The daily API quota as a ledger in the database, shared by every process and thread that
uses one key: a sync stops cleanly when the day's budget is spent and resumes the next quota day.

YouTube's quota day starts at midnight Pacific time (America/Los_Angeles, so it follows
daylight saving). Google charges every request, invalid ones and 304 Not Modified answers
included, at least one unit, so a unit is spent *before* each call, never after.

Atomicity without locks held across calls: `spend` is one conditional
`UPDATE … SET units = units + :n WHERE … AND units + :n <= :limit` in a short transaction.
The database serialises concurrent updates of the row (SQLite's write lock, PostgreSQL's row
lock with its re-check of the WHERE clause), so two spenders can never both take the last
units. When the day's row does not exist yet, it is inserted with `ON CONFLICT DO NOTHING`
(two processes racing to create it both succeed) and the UPDATE is retried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..models.sync import QuotaDay
from .configured import LABELS
from .fetched import QuotaExhausted

PACIFIC = ZoneInfo("America/Los_Angeles")

# Google's published costs (developers.google.com/youtube/v3/determine_quota_cost) for the
# methods the sync uses. search.list (100) is deliberately not used anywhere.
YOUTUBE_COSTS = {"channels.list": 1, "playlistItems.list": 1, "videos.list": 1, "search.list": 100}


def key_fingerprint(api_key: str) -> str:
    """16 hex digits of the key's SHA-256: tells keys apart in the ledger, reveals nothing."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def quota_day(now: datetime) -> date:
    """The quota day `now` (timezone-aware) falls in: the calendar date in Pacific time."""
    return now.astimezone(PACIFIC).date()


def next_reset(now: datetime) -> datetime:
    """The next midnight Pacific time after `now`, as an aware datetime."""
    return datetime.combine(quota_day(now) + timedelta(days=1), time(0), tzinfo=PACIFIC)


def _in_words(delta: timedelta) -> str:
    minutes = max(1, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def exhausted_message(platform: str, daily_limit: int, now: datetime) -> str:
    name = LABELS.get(platform, platform)
    return (f"{name}'s daily quota of {daily_limit:,} units is used up; sync resumes after midnight "
            f"Pacific time (in {_in_words(next_reset(now) - now)}).")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def units_left(session: Session, platform: str, api_key: str, daily_limit: int,
               now: datetime | None = None) -> int:
    """Units left of today's budget on `api_key` (never negative), for `/influencer sync status`."""
    now = now or _utcnow()
    spent = session.scalar(select(QuotaDay.units).where(
        QuotaDay.platform == platform, QuotaDay.key_fingerprint == key_fingerprint(api_key),
        QuotaDay.day == quota_day(now)))
    return max(daily_limit - (spent or 0), 0)


class QuotaLedger:
    """`QuotaGate` backed by the `quota_days` table. One instance per (platform, key); safe to
    share between threads, and any number of processes may hold their own."""

    def __init__(self, session_factory: sessionmaker[Session], platform: str, api_key: str,
                 daily_limit: int, clock: Callable[[], datetime] = _utcnow) -> None:
        if daily_limit < 1:
            raise ValueError("daily_limit must be at least 1 unit")
        self._sessions = session_factory
        self.platform = platform
        self.fingerprint = key_fingerprint(api_key)  # the key itself is not kept
        self.daily_limit = daily_limit
        self._clock = clock

    def spend(self, units: int) -> None:
        """Take `units` from today's budget, or raise QuotaExhausted and take nothing."""
        if units < 0:
            raise ValueError("units must not be negative")
        now = self._clock()
        day = quota_day(now)
        if units > self.daily_limit or not self._take(day, units):
            raise QuotaExhausted(exhausted_message(self.platform, self.daily_limit, now))

    def exhaust(self) -> QuotaExhausted:
        """Record that the platform itself said the quota is gone (another app on the same key,
        a lower limit in the Cloud console): every process stops until the next quota day.
        Returns the error for the caller to raise."""
        now = self._clock()
        day = quota_day(now)
        with self._sessions() as session, session.begin():
            self._ensure_row(session, day)
            session.execute(update(QuotaDay).where(*self._row(day), QuotaDay.units < self.daily_limit)
                            .values(units=self.daily_limit).execution_options(synchronize_session=False))
        return QuotaExhausted(exhausted_message(self.platform, self.daily_limit, now))

    def units_left(self) -> int:
        """Units left in today's budget (never negative)."""
        with self._sessions() as session:
            spent = session.scalar(select(QuotaDay.units).where(*self._row(quota_day(self._clock())))) or 0
        return max(self.daily_limit - spent, 0)

    # -- the atomic part ----------------------------------------------------------------------
    def _row(self, day: date) -> tuple:
        return (QuotaDay.platform == self.platform, QuotaDay.key_fingerprint == self.fingerprint,
                QuotaDay.day == day)

    def _take(self, day: date, units: int) -> bool:
        with self._sessions() as session, session.begin():
            if self._update(session, day, units):
                return True
            # No row yet, or the budget is short. Creating the row is a no-op when it exists
            # (also when another process created it a moment ago); the second UPDATE then sees
            # the committed row and decides by the budget alone.
            self._ensure_row(session, day)
            return self._update(session, day, units)

    def _update(self, session: Session, day: date, units: int) -> bool:
        result = session.execute(
            update(QuotaDay)
            .where(*self._row(day), QuotaDay.units + units <= self.daily_limit)
            .values(units=QuotaDay.units + units)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1

    def _ensure_row(self, session: Session, day: date) -> None:
        """Create the day's row at 0 units unless it exists."""
        values = {"platform": self.platform, "key_fingerprint": self.fingerprint, "day": day, "units": 0}
        dialect = session.get_bind().dialect.name
        if dialect in ("sqlite", "postgresql"):
            insert = sqlite_insert if dialect == "sqlite" else pg_insert
            session.execute(insert(QuotaDay).values(**values).on_conflict_do_nothing())
            return
        try:  # other databases: a savepoint absorbs the duplicate-key race
            with session.begin_nested():
                session.add(QuotaDay(**values))
        except IntegrityError:
            pass
