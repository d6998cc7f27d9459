"""Exact choice from a pool of any size, given as arrays: the optimiser sees only its core.

Building a Candidate for each of 285,000 eligible creators would cost more than the whole
request may, so the pool stays in numpy arrays and:
1. lam, the LP price of a cent of budget, is estimated on a sample (any lam is correct:
   it only decides how tight the core is);
2. the CORE creators with the best reduced profit r = v - lam*p, plus the best single
   creator (the footer's comparison), become Candidates and are solved exactly;
3. the LP dual proves that no creator outside the core could improve the answer, at lam or
   at the core's own lam (core_proof.core_check), or the price grid does (a tighter bound on
   lumpy requests, price_grid.outside_bound). When neither can, the core grows GROWTH times
   (a lower tau) while that is smaller than what the proof could not exclude; then those
   creators (r above the LP's cut), up to WIDEN_LIMIT, are solved together. Past that, or
   out of time, the best set found is returned with the gap the bounds prove.
"""

from __future__ import annotations

import time

import numpy as np

from . import price_grid
from .core_proof import core_check
from .dominance import undominated
from .lp_bound import dual_price
from .optimizer import TIME_LIMIT_S, choose
from .selection import Candidate, Selection, unproven

CORE = 1_500  # creators of a big pool handed to the optimiser
SAMPLE = 2_000  # creators sampled to estimate lam
GROWTH = 4  # when the core's proof fails, it is grown this many times over before widening
WIDEN_LIMIT = 20_000  # at most this many when the core's proof fails; past it, a proven gap


def _candidates(keys: np.ndarray, prices: np.ndarray, values: np.ndarray, idx: np.ndarray) -> list[Candidate]:
    return [Candidate(int(k), int(p), float(v)) for k, p, v in zip(keys[idx], prices[idx], values[idx])]


def best_single_index(prices: np.ndarray, values: np.ndarray, budget_cents: int) -> int | None:
    """optimizer.best_single over arrays in key order: most valuable affordable, then cheaper, then first."""
    affordable = np.flatnonzero(prices <= budget_cents)
    if not len(affordable):
        return None
    top = affordable[values[affordable] == values[affordable].max()]
    return int(top[np.argmin(prices[top])])  # argmin returns the first of equal prices


def choose_from_pool(keys: np.ndarray, prices: np.ndarray, values: np.ndarray, budget_cents: int, max_items: int,
                     *, time_limit_s: float = TIME_LIMIT_S) -> tuple[Selection, list[Candidate]]:
    """The optimal set of at most max_items within budget (or the best found, with its gap),
    and the candidates the optimiser chose from. Arrays are aligned, keys ascending."""
    deadline, n = time.perf_counter() + time_limit_s, len(keys)
    if n <= CORE:
        candidates = _candidates(keys, prices, values, np.arange(n))
        return choose(candidates, budget_cents, max_items, time_limit_s=time_limit_s), candidates
    sample = _candidates(keys, prices, values, np.arange(0, n, max(1, n // SAMPLE)))
    lam = dual_price(sample, budget_cents, max_items)
    reduced = values - lam * prices
    single = best_single_index(prices, values, budget_cents)
    size = CORE
    while True:
        split = np.argpartition(-reduced, size) if size < n else np.arange(n)
        inside = np.sort(split[:size])
        if single is not None and not (inside == single).any():
            inside = np.sort(np.append(inside, single))
        tau = float(reduced[split[size]]) if size < n else -np.inf  # the best reduced profit left out
        tau += 1e-9 * max(1.0, abs(tau))  # round-off in r
        core = _candidates(keys, prices, values, inside)
        selection = choose(core, budget_cents, max_items, time_limit_s=max(0.0, deadline - time.perf_counter()))
        proven, outside_ub, cut = _outside(core, selection, lam, tau, budget_cents, max_items)
        if proven:
            return selection, core
        if not selection.optimal:  # out of time on the core itself: more creators cannot help
            return unproven(selection, max(selection.upper_bound, outside_ub)), core
        wide = np.flatnonzero(reduced > cut - 1e-9 * max(1.0, abs(cut)))  # all that could beat it
        if len(wide) <= GROWTH * size or GROWTH * size >= n or not _time_for(GROWTH * size, deadline):
            break
        size *= GROWTH  # a bigger core lowers tau: the proof may hold without loading everything
    if len(wide) > WIDEN_LIMIT or not _time_for(len(wide), deadline):
        return unproven(selection, max(selection.upper_bound, outside_ub)), core
    candidates = _candidates(keys, prices, values, np.union1d(wide, inside))
    widened = choose(candidates, budget_cents, max_items, time_limit_s=max(0.0, deadline - time.perf_counter()))
    if widened.optimal or widened.total_value >= selection.total_value:
        # every set better than the core's answer is made of these candidates
        if widened.optimal:
            return widened, candidates
        return unproven(widened, max(widened.upper_bound, selection.total_value)), candidates
    return unproven(selection, max(selection.upper_bound, widened.upper_bound)), candidates


def _time_for(candidates: int, deadline: float) -> bool:
    """Whether solving that many candidates still fits before the deadline (measured: building
    a Candidate costs ~4 us; the optimiser then needs its grid tables and some search)."""
    return deadline - time.perf_counter() > candidates * 5e-6 + 2 * price_grid.TABLE_SECONDS


def _outside(core: list[Candidate], selection: Selection, lam: float, tau: float, budget_cents: int,
             max_items: int) -> tuple[bool, float, float]:
    """Can a set using a creator outside the core (each worth less than tau + lam * price)
    beat the selection? (no: proven, the best bound on such sets, the LP's cut: only creators
    with reduced profit above it could). The LP bound at the ranking's lam, at the core's own
    (every outside creator is affordable, so its reduced profit there is below
    tau + (lam - core_lam) * budget), and the price grid's, which is tighter on lumpy requests."""
    value = selection.total_value
    core_lam = dual_price(core, budget_cents, max_items)
    checks = [core_check(core, lam, tau, budget_cents, max_items, value),
              core_check(core, core_lam, tau + max(0.0, lam - core_lam) * budget_cents, budget_cents, max_items,
                         value)]
    bound = min(outside_ub for _, outside_ub, _ in checks)
    if not any(proven for proven, _, _ in checks):  # capped (~10 ms), and worth it: see branch_and_bound.solve
        kept = undominated(core, budget_cents, max_items)
        grid_ub = price_grid.outside_bound([core[i].price_cents for i in kept], [core[i].value for i in kept],
                                           budget_cents, max_items, lam, tau)
        if grid_ub is not None:
            bound = min(bound, grid_ub)
    return bound <= value * (1 + 1e-10) or any(proven for proven, _, _ in checks), bound, checks[0][2]



def choose_whole_first(keys: np.ndarray, prices: np.ndarray, values: np.ndarray, whole: np.ndarray,
                       budget_cents: int, max_items: int, *, time_limit_s: float = TIME_LIMIT_S
                       ) -> tuple[Selection, list[Candidate]]:
    """Exact for a lexicographic objective: the most valuable set of whole matches (`whole`) within
    the budget and max_items; then, only in the slots and budget it leaves, the most valuable set of
    the others. No partial match can displace an affordable whole one: any whole match that fits
    what is left would have raised the first set's value."""
    deadline = time.perf_counter() + time_limit_s
    first, candidates = choose_from_pool(keys[whole], prices[whole], values[whole], budget_cents, max_items,
                                         time_limit_s=time_limit_s)
    slots, left, rest = max_items - len(first.keys), budget_cents - first.total_price_cents, ~whole
    if slots <= 0 or left <= 0 or not rest.any():
        return first, candidates
    second, more = choose_from_pool(keys[rest], prices[rest], values[rest], left, slots,
                                    time_limit_s=max(0.0, deadline - time.perf_counter()))
    both = Selection(first.keys + second.keys, first.total_price_cents + second.total_price_cents,
                     first.total_value + second.total_value, True, 0.0, first.total_value + second.total_value)
    if not (first.optimal and second.optimal):
        both = unproven(both, first.upper_bound + second.upper_bound)
    return both, candidates + more
