"""The digest ledger: period keys in local time, and one winner per (subscription, period)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import TEAM
from influencer_bot.influence.digest_schedule import Cadence, Period, latest, occurrences, period_key
from influencer_bot.storage.digests import ledger
from influencer_bot.storage.digests import subscriptions as store
from influencer_bot.storage.db import make_engine, make_session_factory, transaction
from influencer_bot.storage.workspaces import ensure_workspace

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


# ---------------------------------------------------------------- periods (pure)

def test_period_keys_are_local_dates_and_iso_weeks():
    tokyo = Cadence("daily", "08:00", "Asia/Tokyo")
    # 23:30 UTC on the 1st is already the 2nd in Tokyo: that day's 08:00 digest has happened
    assert latest(tokyo, datetime(2027, 3, 1, 23, 30, tzinfo=UTC)) == Period(
        "2027-03-02", datetime(2027, 3, 1, 23, 0, tzinfo=UTC))
    assert period_key(Cadence("weekly", "09:00", "UTC", 0), date(2027, 1, 1)) == "2026-W53"
    assert period_key(Cadence("weekly", "09:00", "UTC", 0), date(2027, 3, 1)) == "2027-W09"


@pytest.mark.parametrize("zone, day, expected_utc", [
    ("Europe/Paris", date(2027, 3, 27), "08:00"), ("Europe/Paris", date(2027, 3, 28), "07:00"),
    ("Europe/Paris", date(2027, 10, 31), "08:00"), ("America/New_York", date(2027, 3, 14), "13:00"),
])
def test_nine_oclock_stays_nine_oclock_across_daylight_saving(zone, day, expected_utc):
    cadence = Cadence("daily", "09:00", zone)
    start = datetime.combine(day, datetime.min.time(), UTC) - timedelta(hours=14)
    (period,) = [p for p in occurrences(cadence, start, start + timedelta(days=1, hours=14))
                 if p.key == day.isoformat()]
    assert period.scheduled_for.strftime("%H:%M") == expected_utc


def test_a_time_in_the_spring_forward_gap_happens_once_just_after_it():
    cadence = Cadence("daily", "02:30", "Europe/Paris")
    found = occurrences(cadence, datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 3, 30, tzinfo=UTC))
    assert [p.key for p in found] == ["2027-03-27", "2027-03-28", "2027-03-29"]
    assert found[1].scheduled_for == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_weekly_occurs_only_on_its_day():
    cadence = Cadence("weekly", "09:00", "UTC", 4)
    found = occurrences(cadence, T0, T0 + timedelta(days=21))
    assert [p.scheduled_for.weekday() for p in found] == [4, 4, 4]


# ---------------------------------------------------------------- claims

def _subscription(factory) -> store.DigestSubscription:  # type: ignore[name-defined]
    with transaction(factory) as s:
        ensure_workspace(s, TEAM)
        sub, _ = store.subscribe(s, TEAM, "C1", store.Schedule(Cadence("daily", "09:00", "UTC"), None), "U1")
    return sub


PERIOD = Period("2027-03-01", T0)


def test_many_claimers_on_separate_connections_one_winner(db_url, session_factory):
    sub = _subscription(session_factory)
    engines = [make_engine(db_url) for _ in range(6)]
    barrier, won = threading.Barrier(len(engines)), []

    def claimer(n: int) -> None:
        factory = make_session_factory(engines[n])
        barrier.wait()
        with transaction(factory) as s:
            run = ledger.claim(s, sub, PERIOD, f"w{n}", now=T0)
            if run is not None:
                won.append(run.claimed_by)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(len(engines))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for e in engines:
        e.dispose()
    assert len(won) == 1
    with session_factory() as s:
        (row,) = ledger.runs(s, sub.id)
    assert (row.status, row.attempts, row.claimed_by) == ("claimed", 1, won[0])


def test_a_failed_run_is_retried_by_exactly_one_worker_up_to_the_limit(session_factory):
    sub = _subscription(session_factory)
    with transaction(session_factory) as s:
        run = ledger.claim(s, sub, PERIOD, "w1", now=T0)
        ledger.record_failed(s, run.id, "w1", "boom")
    with transaction(session_factory) as s:
        again = ledger.claim(s, sub, PERIOD, "w2", now=T0 + timedelta(minutes=1), max_attempts=2)
        assert again is not None and (again.attempts, again.claimed_by) == (2, "w2")
        assert ledger.claim(s, sub, PERIOD, "w3", now=T0 + timedelta(minutes=1), max_attempts=2) is None
        ledger.record_failed(s, again.id, "w2", "boom again")
    with transaction(session_factory) as s:  # two attempts used: it stays failed
        assert ledger.claim(s, sub, PERIOD, "w3", now=T0 + timedelta(minutes=2), max_attempts=2) is None


def test_a_dead_workers_claim_is_taken_over_but_a_dead_posting_is_never_repeated(session_factory):
    sub = _subscription(session_factory)
    lease = timedelta(minutes=15)
    with transaction(session_factory) as s:
        ledger.claim(s, sub, PERIOD, "dead", now=T0)
    with transaction(session_factory) as s:
        assert ledger.claim(s, sub, PERIOD, "w2", now=T0 + timedelta(minutes=5), lease=lease) is None
        taken = ledger.claim(s, sub, PERIOD, "w2", now=T0 + timedelta(minutes=20), lease=lease)
        assert taken is not None and taken.claimed_by == "w2"
        assert ledger.start_posting(s, taken.id, "w2", now=T0 + timedelta(minutes=20))
        assert not ledger.start_posting(s, taken.id, "someone-else", now=T0 + timedelta(minutes=20))
    with transaction(session_factory) as s:  # w2 dies while posting: maybe posted, so never again
        assert ledger.claim(s, sub, PERIOD, "w3", now=T0 + timedelta(hours=1), lease=lease) is None
        (row,) = ledger.runs(s, sub.id)
    assert row.status == "uncertain" and "avoid a duplicate" in row.last_error


def test_skipped_and_posted_periods_are_settled(session_factory):
    sub = _subscription(session_factory)
    with transaction(session_factory) as s:
        assert ledger.record_skipped(s, sub, PERIOD, "w1", "late", now=T0)
        assert not ledger.record_skipped(s, sub, PERIOD, "w1", "late", now=T0)
        assert ledger.claim(s, sub, PERIOD, "w1", now=T0) is None
        assert ledger.last_period(s, sub.id) == (T0, True)
