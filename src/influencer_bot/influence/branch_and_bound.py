"""Exact search on a pool small enough to sort: reduce, then branch and bound.

After dominance pruning (dominance.py) and the LP bound (lp_bound.py):
1. Reduced-cost removal of candidates whose forced inclusion bounds below the incumbent (the
   best of greedy and anchored fills, improved by add/swap local search: incumbent.py).
2. Depth-first branch and bound over combinations, in descending ``v - lam*p``; the node bound
   is the LP dual at the root's lam, O(1) from prefix sums, and after QUICK_NODES nodes also at
   a grid of other lams (per-suffix tables). On a node or time limit we return the incumbent
   with the largest bound of the open nodes: a proven gap.
   Where the quick search does not prove the answer, a DP on a price grid brackets the
   optimum first (price_grid.py): often exact, otherwise a tight bound and a good set, and its
   relaxed table then bounds the second search's nodes too.
"""
from __future__ import annotations

import bisect
import itertools
import math
import operator
import time
from typing import Any, Sequence

from . import price_grid
from .dominance import undominated
from .incumbent import incumbent
from .lp_bound import REL_TOL, lp_bound
from .selection import Candidate, Selection, selection_of

QUICK_NODES = 2_000  # nodes searched with the O(1) bound before building tighter ones
LAM_GRID = (0.3, 0.6, 0.8, 0.9, 1.1, 1.25, 1.6, 2.5)   # extra duals, as multiples of the root lam


class _Stop(Exception):
    """Raised inside the search when the node or time limit is hit."""


def solve(candidates: Sequence[Candidate], budget: int, max_items: int, deadline: float,
          node_limit: int | None) -> tuple[Selection, float]:
    """Exact search on a pool small enough to sort; returns the selection and the root lam."""
    pool = undominated(candidates, budget, max_items)
    if not pool:
        return Selection((), 0, 0.0, True, 0.0, 0.0), 0.0
    p = [candidates[i].price_cents for i in pool]
    v = [candidates[i].value for i in pool]
    k = min(max_items, len(pool))
    root_ub, lam = lp_bound(p, v, budget, k)
    tol = REL_TOL * root_ub
    # Incumbent: greedy and anchored fills, improved by local search (incumbent.py).
    rank = range(len(pool))
    red = [vi - lam * pi for vi, pi in zip(v, p)]
    inc = incumbent(p, v, red, budget, k)
    best = math.fsum(v[i] for i in inc)
    # Reduced-cost removal: forcing i in bounds the value by root_ub + (r_i - mu); mu is the
    # (K+1)-th largest positive r, so the root dual reads lam*B + mu*K + sum max(0, r - mu).
    r_sorted = sorted((r for r in red if r > 0.0), reverse=True)
    mu = r_sorted[k] if len(r_sorted) > k else 0.0
    live = sorted((i for i in rank if root_ub + min(0.0, red[i] - mu) > best + tol),
                  key=lambda i: (-red[i], i))
    rp = [0.0]
    for i in live:
        rp.append(rp[-1] + max(0.0, red[i]))
    # A first search with the O(1) bound; if it runs long, add the dual at other lams (a tighter
    # bound deeper down, where the root's price of the budget no longer fits) and search again.
    lp, lv = [p[i] for i in live], [v[i] for i in live]
    cap = math.inf if node_limit is None else node_limit
    found, found_set, open_ub = _search(lp, lv, rp, lam, budget, k, best, tol, min(cap, QUICK_NODES), deadline)
    grid_ub = math.inf
    if open_ub is not None and cap > QUICK_NODES:
        # Not proven by the quick search: bracket the optimum on a price grid (price_grid.py),
        # which settles most "lumpy" requests outright and bounds the rest tightly. Its cost is
        # capped (~10 ms) and it runs even when the time limit is near: without it, an answer
        # that is optimal could be posted with the LP's gap of several percent.
        bracket = price_grid.bracket(lp, lv, budget, k)
        if bracket is not None:
            grid_ub, grid_set = bracket
            grid_value = math.fsum(lv[j] for j in grid_set)
            if grid_value > found + tol:
                found, found_set = grid_value, grid_set
            if grid_ub <= found + tol:
                open_ub = None
    if open_ub is not None and cap > QUICK_NODES and time.perf_counter() < deadline:
        lams = [lam * f for f in LAM_GRID] if lam > 0 else [max(vi / pi for vi, pi in zip(lv, lp)) * f for f in (0.25, 0.5)]
        tables = _suffix_tables(lp, lv, [0.0, *lams], k)
        grid = (price_grid.suffix_bounds(lp, lv, budget, k)
                if grid_ub < math.inf and deadline - time.perf_counter() > price_grid.TABLE_SECONDS else None)
        found2, set2, open_ub = _search(lp, lv, rp, lam, budget, k, found, tol, cap - QUICK_NODES, deadline,
                                        tables, grid)
        if set2 is not None:
            found, found_set = found2, set2
    chosen = [pool[i] for i in ([live[j] for j in found_set] if found_set is not None else inc)]
    if open_ub is None or min(open_ub, grid_ub) <= found + tol:
        return selection_of(candidates, chosen, found, True), lam
    return selection_of(candidates, chosen, min(root_ub, open_ub, grid_ub), False), lam


def _suffix_tables(p: list[int], v: list[float], lams: Sequence[float], k: int
                   ) -> list[tuple[float, list[list[float]]]]:
    """For each lam: table[j][s] = sum of the s largest positive v - lam*p among items >= j,
    so that lam*room + table[j][slots] bounds any completion from j (the dual at that lam)."""
    tables = []
    for lam in lams:
        top: list[float] = []                  # negated, ascending: the K best so far
        rows: list[list[float]] = [[0.0]]
        for j in range(len(p) - 1, -1, -1):
            r = v[j] - lam * p[j]
            if r > 0.0 and (len(top) < k or -r < top[-1]):
                bisect.insort(top, -r)
                del top[k:]
                rows.append(list(itertools.accumulate(top, operator.sub, initial=0.0)))
            else:
                rows.append(rows[-1])
        rows.reverse()
        tables.append((lam, rows))
    return tables


def _search(p: list[int], v: list[float], rp: list[float], lam: float, budget: int, k: int,
            best: float, tol: float, node_limit: float, deadline: float,
            tables: Sequence[tuple[float, list[list[float]]]] = (), grid: tuple[int, Any] | None = None
            ) -> tuple[float, list[int] | None, float | None]:
    """DFS over combinations of items 0..m-1 (sorted by v - lam*p descending), bounded by the
    dual at lam (O(1) from prefix sums rp), at each extra lam of `tables`, and by the price
    grid's relaxed table (price_grid.suffix_bounds) when given.
    Returns (best value, best set or None if the incumbent stands, open bound or None if done)."""
    m = len(p)
    state = {"best": best, "set": None, "nodes": 0}
    chosen: list[int] = []
    frames: list[tuple[int, int, int, float]] = []   # (j, room, slots, val) of each open frame

    def bound(j: int, room: int, slots: int, val: float) -> float:
        b = lam * room + rp[min(j + slots, m)] - rp[j]
        for lam_g, rows in tables:
            row = rows[j]
            b = min(b, lam_g * room + row[min(slots, len(row) - 1)])
        if grid is not None:
            b = min(b, float(grid[1][j, slots, room // grid[0]]))
        return val + b

    def visit(t: int, room: int, slots: int, val: float) -> None:
        depth = len(frames)
        frames.append((t, room, slots, val))
        for j in range(t, m):
            if bound(j, room, slots, val) <= state["best"] + tol:
                break
            if p[j] > room:
                continue
            frames[depth] = (j, room, slots, val)
            state["nodes"] += 1
            if state["nodes"] >= node_limit or (state["nodes"] & 1023 == 0 and time.perf_counter() > deadline):
                raise _Stop
            nv = val + v[j]
            chosen.append(j)
            if nv > state["best"] + tol:
                state["best"], state["set"] = nv, list(chosen)
            if slots > 1:
                visit(j + 1, room - p[j], slots - 1, nv)
            chosen.pop()
        frames.pop()

    try:
        visit(0, budget, k, 0.0)
    except _Stop:
        open_ub = max(bound(*frame) for frame in frames)
        return state["best"], state["set"], max(open_ub, state["best"])
    return state["best"], state["set"], None
