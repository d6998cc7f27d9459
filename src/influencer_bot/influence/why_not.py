"""Why a creator is not on a shortlist: the reasons, with their numbers, as plain data.

The storage side (storage/search/why_not.py) judges the creator exactly as the search did
(niche_match's tests, in their order) and hands one of these reasons to the view. When
nothing excluded the creator, it lost on value, and `compare` says how, with the optimiser's
own objective (total value within the budget and the slots):
- whether it would still fit beside the kept picks (then the list changed since, or data did);
- the single swap that costs least: the pick whose place it can take within the budget, and
  the value each gives for its price ("gives 1,900 for $800; the pick it would replace gives
  2,600 for $790");
- exactly, the best total of a set that must include it against the best total without it
  (`best_with`: the same exact optimiser, run on the rest of the pool with what it leaves).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .optimizer import TIME_LIMIT_S
from .pool_choice import choose_from_pool
from .terms import STOPWORDS, fold


@dataclass(frozen=True, slots=True)
class Entry:
    """A creator as the optimiser sees it: price and value (relevance-weighted, per post)."""

    key: int
    handle: str
    price_cents: int
    value: float


@dataclass(frozen=True, slots=True)
class OnList:
    position: int  # 1-based, as the message lists it
    status: str  # proposed | approved | rejected
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class NotInNiche:
    niche_terms: list[list[str]]  # per niche word: the word and the terms that stand for it
    nearest: list[str]  # the creator's terms near the niche's in spelling (often none)
    top: list[str]  # the creator's top terms: its topics and category first; empty when it has none


@dataclass(frozen=True, slots=True)
class NotAlike:
    """A lookalike shortlist: the creator is not similar enough to the one it looks like."""

    seed: str  # the handle looked like
    similarity: float
    minimum: float
    shared: list[str]  # what it does share, as the seed wrote it (often nothing distinctive)
    outside_candidates: int = 0  # > 0: similar enough, but not among this many most similar


@dataclass(frozen=True, slots=True)
class NotScored:
    """Matches the niche, but the index holds no scores for it yet (an import still running)."""


@dataclass(frozen=True, slots=True)
class Filtered:
    option: str  # platform | tier
    wanted: str
    actual: str | None
    followers: int | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    by: str | None
    at: datetime | None
    niche: str | None
    until: datetime | None  # when the memory of the rejection ends (influence/rejection.py)
    reason: str | None = None  # "audience quality"; None when none was recorded
    days: int = 90  # the window that applies to it


@dataclass(frozen=True, slots=True)
class Emerging:
    followers: int | None
    threshold: int


@dataclass(frozen=True, slots=True)
class Blocked:
    flags: list[str]  # each blocking flag's message, with its numbers


@dataclass(frozen=True, slots=True)
class NoMetrics:
    no_price: bool
    no_value: bool
    goal: str


@dataclass(frozen=True, slots=True)
class BelowMinEr:
    er_pct: float | None
    min_er_pct: float


@dataclass(frozen=True, slots=True)
class OverBudget:
    price_cents: int
    price_source: str | None
    budget_cents: int


@dataclass(frozen=True, slots=True)
class WholeFirst:
    """A partial match's place in a whole-first search: what the best set of whole matches took,
    and what it left to the partial matches (the only room this creator competes for)."""

    whole_picks: int
    whole_cents: int
    left_cents: int
    left_slots: int


@dataclass(frozen=True, slots=True)
class Outranked:
    candidate: Entry
    base_value: float  # expected per post × quality, before relevance
    relevance: float
    matched_words: list[str]  # niche concepts it matches (all of them: a whole match)
    missing_words: list[str]
    free_cents: int  # budget the kept picks leave
    free_slots: int
    swap: Entry | None  # the pick it could replace at the least loss; None: no single swap fits the budget
    priciest: Entry | None  # the pick whose place frees the most budget
    best_with: float  # best total value of a set that includes it
    best_without: float  # best total value without it (the optimum now)
    picks_changed_since: bool  # the shortlist lost picks to rejections since it was made
    added_after: bool  # the creator came into the workspace after the shortlist was made
    goal: str
    behind_whole: WholeFirst | None = None  # a partial match in a whole-first search

    @property
    def fits(self) -> bool:
        return self.free_slots > 0 and self.candidate.price_cents <= self.free_cents


Reason = (OnList | NotInNiche | NotAlike | NotScored | Filtered | Rejected | Emerging | Blocked | NoMetrics | BelowMinEr
          | OverBudget | Outranked)


def best_swap(candidate: Entry, picks: Sequence[Entry], budget_cents: int) -> Entry | None:
    """The pick whose place `candidate` can take within the budget at the least loss of value
    (ties: the cheaper pick, then the first); None when no single swap fits the budget."""
    total = sum(p.price_cents for p in picks)
    fitting = [p for p in picks if total - p.price_cents + candidate.price_cents <= budget_cents]
    return min(fitting, key=lambda p: (p.value, p.price_cents), default=None)


def best_with(keys: np.ndarray, prices: np.ndarray, values: np.ndarray, at: int, budget_cents: int,
              max_items: int, *, time_limit_s: float = TIME_LIMIT_S) -> float:
    """The best total value of a set that includes creator `at` (an index into the aligned pool
    arrays): its value plus the optimum of the rest within what it leaves of budget and slots."""
    rest_budget, rest_slots = budget_cents - int(prices[at]), max_items - 1
    if rest_budget < 0:
        return float("nan")
    if rest_slots < 1 or rest_budget == 0:
        return float(values[at])
    keep = np.arange(len(keys)) != at
    chosen, _ = choose_from_pool(keys[keep], prices[keep], values[keep], rest_budget, rest_slots,
                                 time_limit_s=time_limit_s)
    return float(values[at]) + chosen.total_value


_WORD = re.compile(r"#?[^\W_][\w'-]*")
NEAR = 0.75  # spelling similarity (difflib's ratio) from which a creator's term counts as near the niche's


def readable_terms(*texts: str | None) -> list[str]:
    """A creator's words as written (hashtags keep their #), folded, each once, in the order of the
    texts given (topics first: its top terms), without stop words."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(fold(text or "")):
            if len(word.lstrip("#")) > 2 and word.lstrip("#") not in STOPWORDS:
                seen.setdefault(word, None)
    return list(seen)


def nearest_terms(own: Sequence[str], niche: Sequence[str], limit: int = 5) -> list[str]:
    """The creator's terms that come near one of the niche's in spelling (`bakes` for `baking`,
    `#veganfood` for `vegan`), nearest first; often none, which is an answer too."""
    def closeness(term: str) -> float:
        bare = term.lstrip("#")
        return max((1.0 if len(n) > 3 and (n in bare or bare in n) else
                    difflib.SequenceMatcher(None, bare, n).ratio() for n in niche), default=0.0)

    scored = [(closeness(t), i) for i, t in enumerate(own)]
    return [own[i] for score, i in sorted((s for s in scored if s[0] >= NEAR), key=lambda s: (-s[0], s[1]))][:limit]
