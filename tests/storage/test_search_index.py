"""The niche index's blobs under concurrent writers: two imports at once lose nothing."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.synonyms import BUILTIN
from influencer_bot.storage.search import niche_match
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import Creator


def test_two_writers_at_once_both_land_in_the_same_postings(session_factory):
    """Writer B reads the shared blobs only after writer A commits (PostgreSQL: the workspace's
    index lock; SQLite: its write lock), so B's re-encoded blobs keep A's creator."""
    add(session_factory, TEAM, baker("first", 20_000, 800, price_usd=600, topics="#veganbaking", bio=""))
    b_done = threading.Event()

    def writer_b() -> None:
        with transaction(session_factory) as session:
            upsert_creators(session, TEAM, [baker("from_b", 21_000, 800, price_usd=500, topics="#veganbaking",
                                                  bio="")], source="test")
        b_done.set()

    with transaction(session_factory) as session:
        upsert_creators(session, TEAM, [baker("from_a", 22_000, 800, price_usd=400, topics="#veganbaking", bio="")],
                        source="test")
        thread = threading.Thread(target=writer_b)
        thread.start()
        time.sleep(0.5)  # B is now waiting for A
        assert not b_done.is_set()
    thread.join(timeout=30)
    assert b_done.is_set()
    with transaction(session_factory) as session:
        handles = dict(session.execute(select(Creator.id, Creator.handle)).all())
        found = niche_match.match(session, TEAM, [BUILTIN.expand("bake")], niche_match.Filters())
        assert sorted(handles[i] for i in found.ids.tolist()) == ["first", "from_a", "from_b"]
