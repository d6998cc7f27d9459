"""The arithmetic behind "why not?": the least-loss swap, and the exact best set that must include a creator."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from influencer_bot.influence.why_not import Entry, best_swap, best_with, nearest_terms, readable_terms


def _brute_with(prices, values, at, budget, k):
    others = [i for i in range(len(prices)) if i != at]
    best = -1.0
    for size in range(0, k):
        for combo in itertools.combinations(others, size):
            if prices[at] + sum(prices[i] for i in combo) <= budget:
                best = max(best, values[at] + sum(values[i] for i in combo))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_best_with_is_the_exact_optimum_of_sets_holding_the_creator(seed):
    rng = random.Random(seed)
    n = rng.randint(4, 9)
    prices = [rng.randint(1, 60) * 1_000 for _ in range(n)]
    values = [float(rng.randint(0, 5_000)) for _ in range(n)]
    budget, k, at = rng.randint(60, 200) * 1_000, rng.randint(1, 4), rng.randrange(n)
    if prices[at] > budget:
        prices[at] = budget
    got = best_with(np.arange(1, n + 1), np.array(prices, dtype=np.int64), np.array(values), at, budget, k)
    assert got == pytest.approx(_brute_with(prices, values, at, budget, k))


def test_best_with_alone_when_it_takes_the_last_place_or_the_whole_budget():
    keys, prices, values = np.array([1, 2]), np.array([500, 100], dtype=np.int64), np.array([10.0, 99.0])
    assert best_with(keys, prices, values, 0, 500, 5) == 10.0  # nothing left to spend
    assert best_with(keys, prices, values, 0, 900, 1) == 10.0  # no place left
    assert np.isnan(best_with(keys, prices, values, 0, 400, 5))  # cannot be in any set


def test_best_swap_takes_the_place_that_loses_least_and_fits_the_budget():
    picks = [Entry(1, "a", 79_000, 2_600.0), Entry(2, "b", 100_000, 2_400.0), Entry(3, "c", 10_000, 500.0)]
    x = Entry(9, "x", 80_000, 1_900.0)
    # spent 189,000 of 200,000: only replacing a (−79,000) or b (−100,000) frees enough; c is cheapest to lose
    # but replacing it leaves 259,000 > 200,000
    assert best_swap(x, picks, 200_000).key == 2
    assert best_swap(x, picks, 150_000) is None
    assert best_swap(x, [], 100_000) is None


def test_readable_terms_keep_hashtags_and_drop_stop_words():
    assert readable_terms("#VeganBaking  #Pâtisserie", None, "I bake for my kids & the dog") == [
        "#veganbaking", "#patisserie", "bake", "kids", "dog"]


def test_nearest_terms_are_close_in_spelling_or_absent():
    own = ["#vegano", "#reposteria", "#postres", "bakes", "#keebs"]
    assert nearest_terms(own, ["vegan", "baking", "bake"]) == ["#vegano", "bakes"]
    assert nearest_terms(["#mechanicalkeyboards", "#keebs"], ["vegan", "baking"]) == []
