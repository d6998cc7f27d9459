"""The quota ledger: stops exactly at the day's budget, resumes on the next Pacific day, and
never lets concurrent spenders (threads or processes) go over, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from influencer_bot.storage.db import make_engine, make_session_factory
from influencer_bot.storage.models.sync import QuotaDay
from influencer_bot.storage.sync.fetched import QuotaExhausted
from influencer_bot.storage.sync.quota import QuotaLedger, key_fingerprint, units_left

KEY = "AIzaSyTEST-key-never-stored-0123456789"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_stops_exactly_at_the_limit_and_takes_nothing_when_refused(session_factory) -> None:
    clock = Clock(datetime(2024, 3, 5, 18, 48, tzinfo=timezone.utc))  # 10:48 PST
    ledger = QuotaLedger(session_factory, "youtube", KEY, 10, clock=clock)
    for _ in range(3):
        ledger.spend(3)
    with pytest.raises(QuotaExhausted) as refused:
        ledger.spend(3)  # 9 + 3 > 10: refused whole, not partly taken
    assert ledger.units_left() == 1
    ledger.spend(1)
    assert ledger.units_left() == 0
    with pytest.raises(QuotaExhausted):
        ledger.spend(1)
    assert refused.value.message == ("YouTube's daily quota of 10 units is used up; sync resumes after "
                                     "midnight Pacific time (in 13 h 12 min).")


def test_message_uses_thousands_separators_and_a_call_larger_than_the_budget_is_refused(session_factory) -> None:
    clock = Clock(datetime(2024, 7, 1, 6, 30, tzinfo=timezone.utc))  # 23:30 PDT
    ledger = QuotaLedger(session_factory, "youtube", KEY, 10_000, clock=clock)
    with pytest.raises(QuotaExhausted, match=r"quota of 10,000 units is used up.*\(in 30 min\)"):
        ledger.spend(10_001)
    assert ledger.units_left() == 10_000


@pytest.mark.parametrize(("last_minute", "first_minute"), [
    (datetime(2024, 1, 16, 7, 59, tzinfo=timezone.utc), datetime(2024, 1, 16, 8, 0, tzinfo=timezone.utc)),  # PST
    (datetime(2024, 6, 16, 6, 59, tzinfo=timezone.utc), datetime(2024, 6, 16, 7, 0, tzinfo=timezone.utc)),  # PDT
])
def test_resumes_at_midnight_pacific_not_utc(session_factory, last_minute, first_minute) -> None:
    clock = Clock(last_minute - timedelta(hours=12))
    ledger = QuotaLedger(session_factory, "youtube", KEY, 5, clock=clock)
    ledger.spend(5)
    clock.now = last_minute  # past midnight UTC, still the same Pacific day
    with pytest.raises(QuotaExhausted, match=r"\(in 1 min\)"):
        ledger.spend(1)
    clock.now = first_minute
    assert ledger.units_left() == 5
    ledger.spend(5)
    with pytest.raises(QuotaExhausted):
        ledger.spend(1)


def test_keys_have_their_own_budgets_and_the_key_is_never_stored(session_factory) -> None:
    clock = Clock(datetime(2024, 3, 5, 12, tzinfo=timezone.utc))
    QuotaLedger(session_factory, "youtube", KEY, 4, clock=clock).spend(4)
    other = QuotaLedger(session_factory, "youtube", KEY + "-other", 4, clock=clock)
    other.spend(4)
    with session_factory() as session:
        rows = session.scalars(select(QuotaDay)).all()
        assert sorted(r.units for r in rows) == [4, 4]
        assert {r.key_fingerprint for r in rows} == {key_fingerprint(KEY), key_fingerprint(KEY + "-other")}
        dump = " ".join(str(v) for row in session.execute(text("select * from quota_days")) for v in row)
        assert KEY not in dump and "AIza" not in dump
        assert units_left(session, "youtube", KEY, 4, now=clock.now) == 0
        assert units_left(session, "youtube", "never-used", 4, now=clock.now) == 4


def test_exhaust_stops_every_ledger_on_the_key_until_the_next_day(session_factory) -> None:
    clock = Clock(datetime(2024, 3, 5, 12, tzinfo=timezone.utc))
    ledger = QuotaLedger(session_factory, "youtube", KEY, 100, clock=clock)
    ledger.spend(7)
    error = ledger.exhaust()  # Google said quotaExceeded although we counted only 7
    assert isinstance(error, QuotaExhausted) and "100 units is used up" in error.message
    with pytest.raises(QuotaExhausted):
        QuotaLedger(session_factory, "youtube", KEY, 100, clock=clock).spend(1)
    clock.now += timedelta(days=1)
    ledger.spend(100)


def test_threads_spending_at_once_never_exceed_the_limit(session_factory) -> None:
    clock = Clock(datetime(2024, 3, 5, 12, tzinfo=timezone.utc))
    ledger = QuotaLedger(session_factory, "youtube", KEY, 60, clock=clock)
    start = threading.Barrier(6)
    granted: list[int] = []
    lock = threading.Lock()

    def spender() -> None:
        start.wait()
        mine = 0
        for _ in range(25):
            try:
                ledger.spend(1)
                mine += 1
            except QuotaExhausted:
                pass
        with lock:
            granted.append(mine)

    threads = [threading.Thread(target=spender) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(granted) == 60  # 150 attempts on a budget of 60: exactly 60 granted
    assert ledger.units_left() == 0


def _spend_in_child(db_url: str, start, results, attempts: int) -> None:  # runs in a spawned process
    engine = make_engine(db_url)
    clock = Clock(datetime(2024, 3, 5, 12, tzinfo=timezone.utc))
    ledger = QuotaLedger(make_session_factory(engine), "youtube", KEY, 50, clock=clock)
    start.wait()
    granted = 0
    for _ in range(attempts):
        try:
            ledger.spend(2)
            granted += 2
        except QuotaExhausted:
            pass
    results.put(granted)
    engine.dispose()


def test_processes_spending_at_once_never_exceed_the_limit(db_url, session_factory) -> None:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(3), ctx.Queue()
    children = [ctx.Process(target=_spend_in_child, args=(db_url, start, results, 15)) for _ in range(3)]
    for child in children:
        child.start()
    granted = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert sum(granted) == 50  # 90 units asked for, in steps of 2, on a budget of 50
    with session_factory() as session:
        assert session.scalar(select(QuotaDay.units)) == 50
