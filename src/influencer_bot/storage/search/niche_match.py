"""Which creators of a workspace match a niche, how well, and why the others are left out.

A niche word matches a creator through any of its terms (the word's own or its built-in
group's, and its added synonyms). The postings of those terms (bitmaps, search/index.py)
give the pool and, per word, the best field weight of each creator in it, hence its exact
relevance; the score columns give its price, expected value and exclusion reason. All of it
is vectorised over the pool (numpy), so a 285,000-creator pool costs milliseconds, and the
same code answers on SQLite and PostgreSQL: the databases only hand over blobs.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pyroaring import BitMap
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ...influence.rejection import LONGER_MEMORY, REJECTION_MEMORY
from ...influence.segment import is_word
from ...influence.synonyms import REPEATED, Pair, Synonyms
from ...influence.terms import NicheWord, surface
from . import index
from ..models import Decision
from ..models import NicheSynonym

# Exclusion codes, in the order they are checked: a creator is counted under the first that applies.
REJECTED, EMERGING, QUALITY, NO_METRICS, BELOW_MIN_ER, OVER_BUDGET = (
    "rejected", "emerging", "quality", "no_metrics", "below_min_er", "over_budget")


@dataclass(frozen=True, slots=True)
class Filters:
    platform: str | None = None
    tier: str | None = None
    goal: str = "engagement"
    min_er_pct: float | None = None
    budget_cents: int | None = None
    keep_emerging: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """A niche's pool, its exclusion counts, and its eligible creators as aligned arrays."""

    pool: int
    excluded: dict[str, int]  # code -> creators, first reason that applies
    ids: np.ndarray  # eligible creator ids, ascending (uint32)
    price_cents: np.ndarray  # int64
    value: np.ndarray  # expected engagements (or impressions) per post × quality × relevance
    relevance: np.ndarray
    matched: np.ndarray  # bool, creators × niche words (concepts): which each eligible creator matches

    @property
    def whole(self) -> np.ndarray:
        """Eligible creators matching every word (concept) of the niche."""
        return self.matched.all(axis=1)


def workspace_synonyms(session: Session, team_id: str, base: Synonyms) -> Synonyms:
    pairs = [Pair(s.phrase, s.synonym, s.term, s.synonym_term) for s in session.scalars(
        select(NicheSynonym).where(NicheSynonym.team_id == team_id).order_by(NicheSynonym.id))]
    return base.with_pairs(pairs) if pairs else base


def suggest_niches(session: Session, team_id: str, words: Sequence[NicheWord], limit: int = 5) -> list[str]:
    """Frequent indexed words near the ones asked for (same first letters, similar spelling)."""
    scored: dict[str, float] = {}
    for word in words:
        prefix = word.term[:3]
        if len(prefix) < 2:
            continue
        for term, n in index.term_frequencies(session, team_id, prefix, 200):
            if term != word.term and is_word(surface(term)):
                similarity = difflib.SequenceMatcher(None, word.term, term).ratio()
                scored[term] = max(scored.get(term, 0.0), similarity * (1 + n) ** 0.1)
        for term in difflib.get_close_matches(word.term, list(scored), n=limit, cutoff=0.6):
            scored[term] += 1.0
    best = sorted(scored, key=lambda term: (-scored[term], term))[:limit]
    return [surface(term) for term in best]


def rejected_ids(session: Session, team_id: str, now: datetime) -> frozenset[int]:
    """Creators of this workspace whose rejection is still remembered (few: one per decision): for
    REJECTION_MEMORY, or longer for a reason in LONGER_MEMORY (audience quality), influence/rejection.py."""
    remembered = or_(Decision.decided_at >= now - REJECTION_MEMORY,
                     *(and_(Decision.reason == reason.value, Decision.decided_at >= now - window)
                       for reason, window in LONGER_MEMORY.items()))
    return frozenset(session.scalars(select(Decision.creator_id).where(
        Decision.team_id == team_id, Decision.decision == "rejected", remembered)))


def _ids(bits: BitMap) -> np.ndarray:
    return np.frombuffer(bits.to_array(), dtype=np.uint32) if bits else np.empty(0, dtype=np.uint32)


def word_weights(session: Session, team_id: str, alternatives: Sequence[frozenset[str]]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(creators matching any word, ascending; their best field weight per word, 0 if absent)."""
    found = index.postings(session, team_id, sorted(set().union(*alternatives)))
    per_word = []
    for alts in alternatives:
        by_weight: dict[int, BitMap] = {}
        for term in alts:
            for weight, bits in found.get(term, {}).items():
                by_weight[weight] = by_weight[weight] | bits if weight in by_weight else bits
        per_word.append(by_weight)
    ids = _ids(BitMap().union(*(bits for by_weight in per_word for bits in by_weight.values())))
    weights = np.zeros((len(ids), len(alternatives)), dtype=np.int16)
    for j, by_weight in enumerate(per_word):
        for weight in sorted(by_weight):  # ascending: a creator's best weight is written last
            weights[np.searchsorted(ids, _ids(by_weight[weight])), j] = weight
    return ids, weights


def relevances(weights: np.ndarray) -> np.ndarray:
    """scoring.relevance, row by row: mean weight / 100, halved unless every word matches."""
    mean = weights.sum(axis=1) / (100 * weights.shape[1])
    return np.where((weights > 0).all(axis=1), mean, 0.5 * mean)


def exclusion_tests(f: Filters, ids: np.ndarray, codes: np.ndarray, price: np.ndarray, base: np.ndarray,
                    er: np.ndarray | None, rejected: Collection[int]) -> list[tuple[str, np.ndarray]]:
    """(code, which creators it applies to), in the order they are checked: a creator counts under the
    first that applies. Shared by `match` and "why not?" (why_not.py), so both judge alike."""
    tests = [(REJECTED, np.isin(ids, np.fromiter(rejected, dtype=np.int64, count=len(rejected))))]
    if not f.keep_emerging:
        tests.append((EMERGING, index.tier_codes(codes) == index.tier_code("emerging")))
    tests += [(QUALITY, index.blocked(codes)), (NO_METRICS, (price < 0) | ~(base > 0))]
    if f.min_er_pct is not None and er is not None:
        tests.append((BELOW_MIN_ER, ~(er >= f.min_er_pct)))
    if f.budget_cents is not None:
        tests.append((OVER_BUDGET, price > f.budget_cents))
    return tests


def match(session: Session, team_id: str, alternatives: Sequence[frozenset[str]], f: Filters,
          rejected: Collection[int] = (), *, repeated: bool = False) -> Match:
    """The pool of these niche words, counted by exclusion reason, and its eligible creators.
    With `repeated`, a word counts as matched (Match.matched) only where the creator mentions
    it at least twice (synonyms.repeated); relevance still counts any mention."""
    n = len(alternatives)
    if repeated:
        alternatives = [*alternatives, *(frozenset(REPEATED + t for t in alts) for alts in alternatives)]
    ids, weights = word_weights(session, team_id, alternatives)
    weights, matched = (weights[:, :n], weights[:, n:] > 0) if repeated else (weights, weights > 0)
    return score_pool(session, team_id, ids, relevances(weights), matched, f, rejected)


def pool_columns(session: Session, team_id: str, f: Filters) -> dict[str, np.ndarray]:
    """The score columns a pool is judged by (niche_match.score_pool), loaded once per request."""
    base_name = "impressions" if f.goal == "reach" else "engagements"
    return index.columns(session, team_id, ["ids", "price", base_name, "codes"]
                         + (["er"] if f.min_er_pct is not None else []))


def on_platform_and_tier(codes: np.ndarray, f: Filters) -> np.ndarray:
    keep = np.ones(len(codes), dtype=bool)
    if f.platform:
        keep &= index.platform_codes(codes) == index.platform_code(f.platform)
    if f.tier:
        keep &= index.tier_codes(codes) == index.tier_code(f.tier)
    return keep


def score_pool(session: Session, team_id: str, ids: np.ndarray, relevance: np.ndarray, matched: np.ndarray,
               f: Filters, rejected: Collection[int] = (), cols: dict[str, np.ndarray] | None = None) -> Match:
    """Creators whose relevance is known (ascending ids), judged by the index's score columns: the
    platform and tier options, then the exclusion tests; value = base value × relevance."""
    cols = cols if cols is not None else pool_columns(session, team_id, f)
    base_name = "impressions" if f.goal == "reach" else "engagements"
    pos = np.searchsorted(cols["ids"], ids)
    known = pos < len(cols["ids"])
    known[known] = cols["ids"][pos[known]] == ids[known]  # postings without scores: not indexed (yet)
    keep = known.copy()
    keep[known] = on_platform_and_tier(cols["codes"][pos[known]], f)
    ids, relevance, pos, matched = ids[keep], relevance[keep], pos[keep], matched[keep]
    codes, price, base = cols["codes"][pos], cols["price"][pos], cols[base_name][pos]
    tests = exclusion_tests(f, ids, codes, price, base, cols["er"][pos] if "er" in cols else None, rejected)
    reason = np.select([applies for _, applies in tests], list(range(1, len(tests) + 1)), 0)
    counts = np.bincount(reason, minlength=len(tests) + 1)
    ok = reason == 0
    return Match(pool=len(ids), excluded={code: int(n) for (code, _), n in zip(tests, counts[1:]) if n},
                 ids=ids[ok], price_cents=price[ok], value=base[ok] * relevance[ok], relevance=relevance[ok],
                 matched=matched[ok])
