"""Dominance pruning: drop the candidates that some optimal shortlist can do without.

A candidate is useless when ``max_items`` others each cost no more and are worth no less
(total order: price, then value descending, then index): some optimal answer avoids it (swap
it for a dominator that is not chosen). Pools reach 200,000 creators and this runs before
anything else, so it must be about one cheap pass: for pools over ~16k a filter with
thresholds per price octave, taken from a sample, drops most in one pass; an exact sweep
(sort by price, keep the top ``max_items`` values seen in a heap) does the rest.
"""
from __future__ import annotations

import heapq
import math
from typing import Sequence

from .selection import Candidate

_SAMPLE = 4096        # sample size for the coarse dominance filter


def undominated(candidates: Sequence[Candidate], budget_cents: int, max_items: int) -> list[int]:
    """Indices of the affordable, positive-value candidates that max_items others do not
    dominate: some optimal set, with any number of items up to max_items, uses only these."""
    idx: Sequence[int] = range(len(candidates))
    if len(candidates) > 4 * _SAMPLE:
        thr = _octave_thresholds(candidates, budget_cents, max_items)
        try:
            idx = [i for i, c in enumerate(candidates) if c.value >= thr[c.price_cents.bit_length()]]
        except IndexError:                     # a price beyond 2**127 cents: skip the filter
            pass
    rows = sorted((c.price_cents, -c.value, i) for i in idx
                  if (c := candidates[i]).price_cents <= budget_cents and c.value > 0.0)
    heap: list[float] = []                     # the K largest values seen so far (min-heap)
    keep = []
    for _, neg_v, i in rows:
        if len(heap) < max_items:
            heapq.heappush(heap, -neg_v)
        elif -neg_v > heap[0]:
            heapq.heapreplace(heap, -neg_v)
        else:
            continue
        keep.append(i)
    return keep


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
