"""The shortlist optimiser: which creators to book for a budget, exactly.

A 0/1 knapsack with a cardinality limit: maximise total value (e.g. expected engagements)
subject to total price <= budget and at most ``max_items`` creators. Prices are integer cents
and budgets reach 50,000,000 cents, so a DP over cents is out; pools reach 200,000 creators,
so every step before the search must be about one cheap pass over the pool.

1. Dominance pruning. A candidate is useless when ``max_items`` others each cost no more and
   are worth no less (total order: price, then value descending, then index): some optimal
   answer avoids it (swap it for a dominator that is not chosen). For pools over ~16k a
   filter with thresholds per price octave, taken from a sample, drops most in one pass; an
   exact sweep (sort by price, keep the top ``max_items`` values seen in a heap) does the rest.
2. Bound. The LP relaxation with both constraints has the dual bound
   ``h(lam) = lam*B + sum of the K largest max(0, v_i - lam*p_i)``, valid for every lam >= 0
   and equal to the LP optimum at its minimum, which we find by intersecting supporting lines.
3. Reduced-cost removal of candidates whose forced inclusion bounds below the incumbent (the
   best of three greedy fills, improved by add/swap local search).
4. Depth-first branch and bound over combinations, in descending ``v - lam*p``; the node bound
   is that dual at the root's lam, O(1) from prefix sums, and after 2,000 nodes also at a grid
   of other lams (per-suffix tables). On a node or time limit we return the incumbent with the
   largest bound of the open nodes: a proven gap.
   Where the quick search does not prove the answer, a DP on a price grid brackets the
   optimum first (price_grid.py): often exact, otherwise a tight bound and a good set.
5. Pools over 20,000 (``_solve_core``): one pass keeps the ~1,000-2,000 candidates with the best
   ``v - lam*p`` (lam from a 4k sample), 1-4 run on that core, and the dual bound proves that no
   set using an outside candidate can beat the answer (else: retry at the core's lam, then widen).

Stdlib and numpy, deterministic (ties by input index) unless a time limit, rather than a node
limit, ends the search.
"""
from __future__ import annotations

import bisect
import heapq
import itertools
import math
import operator
import time
from dataclasses import dataclass
from typing import Any, Sequence

from . import price_grid
from .incumbent import greedy_order, incumbent

__all__ = ["Candidate", "Selection", "choose", "greedy", "best_single", "dual_price", "core_check", "undominated", "unproven"]

_SAMPLE = 4096        # sample size for the coarse dominance filter
_REL_TOL = 1e-10      # relative tolerance of "no better than": guards float round-off
_CORE_MIN = 20_000    # pools larger than this are solved on a core of the best reduced profits
_CORE = 1_000         # at least this many candidates in that core
_QUICK_NODES = 2_000  # nodes searched with the O(1) bound before building tighter ones
TIME_LIMIT_S = 0.05  # default: a shortlist must be posted within Slack's 3 s, and far sooner
_LAM_GRID = (0.3, 0.6, 0.8, 0.9, 1.1, 1.25, 1.6, 2.5)   # extra duals, as multiples of the root lam


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int            # caller's id, returned in the solution
    price_cents: int
    value: float

    def __post_init__(self) -> None:
        if isinstance(self.price_cents, bool) or not isinstance(self.price_cents, int) or self.price_cents <= 0:
            raise ValueError(f"price_cents must be a positive int, got {self.price_cents!r}")
        if not (self.value >= 0.0 and math.isfinite(self.value)):
            raise ValueError(f"value must be finite and >= 0, got {self.value!r}")


@dataclass(frozen=True, slots=True)
class Selection:
    keys: tuple[int, ...]         # chosen candidate keys, in descending value order
    total_price_cents: int
    total_value: float
    optimal: bool                 # True when proven optimal
    gap: float                    # proven relative gap, 0.0 when optimal
    upper_bound: float


class _Stop(Exception):
    """Raised inside the search when the node or time limit is hit."""


def _check_limits(budget_cents: int, max_items: int) -> None:
    if max_items < 1:
        raise ValueError(f"max_items must be >= 1, got {max_items}")


def _selection(cands: Sequence[Candidate], chosen: Sequence[int], ub: float, optimal: bool) -> Selection:
    order = sorted(chosen, key=lambda i: (-cands[i].value, i))
    total = math.fsum(cands[i].value for i in order)
    gap, ub = (0.0, total) if optimal else _gap(total, ub)
    return Selection(tuple(cands[i].key for i in order), sum(cands[i].price_cents for i in order),
                     total, optimal, gap, ub)


# ---------------------------------------------------------------- 1. dominance pruning

def _octave_thresholds(cands: Sequence[Candidate], budget: int, k: int) -> list[float]:
    """thr[b]: a value that K sampled candidates priced below 2**(b-1) cents strictly beat
    (-1.0 when fewer than K); prices above the budget's octave get +inf."""
    top_bit = budget.bit_length()
    by_octave: list[list[float]] = [[] for _ in range(top_bit + 1)]
    for c in cands[:: max(1, len(cands) // _SAMPLE)]:
        b = c.price_cents.bit_length()
        if b <= top_bit:
            by_octave[b].append(c.value)
    thr = [math.inf] * 128
    top: list[float] = []                      # K largest values of the octaves so far, descending
    for b in range(top_bit + 1):
        thr[b] = top[k - 1] if len(top) >= k else -1.0
        top = sorted(top + by_octave[b], reverse=True)[:k]
    return thr


def _prune(cands: Sequence[Candidate], budget: int, k: int) -> list[int]:
    """Indices (into cands) of affordable, positive-value candidates not dominated K times."""
    idx: Sequence[int] = range(len(cands))
    if len(cands) > 4 * _SAMPLE:
        thr = _octave_thresholds(cands, budget, k)
        try:
            idx = [i for i, c in enumerate(cands) if c.value >= thr[c.price_cents.bit_length()]]
        except IndexError:                     # a price beyond 2**127 cents: skip the filter
            pass
    rows = sorted((c.price_cents, -c.value, i) for i in idx
                  if (c := cands[i]).price_cents <= budget and c.value > 0.0)
    heap: list[float] = []                     # the K largest values seen so far (min-heap)
    keep = []
    for _, neg_v, i in rows:
        if len(heap) < k:
            heapq.heappush(heap, -neg_v)
        elif -neg_v > heap[0]:
            heapq.heapreplace(heap, -neg_v)
        else:
            continue
        keep.append(i)
    return keep


# ---------------------------------------------------------------- 2. the LP bound

def _dual(p: list[int], v: list[float], lam: float, budget: int, k: int) -> tuple[float, int]:
    """h(lam) and its slope B - (price of the K items with the largest positive v - lam*p)."""
    top = heapq.nlargest(k, ((vi - lam * pi, pi) for vi, pi in zip(v, p)))
    top = [(r, pi) for r, pi in top if r > 0.0]
    return lam * budget + sum(r for r, _ in top), budget - sum(pi for _, pi in top)


def _lp_bound(p: list[int], v: list[float], budget: int, k: int) -> tuple[float, float]:
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
        if h <= line + _REL_TOL * abs(line) or s == 0:
            break
        if s < 0:
            lo, h_lo, s_lo = lam, h, s
        else:
            hi, h_hi, s_hi = lam, h, s
    return best_h, best_lam


# ---------------------------------------------------------------- 3-4. reduction and search

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


def _solve(candidates: Sequence[Candidate], budget: int, max_items: int, deadline: float,
           node_limit: int | None) -> tuple[Selection, float]:
    """Exact search on a pool small enough to sort; returns the selection and the root lam."""
    pool = _prune(candidates, budget, max_items)
    if not pool:
        return Selection((), 0, 0.0, True, 0.0, 0.0), 0.0
    p = [candidates[i].price_cents for i in pool]
    v = [candidates[i].value for i in pool]
    k = min(max_items, len(pool))
    root_ub, lam = _lp_bound(p, v, budget, k)
    tol = _REL_TOL * root_ub
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
    found, found_set, open_ub = _search(lp, lv, rp, lam, budget, k, best, tol, min(cap, _QUICK_NODES), deadline)
    grid_ub = math.inf
    if open_ub is not None and cap > _QUICK_NODES:
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
    if open_ub is not None and cap > _QUICK_NODES and time.perf_counter() < deadline:
        lams = [lam * f for f in _LAM_GRID] if lam > 0 else [max(vi / pi for vi, pi in zip(lv, lp)) * f for f in (0.25, 0.5)]
        tables = _suffix_tables(lp, lv, [0.0, *lams], k)
        grid = (price_grid.suffix_bounds(lp, lv, budget, k)
                if grid_ub < math.inf and deadline - time.perf_counter() > price_grid.TABLE_SECONDS else None)
        found2, set2, open_ub = _search(lp, lv, rp, lam, budget, k, found, tol, cap - _QUICK_NODES, deadline,
                                        tables, grid)
        if set2 is not None:
            found, found_set = found2, set2
    chosen = [pool[i] for i in ([live[j] for j in found_set] if found_set is not None else inc)]
    if open_ub is None or min(open_ub, grid_ub) <= found + tol:
        return _selection(candidates, chosen, found, True), lam
    return _selection(candidates, chosen, min(root_ub, open_ub, grid_ub), False), lam


def _solve_core(candidates: Sequence[Candidate], budget: int, k: int, deadline: float,
                node_limit: int | None) -> Selection:
    """A huge pool: one pass for reduced profits r = v - lam*p (lam from a sample), solve the
    core of the best r, then prove that nothing outside the core can beat it. If the proof
    fails, retry once at the core's own lam, then solve everything the proof cannot exclude."""
    sample = candidates[:: len(candidates) // _SAMPLE]
    lam = _solve(sample, budget, k, deadline, 0)[1]
    for attempt in range(2):
        # The threshold t is estimated from the sample so that about _CORE candidates pass
        # (any t is correct: the proof below uses the t actually applied).
        r_sample = sorted((c.value - lam * c.price_cents for c in sample), reverse=True)
        t = r_sample[min(len(r_sample) - 1, max(2 * k, _CORE * len(sample) // len(candidates)))]
        core = [c for c in candidates if c.value - lam * c.price_cents >= t]   # index order kept
        sel, core_lam = _solve(core, budget, k, deadline, node_limit)
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
    return _solve([c for c in candidates if c.value - lam * c.price_cents > cut], budget, k, deadline, node_limit)[0]


def _core_bound(core: Sequence[Candidate], lam: float, tau: float, budget: int, k: int
                ) -> tuple[float, float, float, float]:
    """(ub, mu, bound of sets using an item with v - lam*p < tau, tolerance)."""
    r_core = sorted((c.value - lam * c.price_cents for c in core if c.price_cents <= budget), reverse=True)
    mu = max(0.0, tau, r_core[k] if len(r_core) > k else 0.0)
    ub = lam * budget + mu * k + math.fsum(r - mu for r in r_core if r > mu)
    return ub, mu, ub + tau - mu, _REL_TOL * ub


def undominated(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> list[int]:
    """Indices of the affordable candidates that max_items others do not dominate: some
    optimal set, with any number of items up to max_items, uses only these."""
    return _prune(candidates, budget_cents, max_items)


def dual_price(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> float:
    """lam of the LP relaxation: what a cent of budget is worth at the margin. A caller that
    cannot afford to load a huge pool (storage/search/finder.py) estimates it from a sample and loads
    only the candidates with the best reduced profit v - lam*p, then proves with core_check."""
    pool = _prune(candidates, budget_cents, max_items)
    if not pool:
        return 0.0
    return _lp_bound([candidates[i].price_cents for i in pool], [candidates[i].value for i in pool],
                     budget_cents, min(max_items, len(pool)))[1]


def core_check(core: Sequence[Candidate], lam: float, tau: float, budget_cents: int, max_items: int,
               value: float) -> tuple[bool, float, float]:
    """For a core holding every candidate with v - lam*p >= tau: (no set using a candidate
    outside the core beats `value`, an upper bound on any such set, the cut c such that only
    outside candidates with v - lam*p > c could)."""
    ub, mu, outside_ub, tol = _core_bound(core, lam, tau, budget_cents, max_items)
    return outside_ub <= value + tol, outside_ub, value + tol - ub + mu


def unproven(selection: Selection, upper_bound: float) -> Selection:
    """The selection, not proven optimal, with the gap to this upper bound (never below its value)."""
    gap, bound = _gap(selection.total_value, upper_bound)
    return Selection(selection.keys, selection.total_price_cents, selection.total_value, False, gap, bound)


def _gap(value: float, ub: float) -> tuple[float, float]:
    ub = max(ub, value)
    return ((ub - value) / ub if ub > 0 else 0.0), ub


def choose(candidates: Sequence[Candidate], budget_cents: int, max_items: int, *,
           time_limit_s: float = TIME_LIMIT_S, node_limit: int | None = None) -> Selection:
    """The subset of candidates with the largest total value within budget and max_items.

    Proven optimal unless time_limit_s or node_limit (deterministic) ends the search first;
    then the best set found, with the proven relative gap to the upper bound."""
    deadline = time.perf_counter() + time_limit_s
    _check_limits(budget_cents, max_items)
    if len(candidates) > _CORE_MIN:
        return _solve_core(candidates, budget_cents, max_items, deadline, node_limit)
    return _solve(candidates, budget_cents, max_items, deadline, node_limit)[0]


def greedy(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> Selection:
    """Naive baseline: by value per dollar (ties by index), take each creator that still fits
    until max_items. Never claims optimality; its gap is against the same LP bound as choose."""
    _check_limits(budget_cents, max_items)
    order = sorted((i for i, c in enumerate(candidates) if c.price_cents <= budget_cents and c.value > 0.0),
                   key=lambda i: (-candidates[i].value / candidates[i].price_cents, i))
    taken = greedy_order(order, [c.price_cents for c in candidates], budget_cents, max_items)
    pool = _prune(candidates, budget_cents, max_items)
    ub = 0.0
    if pool:
        ub, _ = _lp_bound([candidates[i].price_cents for i in pool], [candidates[i].value for i in pool],
                          budget_cents, min(max_items, len(pool)))
    return _selection(candidates, taken, ub, False)


def best_single(candidates: Sequence[Candidate], budget_cents: int) -> Candidate | None:
    """The most valuable creator affordable alone (ties: cheaper, then earlier), or None."""
    best: Candidate | None = None
    for c in candidates:
        if c.price_cents <= budget_cents and (
                best is None or c.value > best.value or (c.value == best.value and c.price_cents < best.price_cents)):
            best = c
    return best
