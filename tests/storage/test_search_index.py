"""The niche index's blobs under concurrent writers: two imports at once lose nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, event, select, text

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.synonyms import BUILTIN
from influencer_bot.storage.search import niche_match
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.db import make_engine, make_session_factory, transaction
from influencer_bot.storage.models import Creator

# A backend of this database waiting for an advisory lock (the workspace's index lock).
WAITING_FOR_INDEX_LOCK = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
    " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()")


def _wait_until_blocked(engine: Engine, b_started: threading.Event, b_done: threading.Event) -> None:
    """Return once writer B is waiting behind writer A; fail if it finishes or never starts instead."""
    assert b_started.wait(timeout=30), "writer B never reached the database"
    if engine.dialect.name == "sqlite":
        # SQLite shows no lock waiters: B's first statement is BEGIN IMMEDIATE, which cannot pass
        # the write lock A holds, so B has started and can only finish after A commits.
        return
    with engine.connect() as conn:
        for _ in range(3000):  # bounded: at most ~30 s, returns as soon as PostgreSQL shows B waiting
            if conn.execute(WAITING_FOR_INDEX_LOCK).scalar_one():
                return
            if b_done.wait(timeout=0.01):
                break
    pytest.fail("writer B did not wait for the workspace's index lock")


def test_two_writers_at_once_both_land_in_the_same_postings(engine, session_factory):
    """Writer B reads the shared blobs only after writer A commits (PostgreSQL: the workspace's
    index lock; SQLite: its write lock), so B's re-encoded blobs keep A's creator. B has an engine of
    its own, as another process would: within one process SQLite writers also queue on a lock of
    their own (storage/db.py) before they reach the database."""
    add(session_factory, TEAM, baker("first", 20_000, 800, price_usd=600, topics="#veganbaking", bio=""))
    b_started, b_done = threading.Event(), threading.Event()
    b_engine = make_engine(engine.url.render_as_string(hide_password=False))
    b_sessions = make_session_factory(b_engine)

    def writer_b() -> None:
        with transaction(b_sessions) as session:
            upsert_creators(session, TEAM, [baker("from_b", 21_000, 800, price_usd=500, topics="#veganbaking",
                                                  bio="")], source="test")
        b_done.set()

    thread = threading.Thread(target=writer_b)

    def mark_b_started(*_args: object) -> None:
        if threading.current_thread() is thread:
            b_started.set()

    event.listen(b_engine, "before_cursor_execute", mark_b_started)
    try:
        with transaction(session_factory) as session:
            upsert_creators(session, TEAM, [baker("from_a", 22_000, 800, price_usd=400, topics="#veganbaking",
                                                  bio="")], source="test")
            thread.start()
            _wait_until_blocked(engine, b_started, b_done)
            assert not b_done.is_set()
    finally:
        event.remove(b_engine, "before_cursor_execute", mark_b_started)
    thread.join(timeout=30)
    b_engine.dispose()
    assert b_done.is_set()
    with transaction(session_factory) as session:
        handles = dict(session.execute(select(Creator.id, Creator.handle)).all())
        found = niche_match.match(session, TEAM, [BUILTIN.expand("bake")], niche_match.Filters())
        assert sorted(handles[i] for i in found.ids.tolist()) == ["first", "from_a", "from_b"]
