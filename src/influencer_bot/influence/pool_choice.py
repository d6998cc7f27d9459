"""Exact choice from a pool of any size, given as arrays: the optimiser sees only its core.

Building a Candidate for each of 285,000 eligible creators would cost more than the whole
request may, so the pool stays in numpy arrays and:
1. lam, the LP price of a cent of budget, is estimated on a sample (any lam is correct:
   it only decides how tight the core is);
2. the CORE creators with the best reduced profit r = v - lam*p, plus the best single
   creator (the footer's comparison), become Candidates and are solved exactly;
3. the LP dual proves that no creator outside the core could improve the answer, at lam or
   at the core's own lam (optimizer.core_check). When it cannot, the creators the proof
   could not exclude (r above its cut) are added, up to WIDEN_LIMIT, and solved again;
   past that the answer is returned with the gap the same bound proves. Before widening,
   the price grid (price_grid.outside_bound) tries the proof with a tighter bound.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from . import price_grid
from .optimizer import TIME_LIMIT_S, Candidate, Selection, choose, core_check, dual_price, undominated

CORE = 1_500  # creators of a big pool handed to the optimiser
SAMPLE = 2_000  # creators sampled to estimate lam
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
    started, n = time.perf_counter(), len(keys)
    if n <= CORE:
        candidates = _candidates(keys, prices, values, np.arange(n))
        return choose(candidates, budget_cents, max_items, time_limit_s=time_limit_s), candidates
    sample = _candidates(keys, prices, values, np.arange(0, n, max(1, n // SAMPLE)))
    lam = dual_price(sample, budget_cents, max_items)
    reduced = values - lam * prices
    split = np.argpartition(-reduced, CORE)
    inside, outside = np.sort(split[:CORE]), split[CORE:]
    tau = float(reduced[outside].max())
    tau += 1e-9 * max(1.0, abs(tau))  # round-off in r
    single = best_single_index(prices, values, budget_cents)
    if single is not None and single not in set(inside.tolist()):
        inside = np.sort(np.append(inside, single))
    core = _candidates(keys, prices, values, inside)
    selection = choose(core, budget_cents, max_items, time_limit_s=time_limit_s)
    # The proof at the sample's lam, or at the core's own (every outside creator is affordable,
    # so its reduced profit there is below tau + (lam - core_lam) * budget): the tighter wins.
    core_lam = dual_price(core, budget_cents, max_items)
    checks = [core_check(core, lam, tau, budget_cents, max_items, selection.total_value),
              core_check(core, core_lam, tau + max(0.0, lam - core_lam) * budget_cents, budget_cents, max_items,
                         selection.total_value)]
    if any(proven for proven, _, _ in checks):
        return selection, core
    # The LP bound is weak on "lumpy" requests; the price grid bounds the outside sets tighter.
    kept = undominated(core, budget_cents, max_items)
    grid_ub = price_grid.outside_bound([core[i].price_cents for i in kept], [core[i].value for i in kept],
                                       budget_cents, max_items, lam, tau)
    outside_ub = min(outside_ub for _, outside_ub, _ in checks)
    if grid_ub is not None:
        if grid_ub <= selection.total_value * (1 + 1e-10):
            return selection, core
        outside_ub = min(outside_ub, grid_ub)
    if not selection.optimal:  # out of time on the core itself: more creators cannot help
        return _with_gap(selection, outside_ub), core
    cut = checks[0][2]  # at lam: only creators with r above the cut could beat the selection
    wide = np.flatnonzero(reduced > cut - 1e-9 * max(1.0, abs(cut)))
    if len(wide) > WIDEN_LIMIT:
        return _with_gap(selection, outside_ub), core
    wide = np.union1d(wide, inside)
    candidates = _candidates(keys, prices, values, wide)
    left = max(0.0, time_limit_s - (time.perf_counter() - started))  # one time limit for the whole choice
    return choose(candidates, budget_cents, max_items, time_limit_s=left), candidates


def _with_gap(selection: Selection, outside_ub: float) -> Selection:
    """The selection, with the gap proven against the core's bound and the outside creators'."""
    bound = max(selection.upper_bound, outside_ub)
    gap = (bound - selection.total_value) / bound if bound > 0 else 0.0
    return replace(selection, optimal=False, gap=gap, upper_bound=bound)

