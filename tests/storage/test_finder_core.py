"""A big one-word pool is ranked in SQL and only its best core is loaded: same answer as loading all."""

from __future__ import annotations

import random

import pytest

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.find_query import parse_find
from influencer_bot.storage import finder
from influencer_bot.storage.db import transaction


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
