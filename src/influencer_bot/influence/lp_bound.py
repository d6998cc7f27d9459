"""The LP bound of the shortlist problem, and lam, the price of a cent of budget it implies.

Prices reach 50,000,000 cents and pools 200,000 creators, so the optimiser's upper bounds
must come from something cheaper than a DP over cents: the LP relaxation with both
constraints (budget and at most K creators) has the dual bound
``h(lam) = lam*B + sum of the K largest max(0, v_i - lam*p_i)``, valid for every lam >= 0
and equal to the LP optimum at its minimum, which we find by intersecting supporting lines.
Its argmin lam ranks creators by reduced profit ``v - lam*p``: the search's order, the
incumbent's first greedy, and which creators a huge pool's core keeps.
"""
from __future__ import annotations

import heapq
from typing import Sequence

from .dominance import undominated
from .selection import Candidate

REL_TOL = 1e-10      # relative tolerance of "no better than": guards float round-off


def lp_bound(p: list[int], v: list[float], budget: int, k: int) -> tuple[float, float]:
    """(min over lam >= 0 of h(lam), argmin): the LP optimum of the cardinality knapsack."""
    h_lo, s_lo = _dual(p, v, 0.0, budget, k)
    if s_lo >= 0:
        return h_lo, 0.0
    lo = 0.0
    hi = max(vi / pi for vi, pi in zip(v, p))  # every v - hi*p <= 0: h(hi) = hi*B, slope B
    h_hi, s_hi = hi * budget, budget
    best_h, best_lam = min((h_lo, lo), (h_hi, hi))
    for _ in range(200):                       # Newton on a convex piecewise-linear function
        lam = (h_hi - h_lo + s_lo * lo - s_hi * hi) / (s_lo - s_hi)
        if not lo < lam < hi:
            break
        line = h_lo + s_lo * (lam - lo)
        h, s = _dual(p, v, lam, budget, k)
        if h < best_h:
            best_h, best_lam = h, lam
        if h <= line + REL_TOL * abs(line) or s == 0:
            break
        if s < 0:
            lo, h_lo, s_lo = lam, h, s
        else:
            hi, h_hi, s_hi = lam, h, s
    return best_h, best_lam


def candidates_lp_bound(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> tuple[float, float]:
    """lp_bound over the undominated candidates; (0.0, 0.0) when none is affordable."""
    pool = undominated(candidates, budget_cents, max_items)
    if not pool:
        return 0.0, 0.0
    return lp_bound([candidates[i].price_cents for i in pool], [candidates[i].value for i in pool],
                    budget_cents, min(max_items, len(pool)))


def dual_price(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> float:
    """lam of the LP relaxation: what a cent of budget is worth at the margin. A caller that
    cannot afford to load a huge pool (pool_choice.py) estimates it from a sample and loads
    only the candidates with the best reduced profit v - lam*p, then proves with core_check."""
    return candidates_lp_bound(candidates, budget_cents, max_items)[1]


def _dual(p: list[int], v: list[float], lam: float, budget: int, k: int) -> tuple[float, int]:
    """h(lam) and its slope B - (price of the K items with the largest positive v - lam*p)."""
    top = heapq.nlargest(k, ((vi - lam * pi, pi) for vi, pi in zip(v, p)))
    top = [(r, pi) for r, pi in top if r > 0.0]
    return lam * budget + sum(r for r, _ in top), budget - sum(pi for _, pi in top)
