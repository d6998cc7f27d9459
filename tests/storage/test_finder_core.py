"""A big one-word pool is ranked in SQL and only its best core is loaded: same answer as loading all."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.find_query import parse_find
from influencer_bot.influence.synonyms import BUILTIN
from influencer_bot.influence.terms import niche_words
from influencer_bot.storage import finder, niche_match
from influencer_bot.storage.db import transaction
from influencer_bot.storage.search_models import CreatorTerm


@pytest.fixture
def crowd(session_factory):
    rng = random.Random(5)
    add(session_factory, TEAM, *[
        baker(f"b{i}", followers := rng.choice([rng.randint(1_000, 9_000), rng.randint(10_000, 90_000),
                                                rng.randint(100_000, 900_000)]),
              followers * rng.uniform(0.005, 0.06), price_usd=rng.choice([None, rng.randint(20, 4_000)]),
              topics=rng.choice(["#veganbaking", "#dessert", "cakes"]), bio="")
        for i in range(120)])
    return session_factory


@pytest.mark.parametrize("text", ["baking 300", "vegan baking 2500 max:4", "vegan cakes 800 goal:reach", "baking 2500 max:4", "baking 40000 max:20", "baking 900 goal:reach",
                                  "cake 5000 platform:instagram min-er:2"])
def test_core_path_equals_loading_every_candidate(crowd, monkeypatch, text):
    query = parse_find(text)
    with transaction(crowd) as session:
        full = finder.propose(session, TEAM, query, exclude_ids={-1}, time_limit_s=5)  # any exclusion takes the full path
    monkeypatch.setattr(finder, "CORE", 6)
    monkeypatch.setattr(finder, "SAMPLE", 4)
    with transaction(crowd) as session:
        core = finder.propose(session, TEAM, query, time_limit_s=5)
    assert full.selection.optimal and core.selection.optimal
    assert core.pool == full.pool and core.excluded == full.excluded
    assert core.selection.total_value == pytest.approx(full.selection.total_value, rel=1e-9)
    assert (core.best_single.value if core.best_single else None) == (
        full.best_single.value if full.best_single else None)
    assert len(core.candidates) <= len(full.candidates)  # the core, or what its proof could not exclude


@pytest.mark.parametrize("niche, filters", [
    ("baking", niche_match.Filters(budget_cents=80_000)),
    ("vegan cakes", niche_match.Filters(budget_cents=150_000, min_er_pct=2.0)),
    ("vegan baking", niche_match.Filters(platform="instagram", goal="reach", budget_cents=40_000)),
])
def test_counts_by_reason_equal_a_row_by_row_reference(crowd, niche, filters):
    """The lean counts (one pass, rejected creators settled apart) against each creator's
    reason worked out in Python from its index rows: first reason that applies, distinct creators."""
    alternatives = [BUILTIN.expand(w.term) for w in niche_words(niche)]
    terms = set().union(*alternatives)
    with transaction(crowd) as session:
        rows = {r.creator_id: r for r in session.scalars(select(CreatorTerm).where(
            CreatorTerm.team_id == TEAM, CreatorTerm.term.in_(terms)))
            if filters.platform in (None, r.platform)}
        rejected = set(sorted(rows)[::7]) | {-5}
        rng = niche_match.Range(TEAM, alternatives, filters, datetime.now(UTC), rejected)
        pool, counts = rng.counts(session)

    def reason(cid: int, r: CreatorTerm) -> str | None:
        base = r.impressions if filters.goal == "reach" else r.engagements
        for code, applies in (
                (niche_match.REJECTED, cid in rejected), (niche_match.EMERGING, r.tier == "emerging"),
                (niche_match.QUALITY, r.exclusion is not None),
                (niche_match.NO_METRICS, r.price_cents is None or base is None or base <= 0),
                (niche_match.BELOW_MIN_ER, filters.min_er_pct is not None and (
                    r.er_pct is None or r.er_pct < filters.min_er_pct)),
                (niche_match.OVER_BUDGET, r.price_cents is not None and r.price_cents > filters.budget_cents)):
            if applies:
                return code
        return None

    expected = Counter(reason(cid, r) for cid, r in rows.items())
    assert pool == len(rows) > 0
    assert counts == {code: n for code, n in expected.items() if code is not None}
    assert counts.get(niche_match.REJECTED) == len(rejected & set(rows))


def test_ranked_reads_leave_rejected_creators_out(crowd):
    alternatives = [BUILTIN.expand(w.term) for w in niche_words("vegan baking")]
    with transaction(crowd) as session:
        everyone = niche_match.Range(TEAM, alternatives, niche_match.Filters(budget_cents=10**9), datetime.now(UTC))
        ids = [row.creator_id for row in everyone.eligible(session)[0]]
        gone = set(ids[::3])
        rng = niche_match.Range(TEAM, alternatives, niche_match.Filters(budget_cents=10**9), datetime.now(UTC), gone)
        assert [row.creator_id for row in rng.eligible(session)[0]] == [i for i in ids if i not in gone]
        assert not gone & {row.creator_id for row in rng.sample(session, 10)}
        assert not gone & {row.creator_id for row in rng.eligible(session, lam=0.001, limit=5)[0]}
