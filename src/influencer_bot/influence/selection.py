"""What the shortlist optimiser takes and returns: Candidates in, a Selection out.

A module of its own because every stage of the optimiser (dominance, bounds, search, core
proof) and its callers need these types, and none of those stages should import another
just to name them. A Selection states how good it is: proven optimal, or the relative gap
to an upper bound, which is never below the value found.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


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


def selection_of(cands: Sequence[Candidate], chosen: Sequence[int], ub: float, optimal: bool) -> Selection:
    """The Selection of cands[i] for i in chosen: proven optimal, or with its gap to ub."""
    order = sorted(chosen, key=lambda i: (-cands[i].value, i))
    total = math.fsum(cands[i].value for i in order)
    gap, ub = (0.0, total) if optimal else _gap(total, ub)
    return Selection(tuple(cands[i].key for i in order), sum(cands[i].price_cents for i in order),
                     total, optimal, gap, ub)


def unproven(selection: Selection, upper_bound: float) -> Selection:
    """The selection, not proven optimal, with the gap to this upper bound (never below its value)."""
    gap, bound = _gap(selection.total_value, upper_bound)
    return Selection(selection.keys, selection.total_price_cents, selection.total_value, False, gap, bound)


def _gap(value: float, ub: float) -> tuple[float, float]:
    ub = max(ub, value)
    return ((ub - value) / ub if ub > 0 else 0.0), ub
