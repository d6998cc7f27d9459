"""Solve a huge pool on its core, and prove that nothing outside the core could do better.

Sorting and searching 200,000 creators does not fit a request's time, yet the optimum almost
always uses creators with a high reduced profit ``r = v - lam*p``. So one pass keeps the
~1,000-2,000 candidates with the best r (lam from a 4k sample), branch_and_bound.py solves that
core, and the LP dual bound proves that no set using an outside candidate can beat the answer
(else: retry at the core's lam, then widen to everything the proof cannot exclude).
core_check is the proof alone, for pool_choice.py, which builds its core from arrays.
"""
from __future__ import annotations

import math
import time
from typing import Sequence

from .branch_and_bound import solve
from .lp_bound import REL_TOL
from .selection import Candidate, Selection, unproven

CORE_MIN = 20_000    # pools larger than this are solved on a core of the best reduced profits
_CORE = 1_000        # at least this many candidates in that core
_SAMPLE = 4096       # candidates sampled to estimate lam


def solve_core(candidates: Sequence[Candidate], budget: int, k: int, deadline: float,
               node_limit: int | None) -> Selection:
    """A huge pool: one pass for reduced profits r = v - lam*p (lam from a sample), solve the
    core of the best r, then prove that nothing outside the core can beat it. If the proof
    fails, retry once at the core's own lam, then solve everything the proof cannot exclude."""
    sample = candidates[:: len(candidates) // _SAMPLE]
    lam = solve(sample, budget, k, deadline, 0)[1]
    for attempt in range(2):
        # The threshold t is estimated from the sample so that about _CORE candidates pass
        # (any t is correct: the proof below uses the t actually applied).
        r_sample = sorted((c.value - lam * c.price_cents for c in sample), reverse=True)
        t = r_sample[min(len(r_sample) - 1, max(2 * k, _CORE * len(sample) // len(candidates)))]
        core = [c for c in candidates if c.value - lam * c.price_cents >= t]   # index order kept
        sel, core_lam = solve(core, budget, k, deadline, node_limit)
        # Dual bound of the whole pool at (lam, mu), at the pass's lam or the core's: every
        # affordable item outside the core has v - lam_e*p < tau, so with mu >= tau it adds
        # nothing to the bound, and forcing one in lowers it by at least mu - tau.
        tau_c = t + max(0.0, lam - core_lam) * budget
        ub, mu, outside_ub, tol = min(_core_bound(core, lam, t, budget, k),
                                      _core_bound(core, core_lam, tau_c, budget, k), key=lambda x: x[2])
        if sel.optimal and outside_ub <= sel.total_value + tol:
            return sel
        if not sel.optimal or time.perf_counter() > deadline:   # out of time: report the gap
            bound = min(ub, max(sel.upper_bound, outside_ub))
            if bound <= sel.total_value + tol:
                return Selection(sel.keys, sel.total_price_cents, sel.total_value, True, 0.0, sel.total_value)
            return unproven(sel, bound)
        if attempt == 0:
            lam = core_lam
    ub, mu, _, tol = _core_bound(core, lam, t, budget, k)
    cut = sel.total_value + tol - ub + mu       # forcing in any r <= cut cannot beat sel
    return solve([c for c in candidates if c.value - lam * c.price_cents > cut], budget, k, deadline, node_limit)[0]


def core_check(core: Sequence[Candidate], lam: float, tau: float, budget_cents: int, max_items: int,
               value: float) -> tuple[bool, float, float]:
    """For a core holding every candidate with v - lam*p >= tau: (no set using a candidate
    outside the core beats `value`, an upper bound on any such set, the cut c such that only
    outside candidates with v - lam*p > c could)."""
    ub, mu, outside_ub, tol = _core_bound(core, lam, tau, budget_cents, max_items)
    return outside_ub <= value + tol, outside_ub, value + tol - ub + mu


def _core_bound(core: Sequence[Candidate], lam: float, tau: float, budget: int, k: int
                ) -> tuple[float, float, float, float]:
    """(ub, mu, bound of sets using an item with v - lam*p < tau, tolerance)."""
    r_core = sorted((c.value - lam * c.price_cents for c in core if c.price_cents <= budget), reverse=True)
    mu = max(0.0, tau, r_core[k] if len(r_core) > k else 0.0)
    ub = lam * budget + mu * k + math.fsum(r - mu for r in r_core if r > mu)
    return ub, mu, ub + tau - mu, REL_TOL * ub
