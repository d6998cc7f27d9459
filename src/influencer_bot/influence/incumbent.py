"""Starting sets for the optimiser's branch and bound: the better the first answer, the more
of the search its bound can cut, and the better the answer when the time limit ends it.

Greedy fills and an add/swap local search do well when creators are small against the
budget. They fail on "lumpy" requests, where the best set holds one creator costing most
of the budget plus many cheap ones (measured on the demo population: 8-12% below the
optimum after 0.1 s): a density greedy never takes the big one, and a 1-swap cannot trade
it for several small ones. Anchored fills try each of the most valuable creators as a
fixed first pick and fill the rest greedily, which finds those sets in a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

ANCHORS = 24  # most valuable creators (and best reduced profits) tried as fixed first picks


def greedy_order(order: Sequence[int], p: list[int], budget: int, k: int, first: int | None = None) -> list[int]:
    """Take items in `order` while they fit (after `first`, if given), up to k."""
    taken, room = ([first], budget - p[first]) if first is not None else ([], budget)
    if room < 0:
        return []
    cheapest = min(p)
    for i in order:
        if len(taken) >= k or room < cheapest:
            break
        if p[i] <= room and i != first:
            taken.append(i)
            room -= p[i]
    return taken


def improve(taken: list[int], p: list[int], v: list[float], budget: int, k: int,
            by_value: Sequence[int]) -> list[int]:
    """Local search on an incumbent: add a creator, or swap one for a better one, while it pays.
    Candidates are scanned `by_value` (indices by descending value), so the scan stops once
    none can gain more."""
    order = by_value
    chosen = set(taken)
    for _ in range(4 * k):
        room = budget - sum(p[i] for i in chosen)
        low = min((v[i] for i in chosen), default=0.0)
        best_gain, move = 0.0, None
        for j in order:
            if v[j] - low <= best_gain and (len(chosen) >= k or v[j] <= best_gain):
                break
            if j in chosen:
                continue
            if len(chosen) < k and p[j] <= room and v[j] > best_gain:
                best_gain, move = v[j], (None, j)
            for i in chosen:
                if v[j] - v[i] > best_gain and p[j] - p[i] <= room:
                    best_gain, move = v[j] - v[i], (i, j)
        if move is None:
            break
        chosen.discard(move[0])
        chosen.add(move[1])
    return sorted(chosen)


def incumbent(p: list[int], v: list[float], red: list[float], budget: int, k: int) -> list[int]:
    """The best of greedy fills (by reduced profit, density, value) and anchored fills, improved."""
    rank = range(len(p))
    orders = [sorted(rank, key=key) for key in
              (lambda i: (-red[i], i), lambda i: (-v[i] / p[i], i), lambda i: (-v[i], i))]
    tries = [greedy_order(order, p, budget, k) for order in orders]
    anchors = dict.fromkeys([*orders[2][:ANCHORS], *orders[0][:ANCHORS]])
    for a in anchors:
        tries += [greedy_order(orders[0], p, budget, k, a), greedy_order(orders[1], p, budget, k, a)]
    total = lambda s: math.fsum(v[i] for i in s)  # noqa: E731
    best = sorted(tries, key=total, reverse=True)[:3]
    return max((improve(s, p, v, budget, k, orders[2]) for s in best), key=total)
