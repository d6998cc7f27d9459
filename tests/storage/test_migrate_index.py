"""Upgrading a database that already holds creators builds the niche index for them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from conftest import TEAM, _admin
from influencer_bot.influence.synonyms import BUILTIN
from influencer_bot.influence.tiers import TierThresholds
from influencer_bot.storage.search import niche_match
from influencer_bot.storage.db import make_engine, make_session_factory, transaction
from influencer_bot.storage.migrate import current_revision, head_revision, upgrade

BEFORE = "0004_digest_scope_unique"  # the last revision with the creator_terms index


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    template = request.getfixturevalue("pg_template_url")
    name = f"influencer_t_{secrets.token_hex(6)}"
    with _admin(template) as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    yield template.rsplit("/", 1)[0] + f"/{name}"
    with _admin(template) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _old_creators(engine, rows) -> None:
    """Creators (id, handle, topics) written as an older schema held them, with raw SQL."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workspaces (team_id, name, created_at) VALUES (:t, 'old', :now)"),
                     {"t": TEAM, "now": now})
        for cid, handle, topics in rows:
            conn.execute(text(
                "INSERT INTO creators (id, team_id, platform, handle, followers, following, topics, "
                "quoted_price_cents, created_at, updated_at) VALUES "
                "(:id, :t, 'instagram', :h, 20000, 300, :topics, 50000, :now, :now)"),
                {"id": cid, "t": TEAM, "h": handle, "topics": topics, "now": now})
            conn.execute(text(
                "INSERT INTO metric_snapshots (id, team_id, creator_id, captured_at, source, followers, following, "
                "avg_likes, avg_comments, posts_sampled) VALUES (:id, :t, :id, :now, 'old', 20000, 300, 700, 20, 12)"),
                {"id": cid, "t": TEAM, "now": now})
            conn.execute(text("UPDATE creators SET latest_metrics_id = :id WHERE id = :id"), {"id": cid})


def test_upgrading_indexes_the_creators_already_there(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine, BEFORE)
    _old_creators(engine, ((1, "old_baker", "#veganbaking"), (2, "old_runner", "#trailrunning")))
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with transaction(make_session_factory(engine)) as session:
        found = niche_match.match(session, TEAM, [BUILTIN.expand("bake")], niche_match.Filters(budget_cents=10**6))
    assert found.ids.tolist() == [1] and found.pool == 1
    assert found.price_cents.tolist() == [50000] and found.value[0] > 0
    engine.dispose()


def test_upgrading_to_whole_niche_marks_repeated_terms_with_the_configured_scoring(empty_url):
    """0008 re-indexes existing creators: a term mentioned twice is marked (whole-niche matching
    sees it without a manual `db rescore`), and the scores use the thresholds the bot passes."""
    engine = make_engine(empty_url)
    upgrade(engine, "0007_sync_run_claim")
    _old_creators(engine, ((1, "twice", "#matcha #matchalatte matcha recipes"),
                           (2, "once", "#travel #wanderlust #matcha #beach")))
    # 20,000 followers: micro by default, macro when macro starts at 15,000
    upgrade(engine, scoring={"thresholds": TierThresholds(nano=1_000, micro=5_000, macro=15_000, mega=1_000_000)})
    with transaction(make_session_factory(engine)) as session:
        found = niche_match.match(session, TEAM, [frozenset({"matcha"})],
                                  niche_match.Filters(budget_cents=10**6), repeated=True)
        macro = niche_match.match(session, TEAM, [frozenset({"matcha"})],
                                  niche_match.Filters(budget_cents=10**6, tier="macro"))
    assert dict(zip(found.ids.tolist(), found.whole.tolist())) == {1: True, 2: False}
    assert sorted(macro.ids.tolist()) == [1, 2]
    engine.dispose()
