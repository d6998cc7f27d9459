"""Propose the best mix of creators for a niche and a budget: the engine behind
`/influencer find`, `influencer-bot shortlist` and "Replace rejected".

Match (niche_match: the pool from the index's postings, counts of exclusions by reason,
eligible creators as arrays with value = base value × relevance), choose the set exactly
(influence/pool_choice, influence/optimizer), and only then build full Profiles, for the
chosen creators and the best single one, to explain the pick. Each stage is timed, so a
slow request says where its time went.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from time import perf_counter

import numpy as np
from sqlalchemy.orm import Session

from ...influence.find_query import FindQuery
from ...influence.flags import QualityRules
from ...influence.optimizer import TIME_LIMIT_S, Candidate, Selection, best_single, choose
from ...influence.concepts import niche_concepts
from ...influence.pool_choice import choose_from_pool, choose_whole_first
from ...influence.profile import Profile, build_profile
from ...influence.synonyms import BUILTIN, Synonyms
from ...influence.terms import niche_words
from ...influence.tiers import Tier, TierThresholds
from ..creators.views import CreatorView, follower_histories, view_query
from .. import unmapped
from ...influence.rejection import LONGER_MEMORY, REJECTION_MEMORY, RejectReason
from ..models import Creator, utcnow
from ..shortlists import NewItem
from . import index, lookalike
from .semantic_rank import SemanticRanker
from .niche_match import (
    BELOW_MIN_ER, EMERGING, NO_METRICS, OVER_BUDGET, QUALITY, REJECTED, Filters, match, rejected_ids, suggest_niches,
    workspace_synonyms,
)


class Excluded:
    """What the message says for each exclusion code of niche_match."""

    RECENTLY_REJECTED = (f"rejected recently ({REJECTION_MEMORY.days} days; "
                         f"{LONGER_MEMORY[RejectReason.AUDIENCE_QUALITY].days} for audience quality)")
    QUALITY = "blocking quality flags"
    NO_METRICS = "no usable metrics"
    EMERGING = "under 1,000 followers"
    BELOW_MIN_ER = "below the minimum engagement"
    OVER_BUDGET = "priced above the whole budget"


REASONS = {REJECTED: Excluded.RECENTLY_REJECTED, EMERGING: Excluded.EMERGING, QUALITY: Excluded.QUALITY,
           NO_METRICS: Excluded.NO_METRICS, BELOW_MIN_ER: Excluded.BELOW_MIN_ER, OVER_BUDGET: Excluded.OVER_BUDGET}
#: codes for scripts (the CLI's JSON) in the order the message lists them
REASON_CODES = {text: code for code, text in REASONS.items()}


@dataclass(frozen=True, slots=True)
class Pick:
    view: CreatorView
    profile: Profile
    relevance: float
    value: float  # what the optimiser maximised for this creator
    partial: str | None = None  # "partial match: plant-based only" when it misses a concept of the niche
    shares: tuple[str, ...] = ()  # lookalikes: the seed's terms it shares most (#veganbaking, #glutenfree)


@dataclass(slots=True)
class Proposal:
    query: FindQuery
    pool: int
    picks: list[Pick]
    selection: Selection
    excluded: Counter[str] = field(default_factory=Counter)
    best_single: Pick | None = None
    candidates: list[Candidate] = field(default_factory=list)  # what the optimiser chose from

    suggestions: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)  # what the niche was read as
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def eligible(self) -> int:
        """Matching creators not excluded: all of them could have been chosen."""
        return self.pool - sum(self.excluded.values())

    @property
    def partial_picks(self) -> int:
        return sum(p.partial is not None for p in self.picks)


def pick_notes(proposal: Proposal) -> dict[str, dict[str, object]]:
    """What each line says beyond its numbers, by kind ("partial", "shares") then creator id (as a JSON
    key), for the picks that have one: stored with the shortlist, since the message is rendered from
    the database."""
    return {"partial": {str(p.view.creator.id): p.partial for p in proposal.picks if p.partial},
            "shares": {str(p.view.creator.id): list(p.shares) for p in proposal.picks if p.shares}}


def niche_terms(session: Session, team_id: str, query: FindQuery, table: Synonyms
                ) -> tuple[list[str], list[frozenset[str]]]:
    """(labels, terms that satisfy each) of the niche's concepts (influence/concepts.py), or with
    `match:any` of its words as before concepts: each word by its own term, group and synonyms."""
    if query.match == "any":
        words = niche_words(query.niche)
        return [w.text for w in words], [table.expand(w.term) for w in words]
    concepts = niche_concepts(query.niche, lambda terms: index.document_frequencies(session, team_id, terms),
                              index.indexed_count(session, team_id), table)
    return [c.label for c in concepts], [c.alternatives for c in concepts]


def partial_note(labels: Sequence[str], matched: Sequence[bool]) -> str | None:
    """"partial match: plant based only" for a creator missing some concept (or mentioning it
    only once), else None."""
    if all(matched):
        return None
    if not any(matched):
        return "partial match: " + " ".join(labels) + " mentioned only in passing"
    return "partial match: " + ", ".join(label for label, m in zip(labels, matched) if m) + " only"


def new_items(picks: Sequence[Pick]) -> list[NewItem]:
    """What a shortlist stores of each pick (every pick has a price: unpriced creators are excluded)."""
    return [NewItem(p.view.creator.id, p.profile.price.cents, p.profile.price.source.value, p.value, p.relevance)
            for p in picks if p.profile.price]


def _views(session: Session, team_id: str, ids: Collection[int], thresholds: TierThresholds,
           rules: QualityRules) -> dict[int, tuple[CreatorView, Profile]]:
    if not ids:
        return {}
    history = follower_histories(session, team_id, sorted(ids))
    found = {}
    for creator, snap in session.execute(view_query(team_id).where(Creator.id.in_(sorted(ids))),
                                         execution_options=unmapped.options(session)):
        view = CreatorView(creator, snap)
        found[creator.id] = (view, build_profile(view.facts(history.get(creator.id, ())), thresholds, rules))
    return found


def query_filters(query: FindQuery, budget_cents: int) -> Filters:
    return Filters(platform=query.platform.value if query.platform else None,
                   tier=query.tier.value if query.tier else None, goal=query.goal, min_er_pct=query.min_er_pct,
                   budget_cents=budget_cents, keep_emerging=query.tier is Tier.EMERGING)


def propose(session: Session, team_id: str, query: FindQuery, *, thresholds: TierThresholds = TierThresholds(),
            rules: QualityRules = QualityRules(), time_limit_s: float = TIME_LIMIT_S, synonyms: Synonyms = BUILTIN,
            exclude_ids: Collection[int] = (), budget_cents: int | None = None,
            max_items: int | None = None, semantic: SemanticRanker | None = None) -> Proposal:
    """The best set for `query`; `exclude_ids`, `budget_cents` and `max_items` narrow it for a refill.
    With `semantic` (setting SEMANTIC_MATCHING), partial matches close in meaning count as whole."""
    clock = perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = perf_counter()
        timings[name] = round((now - clock) * 1000, 2)
        clock = now

    budget = query.budget_cents if budget_cents is None else budget_cents
    words = [] if query.like else niche_words(query.niche)
    table = workspace_synonyms(session, team_id, synonyms)
    labels, alternatives = niche_terms(session, team_id, query, table) if words else ([], [])
    filters = query_filters(query, budget)
    k = query.max_items if max_items is None else max_items
    skip = set(exclude_ids)
    now = utcnow()
    pool, counts, selection, candidates, by_id, notes = 0, {}, choose([], budget, 1), [], {}, {}
    shares: lookalike.Lookalikes | None = None
    found = None
    if query.like:
        seed = lookalike.seed_named(session, team_id, query.like, query.platform)
        if not (query.platform or query.all_platforms):
            filters = replace(filters, platform=seed.creator.platform)
        alike = lookalike.similar(session, team_id, seed, filters, rejected_ids(session, team_id, now))
        found, shares, whole_first = alike.found, alike, False
    elif alternatives:
        found = match(session, team_id, alternatives, filters, rejected_ids(session, team_id, now),
                      repeated=query.match != "any")
        whole_first = query.match != "any"
    close: dict[int, str] = {}  # partial matches counted as whole by meaning (semantic_rank), with their note
    if found is not None and semantic is not None and whole_first:
        lap("match")
        by_terms = found.matched
        found, close = semantic.rerank(session, team_id, query.niche, found)
        lap("semantic")
    if found is not None:
        pool, counts = found.pool, found.excluded
        if "match" not in timings:
            lap("match")
        if k > 0:
            ids, prices, values, whole = found.ids, found.price_cents, found.value, found.whole
            if skip:  # a refill: creators already on the shortlist are left out
                keep = ~np.isin(ids, np.fromiter(skip, dtype=np.int64, count=len(skip)))
                ids, prices, values, whole = ids[keep], prices[keep], values[keep], whole[keep]
            if not whole_first:
                selection, candidates = choose_from_pool(ids, prices, values, budget, k, time_limit_s=time_limit_s)
            else:
                selection, candidates = choose_whole_first(ids, prices, values, whole, budget, k,
                                                           time_limit_s=time_limit_s)
            keys = [c.key for c in candidates]
            at = np.searchsorted(found.ids, keys)
            by_id = dict(zip(keys, found.relevance[at].tolist()))
            if not query.like:  # partial matches are marked with match:any too
                rows = (by_terms if close else found.matched)[at].tolist()
                notes = {key: partial_note(labels, row) for key, row in zip(keys, rows)}
                notes |= {key: f"{close[key]}; by its terms a {notes[key]}" for key in keys if key in close}
    excluded = Counter({REASONS[code]: n for code, n in counts.items()})
    single = (best_single([c for c in candidates if notes.get(c.key) is None or c.key in close], budget)
              or best_single(candidates, budget))
    lap("optimise")
    values = {c.key: c.value for c in candidates}
    wanted = set(selection.keys) | ({single.key} if single else set())
    views = _views(session, team_id, wanted, thresholds, rules)

    def pick(cid: int) -> Pick:
        view, profile = views[cid]
        return Pick(view, profile, by_id[cid], values[cid], notes.get(cid),
                    tuple(shares.shared(cid)) if shares else ())

    suggestions = suggest_niches(session, team_id, words) if pool == 0 and words else []
    lap("profiles")
    return Proposal(query=query, pool=pool, picks=[pick(k) for k in selection.keys], selection=selection,
                    excluded=excluded, best_single=pick(single.key) if single else None,
                    candidates=candidates, suggestions=suggestions, concepts=labels, timings_ms=timings)
