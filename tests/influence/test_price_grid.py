"""The price-grid bracket: its upper bound is never below the optimum, its set always fits."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from influencer_bot.influence import price_grid
from influencer_bot.influence.dominance import undominated
from influencer_bot.influence.lp_bound import lp_bound
from influencer_bot.influence.optimizer import Candidate, choose


def _brute_force(p, v, budget, k):
    best = 0.0
    for size in range(1, k + 1):
        for combo in itertools.combinations(range(len(p)), size):
            if sum(p[i] for i in combo) <= budget:
                best = max(best, math.fsum(v[i] for i in combo))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_bracket_holds_the_optimum_of_lumpy_instances(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(price_grid, "GRID", rng.choice([7, 20, 100]))  # coarse: rounding matters
    monkeypatch.setattr(price_grid, "MIN_GRID", 1)
    budget = rng.randint(1_000, 100_000)
    n, k = rng.randint(3, 12), rng.randint(1, 4)
    p = [rng.choice([rng.randint(1, budget // 20 + 1), rng.randint(budget // 3, budget)]) for _ in range(n)]
    v = [pi * rng.uniform(0.5, 2.0) for pi in p]
    upper, chosen = price_grid.bracket(p, v, budget, k)
    optimum = _brute_force(p, v, budget, k)
    assert sum(p[i] for i in chosen) <= budget and len(chosen) <= k and len(set(chosen)) == len(chosen)
    assert math.fsum(v[i] for i in chosen) <= optimum * (1 + 1e-12)
    assert upper >= optimum * (1 - 1e-12)


def test_a_lumpy_request_is_proven_optimal_where_the_lp_bound_is_weak():
    """One creator worth most of the budget beside many cheap ones: the LP relaxation is
    percents above every set, and the grid settles the request within the default time limit."""
    rng = random.Random(8)
    cheap = [Candidate(i, rng.randint(9_000, 30_000), rng.uniform(900, 2_500)) for i in range(300)]
    big = [Candidate(1_000 + i, rng.randint(1_400_000, 1_900_000), rng.uniform(150_000, 210_000)) for i in range(30)]
    budget, k = 2_000_000, 10
    pool = cheap + big
    kept = undominated(pool, budget, k)
    root_ub, _ = lp_bound([pool[i].price_cents for i in kept], [pool[i].value for i in kept], budget, k)
    selection = choose(pool, budget, k)
    assert selection.optimal
    assert root_ub > 1.01 * selection.total_value  # the LP alone could not have proven it
    assert selection.total_price_cents <= budget and len(selection.keys) <= k


@pytest.mark.parametrize("seed", range(15))
def test_suffix_bounds_never_understate_a_completion(seed, monkeypatch):
    """What branch and bound relies on: from item j, with s slots and `room` cents, no set of
    the remaining items is worth more than the table says."""
    rng = random.Random(100 + seed)
    monkeypatch.setattr(price_grid, "GRID", rng.choice([9, 40, 200]))
    monkeypatch.setattr(price_grid, "MIN_GRID", 1)
    budget, n, k = rng.randint(1_000, 60_000), rng.randint(2, 9), rng.randint(1, 4)
    p = [rng.choice([rng.randint(1, budget // 15 + 1), rng.randint(budget // 4, budget)]) for _ in range(n)]
    v = [pi * rng.uniform(0.3, 2.5) for pi in p]
    cell, table = price_grid.suffix_bounds(p, v, budget, k)
    for j in range(n + 1):
        for slots in range(k + 1):
            for room in {0, budget // 3, budget // 2, budget}:
                best = _brute_force(p[j:], v[j:], room, slots) if slots and j < n else 0.0
                assert table[j, slots, room // cell] >= best * (1 - 1e-9)
