"""Bracket a cardinality knapsack between two dynamic programmes on a coarse price grid.

Branch and bound with LP bounds struggles on "lumpy" requests: one creator costing most of
the budget next to hundreds of cheap ones leaves an LP gap of a few percent that the tree
cannot close in time (measured on the benchmark's population: 22 of 100 requests answered
with a gap after 50 ms, some still open after 10 s, and CBC found up to 1.5% more).

With the budget split into GRID cells of G cents, a DP over (creators taken, cells used)
is a few array operations per creator (numpy), and rounding prices
- down (floor(p/G)) relaxes the problem: every feasible set still fits in floor(B/G) cells,
  so its optimum is an upper bound;
- up (ceil(p/G)) restricts it: every set it finds really fits the budget, a lower bound.
Each creator's rounding costs at most one cell, so the two differ by at most max_items cells'
worth of creators, and when the relaxed optimum happens to fit the real budget it is exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

GRID = 2_000  # cells the budget is split into, at most
WORK = 3_000_000  # items x slots x cells a bracket table may take (~10 ms): fewer cells for bigger inputs
SUFFIX_CELLS = 2_000_000  # entries of the branch and bound's tables (8 MB, ~10 ms): fewer cells past it
TABLE_SECONDS = 0.01  # what either takes at most, for callers planning their time limit
MIN_GRID = 250  # coarser than this, the bounds are too loose to be worth their time
MAX_ITEMS = 400  # creators the tables are computed for


def _cells(budget: int, items: int, per_cell: int, limit: int) -> tuple[int, int] | None:
    """(cents a cell, cells the budget holds) for a table of items x per_cell entries a cell
    within `limit`, or None when that would be too coarse or the items too many."""
    grid = min(GRID, limit // max(1, items * per_cell))
    if not items or items > MAX_ITEMS or grid < MIN_GRID:
        return None
    cell = max(1, -(-budget // grid))
    return cell, budget // cell


def _empty(k: int, cap: int) -> np.ndarray:
    """best[c, b]: the most value of at most c items weighing at most b cells (the empty set: 0)."""
    return np.zeros((k + 1, cap + 1))


def _add(best: np.ndarray, w: int, v: float) -> np.ndarray | None:
    """Let the table take one more item of weight w and value v (in place); where it did."""
    cap = best.shape[1] - 1
    if w > cap:
        return None
    with_it = best[:-1, :cap + 1 - w] + v
    target = best[1:, w:]  # a view, updated from values computed before the update
    better = with_it > target
    np.copyto(target, with_it, where=better)
    return better


def _dp(weights: np.ndarray, values: Sequence[float], cap: int, k: int) -> list[int]:
    """Indices of a most valuable set of at most k items with total weight <= cap."""
    best = _empty(k, cap)
    took = [_add(best, w, v) for w, v in zip(weights.tolist(), values)]
    c, b = k, cap
    chosen = []
    for i in range(len(took) - 1, -1, -1):
        if c == 0:
            break
        if took[i] is not None and b >= weights[i] and took[i][c - 1, b - weights[i]]:
            chosen.append(i)
            c, b = c - 1, b - int(weights[i])
    return chosen


def outside_bound(p: Sequence[int], v: Sequence[float], budget: int, k: int, lam: float, tau: float) -> float | None:
    """An upper bound on every set that uses at least one creator outside these (a core), when
    each outside creator is worth less than tau + lam * its price (storage ranked the pool by
    that reduced profit): the core's relaxed table, with each outside creator of w cells
    counted at its most, tau + lam * (w + 1) * cell. None when there are too many items."""
    cells = _cells(budget, len(p), k, WORK)
    if cells is None:
        return None
    cell, cap = cells
    best = _empty(k, cap)
    for w, value in zip((np.asarray(p, dtype=np.int64) // cell).tolist(), v):
        _add(best, w, value)
    # j outside creators in the cells the core's part leaves: at most j*(tau + lam*cell) + lam*cell*(cap - b)
    per_outside = tau + lam * cell
    slack = best - lam * cell * np.arange(cap + 1) + lam * cell * cap  # (c, b) -> core part + the rest at lam
    bound = -np.inf
    for c in range(k):  # c core creators and j >= 1 outside ones, c + j <= k
        j = k - c if per_outside > 0 else 1
        bound = max(bound, float(slack[c].max()) + j * per_outside)
    return bound * (1 + 1e-12) + 1e-9


def bracket(p: Sequence[int], v: Sequence[float], budget: int, k: int) -> tuple[float, list[int]] | None:
    """(upper bound on the optimum, a feasible set at least as good as the grid's restriction
    finds), or None when there are too many items for the tables."""
    cells = _cells(budget, len(p), k, WORK)
    if cells is None:
        return None
    cell, cap = cells
    prices = np.asarray(p, dtype=np.int64)
    relaxed = _dp(prices // cell, v, cap, k)
    upper = float(sum(v[i] for i in relaxed))
    if int(prices[relaxed].sum()) <= budget:  # the relaxation's optimum fits: it is the optimum
        return upper, relaxed
    return upper * (1 + 1e-12), _dp(-(-prices // cell), v, cap, k)


def suffix_bounds(p: Sequence[int], v: Sequence[float], budget: int, k: int) -> tuple[int, np.ndarray] | None:
    """(cell, table) with table[j, s, c]: an upper bound on the value of at most s items among
    j..m-1 whose prices add up to at most c cells (relaxed: prices rounded down). A branch and
    bound over the items in this order reads the bound of any node from it. float32, rounded
    up: it may only overstate. None when there are too many items for the tables."""
    cells = _cells(budget, len(p), k + 1, SUFFIX_CELLS)
    if cells is None:
        return None
    cell, cap = cells
    weights = (np.asarray(p, dtype=np.int64) // cell).tolist()
    best = _empty(k, cap)
    table = np.empty((len(p) + 1, k + 1, cap + 1), dtype=np.float32)
    table[len(p)] = best
    for j in range(len(p) - 1, -1, -1):
        _add(best, weights[j], v[j])
        table[j] = best
    table *= np.float32(1 + 1e-6)  # float32 rounds by at most 6e-8: the product still overstates
    return cell, table
