"""The niche index and the pool path: counts, relevance and choice read from postings and
score columns agree with creator-by-creator references, and stay right as creators change."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlalchemy import select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.influence import pool_choice
from influencer_bot.influence.find_query import parse_find
from influencer_bot.influence.flags import QualityRules
from influencer_bot.influence.optimizer import Candidate, best_single, choose
from influencer_bot.influence.scoring import relevance
from influencer_bot.influence.synonyms import BUILTIN
from influencer_bot.influence.terms import niche_words
from influencer_bot.influence.tiers import TierThresholds
from influencer_bot.storage.search import finder, niche_match
from influencer_bot.storage.search.indexer import index_entry
from influencer_bot.storage.creators.views import CreatorView, follower_histories, view_query
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import Creator
from influencer_bot.storage.models import IndexBlob

np = pytest.importorskip("numpy")


@pytest.fixture
def crowd(session_factory):
    rng = random.Random(5)
    add(session_factory, TEAM, *[
        baker(f"b{i}", followers := rng.choice([rng.randint(400, 9_000), rng.randint(10_000, 90_000),
                                                rng.randint(100_000, 900_000)]),
              followers * rng.uniform(0.0005, 0.06), price_usd=rng.choice([None, rng.randint(20, 4_000)]),
              topics=rng.choice(["#veganbaking", "#dessert", "cakes", "#vegan"]),
              bio=rng.choice(["", "baking at home", "plant-based food"]))
        for i in range(160)])
    return session_factory


def _entries(session, team):
    """Each creator's index entry, worked out from its own rows (not from the index)."""
    out = {}
    ids = list(session.scalars(select(Creator.id).where(Creator.team_id == team)))
    history = follower_histories(session, team, ids)
    for creator, snap in session.execute(view_query(team)):
        out[creator.id] = index_entry(CreatorView(creator, snap), history.get(creator.id, ()), TierThresholds(),
                                      QualityRules())
    return out


@pytest.mark.parametrize("text", ["baking 300", "vegan baking 2500 max:4", "vegan cakes 800 goal:reach",
                                  "baking 2500 max:4", "baking 40000 max:20", "baking 900 goal:reach",
                                  "cake 5000 platform:instagram min-er:2"])
def test_core_path_equals_loading_every_candidate(crowd, monkeypatch, text):
    query = parse_find(text)
    monkeypatch.setattr(pool_choice, "CORE", 10**9)
    with transaction(crowd) as session:
        full = finder.propose(session, TEAM, query, time_limit_s=5)
    monkeypatch.setattr(pool_choice, "CORE", 6)
    monkeypatch.setattr(pool_choice, "SAMPLE", 4)
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
    ("vegan baking", niche_match.Filters(tier="micro", budget_cents=10**9)),
])
def test_counts_relevance_and_values_equal_a_creator_by_creator_reference(crowd, niche, filters):
    """First reason that applies, distinct creators; relevance from each word's best field."""
    alternatives = [BUILTIN.expand(w.term) for w in niche_words(niche)]
    with transaction(crowd) as session:
        entries = {cid: e for cid, e in _entries(session, TEAM).items() if e is not None}
        rejected = set(sorted(entries)[::7]) | {-5}
        found = niche_match.match(session, TEAM, alternatives, filters, rejected)

    def reason(cid, e):
        base = e.impressions if filters.goal == "reach" else e.engagements
        for code, applies in (
                (niche_match.REJECTED, cid in rejected), (niche_match.EMERGING, e.codes >> 2 & 7 == 1),
                (niche_match.QUALITY, e.codes & 0x80),
                (niche_match.NO_METRICS, e.price_cents is None or base is None or base <= 0),
                (niche_match.BELOW_MIN_ER, filters.min_er_pct is not None and (
                    e.er_pct is None or e.er_pct < filters.min_er_pct)),
                (niche_match.OVER_BUDGET, e.price_cents is not None and e.price_cents > filters.budget_cents)):
            if applies:
                return code
        return None

    weights = {cid: tuple(max((e.terms.get(t, 0) for t in alts), default=0) for alts in alternatives)
               for cid, e in entries.items()}
    pool = {cid: e for cid, e in entries.items() if any(weights[cid])
            and (filters.platform is None or e.codes & 3 == ("instagram", "tiktok", "youtube").index(filters.platform))
            and (filters.tier is None or e.codes >> 2 & 7 == (None, "emerging", "nano", "micro", "macro", "mega").index(
                filters.tier))}
    expected = Counter(reason(cid, e) for cid, e in pool.items())
    assert found.pool == len(pool) > 0
    assert found.excluded == {code: n for code, n in expected.items() if code is not None}
    assert found.excluded.get(niche_match.REJECTED) == len(rejected & set(pool))
    eligible = sorted(cid for cid, e in pool.items() if reason(cid, e) is None)
    assert found.ids.tolist() == eligible
    assert found.relevance.tolist() == [relevance(weights[cid]) for cid in eligible]
    base = [(pool[c].impressions if filters.goal == "reach" else pool[c].engagements) for c in eligible]
    assert found.value.tolist() == [b * relevance(weights[c]) for b, c in zip(base, eligible)]


def test_the_index_follows_changed_creators_and_stays_in_its_workspace(session_factory):
    add(session_factory, TEAM, baker("moving", 20_000, 800, price_usd=600, topics="#veganbaking", bio=""),
        baker("staying", 20_000, 700, price_usd=500, topics="#veganbaking", bio=""))
    add(session_factory, OTHER_TEAM, baker("elsewhere", 20_000, 900, price_usd=500, topics="#veganbaking", bio=""))
    add(session_factory, TEAM, baker("moving", 20_000, 800, price_usd=600, topics="#trailrunning", bio=""))
    with transaction(session_factory) as session:
        handles = dict(session.execute(select(Creator.id, Creator.handle)).all())
        baking = niche_match.match(session, TEAM, [BUILTIN.expand("bake")], niche_match.Filters())
        running = niche_match.match(session, TEAM, [BUILTIN.expand("run")], niche_match.Filters())
        assert [handles[i] for i in baking.ids.tolist()] == ["staying"]
        assert [handles[i] for i in running.ids.tolist()] == ["moving"]
        # postings hold each term once per chunk and weight, nothing stale or empty
        assert all(n > 0 for n in session.scalars(select(IndexBlob.n)))


def test_a_big_pool_is_chosen_exactly_from_its_core(monkeypatch):
    """Thousands of candidates, a core of 200: the same optimum as handing the optimiser all."""
    rng = random.Random(3)
    n = 3_000
    prices = np.array([rng.randint(1_000, 400_000) for _ in range(n)], dtype=np.int64)
    values = np.array([p / 100 * rng.uniform(0.2, 3.0) for p in prices.tolist()])
    keys = np.arange(1, n + 1, dtype=np.uint32)
    monkeypatch.setattr(pool_choice, "CORE", 200)
    everyone = [Candidate(int(k), int(p), float(v)) for k, p, v in zip(keys, prices, values)]
    for budget, k in ((50_000, 3), (500_000, 10), (3_000_000, 20)):
        selection, candidates = pool_choice.choose_from_pool(keys, prices, values, budget, k, time_limit_s=10)
        reference = choose(everyone, budget, k, time_limit_s=10)
        assert selection.optimal and reference.optimal
        assert selection.total_value == pytest.approx(reference.total_value, rel=1e-9)
        assert len(candidates) < n
        assert best_single(candidates, budget) == best_single(everyone, budget)
