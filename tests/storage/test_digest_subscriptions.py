"""Subscribing a channel twice, even at the same instant, leaves one digest for that scope."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from conftest import TEAM
from influencer_bot.influence.digest_schedule import Cadence
from influencer_bot.storage.digests import subscriptions as store
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import DigestSubscription
from influencer_bot.storage.workspaces import ensure_workspace


def _active(session_factory) -> list[DigestSubscription]:
    with session_factory() as s:
        return list(s.scalars(select(DigestSubscription).where(DigestSubscription.active.is_(True))))


def test_concurrent_subscribes_to_one_scope_make_one_subscription(session_factory):
    with transaction(session_factory) as s:
        ensure_workspace(s, TEAM)
    times = [f"0{h}:00" for h in range(1, 9)]
    start = threading.Barrier(len(times))

    def subscribe(time_of_day: str) -> bool:
        start.wait()
        with transaction(session_factory) as s:
            _, replaced = store.subscribe(s, TEAM, "C1", store.Schedule(Cadence("daily", time_of_day, "UTC"), None), "U1")
        return replaced

    with ThreadPoolExecutor(len(times)) as pool:
        replaced = list(pool.map(subscribe, times))
    (only,) = _active(session_factory)
    assert only.time_of_day in times
    assert replaced.count(False) == 1  # one created it; every other call replaced its schedule


def test_off_then_on_again_is_allowed(session_factory):
    schedule = store.Schedule(Cadence("daily", "09:00", "UTC"), None)
    with transaction(session_factory) as s:
        ensure_workspace(s, TEAM)
        store.subscribe(s, TEAM, "C1", schedule, "U1")
    with transaction(session_factory) as s:
        assert store.unsubscribe(s, TEAM, "C1", None) == 1
    with transaction(session_factory) as s:
        _, replaced = store.subscribe(s, TEAM, "C1", schedule, "U1")
    assert replaced is False
    assert len(_active(session_factory)) == 1
