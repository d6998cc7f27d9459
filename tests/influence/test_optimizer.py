"""The shortlist optimiser picks the best creators for a budget, provably.

Instances are stated in dollars-as-cents integers and plain engagement numbers so that a
reader can check the expected optimum by hand.
"""
import itertools
import random
from collections import Counter

import pytest

from influencer_bot.influence.optimizer import Candidate, Selection, best_single, choose, greedy


def cands(*rows):
    """rows of (price_cents, value); keys are 100 + position."""
    return [Candidate(100 + i, p, v) for i, (p, v) in enumerate(rows)]


def brute(pool, budget, k):
    best = 0.0
    for r in range(1, min(k, len(pool)) + 1):
        for combo in itertools.combinations(pool, r):
            if sum(c.price_cents for c in combo) <= budget:
                best = max(best, sum(c.value for c in combo))
    return best


def assert_feasible(sel, pool, budget, k):
    by_key = {c.key: c for c in pool}
    chosen = [by_key[key] for key in sel.keys]
    assert len(sel.keys) <= k
    assert not Counter(sel.keys) - Counter(c.key for c in pool)   # duplicates: no more than offered
    assert sum(c.price_cents for c in chosen) == sel.total_price_cents <= budget
    assert sel.total_value == pytest.approx(sum(c.value for c in chosen))
    assert [c.value for c in chosen] == sorted((c.value for c in chosen), reverse=True)
    assert sel.upper_bound >= sel.total_value - 1e-9


# --- 1. optimal where the value-per-dollar greedy is wrong ------------------------------

def test_density_greedy_is_wrong_and_choose_is_right():
    # Budget $100. A: $10 for 60 (6.0/$), B: $50 for 250 (5.0/$), C: $50 for 250 (5.0/$).
    # Greedy takes A then B (C no longer fits): 310. Optimum: B + C = 500.
    pool = cands((1_000, 60.0), (5_000, 250.0), (5_000, 250.0))
    assert greedy(pool, 10_000, 5).total_value == 310.0
    sel = choose(pool, 10_000, 5)
    assert sel.keys == (101, 102) and sel.total_value == 500.0 and sel.total_price_cents == 10_000
    assert sel.optimal and sel.gap == 0.0 and sel.upper_bound == 500.0


def test_cardinality_makes_cheap_creators_a_trap():
    # Budget $1,000, at most 2 creators. Five nano creators at $20 for 100 each (5/$) fill the
    # slots for 200; one macro at $900 for 2,700 (3/$) plus one nano makes 2,800: the optimum.
    pool = cands(*[(2_000, 100.0)] * 5, (90_000, 2_700.0))
    assert greedy(pool, 100_000, 2).total_value == 200.0
    sel = choose(pool, 100_000, 2)
    assert sel.total_value == 2_800.0 and sel.keys == (105, 100) and sel.optimal


def test_exact_fill_beats_best_density():
    # Budget $300, up to 3 creators: $160 for 800 (5/$), $150 for 720, $150 for 720 (4.8/$).
    # Greedy: 800 alone (nothing else fits after $160). Optimum: the two $150 creators, 1,440.
    pool = cands((16_000, 800.0), (15_000, 720.0), (15_000, 720.0))
    assert greedy(pool, 30_000, 3).total_value == 800.0
    assert choose(pool, 30_000, 3).total_value == 1_440.0


# --- 2. equal to a brute force on small random instances ---------------------------------

@pytest.mark.parametrize("seed", range(300))
def test_matches_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 11)
    pool = []
    for i in range(n):
        price = rng.choice([rng.randint(1, 40), rng.randint(100, 5_000)]) if seed % 3 else rng.randint(1, 20)
        value = rng.choice([0.0, float(rng.randint(0, 30)), rng.uniform(0, 100), price * rng.uniform(0.5, 2)])
        pool.append(Candidate(i * 7, price, value))
    if seed % 5 == 0 and pool:
        pool += pool[: n // 2]                 # duplicates
    budget = rng.randint(0, sum(c.price_cents for c in pool))
    k = rng.randint(1, n + 2)
    sel = choose(pool, budget, k)
    assert sel.optimal and sel.gap == 0.0
    assert sel.total_value == pytest.approx(brute(pool, budget, k), rel=1e-9, abs=1e-12)
    assert_feasible(sel, pool, budget, k)
    g = greedy(pool, budget, k)
    assert_feasible(g, pool, budget, k)
    assert g.total_value <= sel.total_value + 1e-9 and not g.optimal


# --- 3. cardinality limit ------------------------------------------------------------------

def test_never_more_than_max_items():
    rng = random.Random(7)
    pool = [Candidate(i, rng.randint(1_000, 3_000), rng.uniform(10, 20)) for i in range(500)]
    for k in (1, 2, 5, 20, 50):
        sel = choose(pool, 10_000_000, k)       # budget never binds: the K most valuable win
        assert len(sel.keys) == k and sel.optimal
        top = sorted(pool, key=lambda c: -c.value)[:k]
        assert sel.total_value == pytest.approx(sum(c.value for c in top))


def test_edge_cases():
    assert choose([], 10_000, 5) == Selection((), 0, 0.0, True, 0.0, 0.0)
    too_dear = cands((50_001, 10.0), (90_000, 99.0))
    assert choose(too_dear, 50_000, 5) == Selection((), 0, 0.0, True, 0.0, 0.0)
    assert best_single(too_dear, 50_000) is None
    zeros = cands((100, 0.0), (200, 0.0))
    assert choose(zeros, 50_000, 5).keys == ()
    small = cands((100, 1.0), (200, 3.0), (300, 2.0))
    sel = choose(small, 10_000, 50)            # max_items larger than the pool
    assert sel.keys == (101, 102, 100) and sel.total_price_cents == 600 and sel.optimal
    dup = cands(*[(1_000, 5.0)] * 10)
    sel = choose(dup, 3_500, 5)
    assert sel.keys == (100, 101, 102)         # ties go to the earliest candidates
    assert best_single(small, 250) == small[1]
    with pytest.raises(ValueError):
        choose(small, 1_000, 0)
    with pytest.raises(ValueError):
        Candidate(1, 0, 1.0)
    with pytest.raises(ValueError):
        Candidate(1, 10, -1.0)


# --- 4. gap reporting when the search is cut short ------------------------------------------

def hard_instance(n=400, seed=3):
    # Strongly correlated values (value = price + constant) with odd prices: the classic hard
    # knapsack family, where LP bounds are loose and exact fills are rare.
    rng = random.Random(seed)
    return [Candidate(i, p, p / 100 + 10.0) for i in range(n) for p in [rng.randint(1_001, 100_001) | 1]]


def test_gap_is_reported_when_the_node_limit_is_hit():
    pool = hard_instance()
    budget, k = 1_234_567, 30
    sel = choose(pool, budget, k, node_limit=20, time_limit_s=60)
    assert not sel.optimal and sel.gap > 0
    assert sel.upper_bound >= sel.total_value > 0
    assert sel.gap == pytest.approx((sel.upper_bound - sel.total_value) / sel.upper_bound)
    assert_feasible(sel, pool, budget, k)
    full = choose(pool, budget, k, time_limit_s=1.0)
    assert full.total_value <= sel.upper_bound * (1 + 1e-9)   # the bound held
    assert full.total_value >= sel.total_value - 1e-9


# --- 5. determinism -------------------------------------------------------------------------

def test_deterministic():
    pool = hard_instance(300, seed=9) + hard_instance(300, seed=9)   # plenty of exact ties
    runs = {choose(pool, 987_654, 12, node_limit=500, time_limit_s=60) for _ in range(3)}
    assert len(runs) == 1
    rng = random.Random(11)
    pool = [Candidate(i, rng.randint(1_000, 1_000_000), float(rng.randint(1, 50))) for i in range(20_000)]
    runs = {choose(pool, 2_000_000, 10, time_limit_s=60) for _ in range(3)}
    assert len(runs) == 1 and next(iter(runs)).optimal


# --- huge pools go through a core of the best reduced profits: same optimum -----------------

@pytest.mark.parametrize("budget, k", [(40_000, 5), (2_000_000, 15), (5_000_000, 10), (30_000_000, 20)])
def test_huge_pool_core_matches_the_plain_search(budget, k):
    from influencer_bot.influence.branch_and_bound import solve

    rng = random.Random(budget)
    pool = []
    for i in range(30_000):
        price = int(10 ** rng.uniform(3, 6))
        pool.append(Candidate(i, price, round(price * 0.004 * rng.lognormvariate(0, 0.6), 2)))
    sel = choose(pool, budget, k, time_limit_s=30)
    plain, _ = solve(pool, budget, k, float("inf"), None)
    assert sel.optimal and plain.optimal
    assert sel.total_value == pytest.approx(plain.total_value, rel=1e-9)
    assert_feasible(sel, pool, budget, k)
