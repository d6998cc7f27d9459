"""The shortlist optimiser: which creators to book for a budget, exactly.

A 0/1 knapsack with a cardinality limit: maximise total value (e.g. expected engagements)
subject to total price <= budget and at most ``max_items`` creators. Prices are integer cents
and budgets reach 50,000,000 cents, so a DP over cents is out; pools reach 200,000 creators,
so every step before the search must be about one cheap pass over the pool.

This module is the entry point (``choose``, the ``greedy`` baseline, ``best_single``) and
re-exports the types of its signature; the stages live in modules of their own:
1. dominance.py: drop candidates that ``max_items`` others beat on both price and value.
2. lp_bound.py: the LP relaxation's dual bound, and lam, the price of a cent of budget.
3. branch_and_bound.py: reduced-cost removal against an incumbent (incumbent.py), then
   depth-first branch and bound in descending ``v - lam*p``, helped by a DP on a price grid
   (price_grid.py) when the quick search does not prove the answer.
4. core_proof.py: pools over 20,000 are solved on a core of the best ``v - lam*p``, and the
   dual bound proves that no set using an outside candidate can beat the answer.

Stdlib and numpy, deterministic (ties by input index) unless a time limit, rather than a node
limit, ends the search.
"""
from __future__ import annotations

import time
from typing import Sequence

from .branch_and_bound import solve
from .core_proof import CORE_MIN, solve_core
from .incumbent import greedy_order
from .lp_bound import candidates_lp_bound
from .selection import Candidate, Selection, selection_of

__all__ = ["TIME_LIMIT_S", "Candidate", "Selection", "choose", "greedy", "best_single"]

TIME_LIMIT_S = 0.05  # default: a shortlist must be posted within Slack's 3 s, and far sooner


def _check_limits(max_items: int) -> None:
    if max_items < 1:
        raise ValueError(f"max_items must be >= 1, got {max_items}")


def choose(candidates: Sequence[Candidate], budget_cents: int, max_items: int, *,
           time_limit_s: float = TIME_LIMIT_S, node_limit: int | None = None) -> Selection:
    """The subset of candidates with the largest total value within budget and max_items.

    Proven optimal unless time_limit_s or node_limit (deterministic) ends the search first;
    then the best set found, with the proven relative gap to the upper bound."""
    deadline = time.perf_counter() + time_limit_s
    _check_limits(max_items)
    if len(candidates) > CORE_MIN:
        return solve_core(candidates, budget_cents, max_items, deadline, node_limit)
    return solve(candidates, budget_cents, max_items, deadline, node_limit)[0]


def greedy(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> Selection:
    """Naive baseline: by value per dollar (ties by index), take each creator that still fits
    until max_items. Never claims optimality; its gap is against the same LP bound as choose."""
    _check_limits(max_items)
    order = sorted((i for i, c in enumerate(candidates) if c.price_cents <= budget_cents and c.value > 0.0),
                   key=lambda i: (-candidates[i].value / candidates[i].price_cents, i))
    taken = greedy_order(order, [c.price_cents for c in candidates], budget_cents, max_items)
    ub, _ = candidates_lp_bound(candidates, budget_cents, max_items)
    return selection_of(candidates, taken, ub, False)


def best_single(candidates: Sequence[Candidate], budget_cents: int) -> Candidate | None:
    """The most valuable creator affordable alone (ties: cheaper, then earlier), or None."""
    best: Candidate | None = None
    for c in candidates:
        if c.price_cents <= budget_cents and (
                best is None or c.value > best.value or (c.value == best.value and c.price_cents < best.price_cents)):
            best = c
    return best
