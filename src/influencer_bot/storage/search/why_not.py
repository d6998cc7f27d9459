"""Why is a creator not on a shortlist? Judged as the search judged it, with today's numbers.

The shortlist's own request (niche, budget, options) is read back and the creator goes through
the search's steps in their order, each from the same source the search reads: its indexed terms
against the niche's (with the workspace's synonyms), its row of the index's score columns, the
platform and tier options, then niche_match's exclusion tests. The first step it fails is the
answer; a creator that passes them all lost on value, which influence/why_not.compare explains
against the shortlist's kept picks and the exact optimum of the pool with and without it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...influence import why_not as why
from ...influence.errors import NotFound, UserError
from ...influence.find_query import FindQuery
from ...influence.flags import QualityRules, Severity
from ...influence.optimizer import TIME_LIMIT_S
from ...influence.platforms import Platform
from ...influence.pool_choice import choose_from_pool
from ...influence.profile import build_profile
from ...influence.similarity import MIN_SIMILARITY
from ...influence.synonyms import BUILTIN, BUILTIN_PAIRS, REPEATED, Synonyms, canonical
from ...influence.rejection import memory, reason_label
from ...influence.segment import is_word
from ...influence.terms import surface
from ...influence.tiers import TierThresholds
from ..creators.views import CreatorView, find_by_handle, follower_history, similar_handles
from ..models import Creator, Decision, Shortlist, ShortlistItem, utcnow
from . import index
from .index import CHUNK_BITS
from . import lookalike
from .finder import niche_terms, query_filters
from .niche_match import (
    BELOW_MIN_ER, EMERGING, NO_METRICS, OVER_BUDGET, QUALITY, REJECTED, exclusion_tests,
    match, rejected_ids, relevances, workspace_synonyms,
)

EXAMPLE = "/influencer why @veganbakes"
TOP_TERMS = 6  # a creator's own terms shown when it does not match the niche
NO_SHORTLIST = "There is no shortlist in this channel yet: make one first, then ask about a creator."


@dataclass(frozen=True, slots=True)
class Judged:
    view: CreatorView
    reason: why.Reason


@dataclass(frozen=True, slots=True)
class Answer:
    shortlist_id: int
    niche: str
    budget_cents: int
    query: FindQuery
    made_at: datetime
    judged: list[Judged]


def latest_shortlist(session: Session, team_id: str, channel_id: str) -> int:
    """The id of the newest shortlist posted in this channel of this workspace; NotFound if none."""
    found = session.scalar(select(Shortlist.id).where(Shortlist.team_id == team_id, Shortlist.channel_id == channel_id)
                           .order_by(Shortlist.created_at.desc(), Shortlist.id.desc()).limit(1))
    if found is None:
        raise NotFound(NO_SHORTLIST, "/influencer find vegan baking 2000")
    return found


def creators_named(session: Session, team_id: str, handle: str, platform: Platform | None) -> list[CreatorView]:
    """The creators with this handle (one per platform); NotFound with the nearest handles if none."""
    views = find_by_handle(session, team_id, handle, platform)
    if views:
        return views
    hints = similar_handles(session, team_id, handle)
    hint = f" Did you mean {', '.join('@' + h for h in hints)}?" if hints else ""
    where = f" on {platform.label}" if platform else ""
    raise NotFound(f"No creator @{handle}{where} in this workspace.{hint}",
                   f"/influencer why @{hints[0]}" if hints else EXAMPLE)


def explain(session: Session, team_id: str, shortlist_id: int, handle: str, platform: Platform | None = None, *,
            thresholds: TierThresholds = TierThresholds(), rules: QualityRules = QualityRules(),
            synonyms: Synonyms = BUILTIN, time_limit_s: float = TIME_LIMIT_S, now: datetime | None = None) -> Answer:
    shortlist = session.scalars(select(Shortlist).where(Shortlist.id == shortlist_id,
                                                        Shortlist.team_id == team_id)).one_or_none()
    if shortlist is None:
        raise UserError("That shortlist no longer exists in this workspace.", "/influencer find vegan baking 2000")
    views = creators_named(session, team_id, handle, platform)
    query = FindQuery.from_options(shortlist.niche, shortlist.budget_cents, shortlist.options or {})
    judge = _Judge(session, team_id, shortlist, query, thresholds, rules, synonyms, time_limit_s, now or utcnow())
    return Answer(shortlist.id, shortlist.niche, shortlist.budget_cents, query, shortlist.created_at,
                  [Judged(v, judge.reason(v)) for v in views[:3]])


class _Judge:
    """The search's steps for one creator at a time, sharing what every creator needs."""

    def __init__(self, session: Session, team_id: str, shortlist: Shortlist, query: FindQuery,
                 thresholds: TierThresholds, rules: QualityRules, synonyms: Synonyms, time_limit_s: float,
                 now: datetime) -> None:
        self.session, self.team_id, self.shortlist, self.query = session, team_id, shortlist, query
        self.thresholds, self.rules, self.time_limit_s, self.now = thresholds, rules, time_limit_s, now
        self.whole_first = query.match != "any" and not query.like
        self.filters = query_filters(query, query.budget_cents)
        self.rejected = rejected_ids(session, team_id, now)
        self.seed = lookalike.seed_named(session, team_id, query.like, query.platform) if query.like else None
        if self.seed is not None:
            self.labels, self.alternatives = [], []
            if not (query.platform or query.all_platforms):
                self.filters = replace(self.filters, platform=self.seed.creator.platform)
        else:
            self.labels, self.alternatives = niche_terms(session, team_id, query,
                                                         workspace_synonyms(session, team_id, synonyms))

    def reason(self, view: CreatorView) -> why.Reason:
        c = view.creator
        on_list = self._on_list(c.id)
        if on_list is not None:
            return on_list
        terms = index.indexed_terms(self.session, self.team_id, c.id) or {}
        if self.seed is not None:
            alike = lookalike.alike(self.session, self.team_id, self.seed, terms)
            if alike.similarity < MIN_SIMILARITY:
                return why.NotAlike(self.seed.creator.handle, alike.similarity, MIN_SIMILARITY, alike.shared)
            weights, matched = [], []
        else:
            weights = [max((terms.get(t, 0) for t in alts), default=0) for alts in self.alternatives]
            # as the search reads it: whole-first, a concept counts once mentioned twice (synonyms.repeated)
            matched = [any((REPEATED + t if self.whole_first else t) in terms for t in alts)
                       for alts in self.alternatives]
            if not any(weights):
                return self._not_in_niche(c)
        base_name = "impressions" if self.query.goal == "reach" else "engagements"
        cols = index.columns(self.session, self.team_id, ["ids", "price", base_name, "codes", "er"],
                             chunk=c.id >> CHUNK_BITS)
        at = int(np.searchsorted(cols["ids"], c.id))
        if at >= len(cols["ids"]) or int(cols["ids"][at]) != c.id:
            return why.NotScored()
        row = {name: col[at:at + 1] for name, col in cols.items()}
        code = row["codes"]
        if self.query.platform and int(index.platform_codes(code)[0]) != index.platform_code(self.query.platform.value):
            return why.Filtered("platform", self.query.platform.value, c.platform)
        tier = index.TIERS[int(index.tier_codes(code)[0])]
        if self.query.tier and tier != self.query.tier.value:
            return why.Filtered("tier", self.query.tier.value, tier, c.followers)
        tests = exclusion_tests(self.filters, row["ids"].astype(np.int64), code, row["price"], row[base_name],
                                row["er"], self.rejected)
        failed = next((name for name, applies in tests if applies[0]), None)
        if failed is not None:
            return self._excluded(failed, view, int(row["price"][0]), float(row[base_name][0]), float(row["er"][0]))
        if self.seed is not None:
            similar_ids = self._lookalikes.found.ids
            if not np.isin(c.id, similar_ids):
                return why.NotAlike(self.seed.creator.handle, alike.similarity, MIN_SIMILARITY, alike.shared,
                                    outside_candidates=lookalike.CANDIDATES)
            relevance = alike.similarity
        else:
            relevance = float(relevances(np.array([weights]))[0])
        return self._outranked(view, int(row["price"][0]), float(row[base_name][0]), relevance, matched)

    @cached_property
    def _lookalikes(self) -> lookalike.Lookalikes:
        """The lookalike pool, read only when a creator gets past the similarity and exclusion steps."""
        return lookalike.similar(self.session, self.team_id, self.seed, self.filters, self.rejected)  # type: ignore[arg-type]

    def _on_list(self, creator_id: int) -> why.OnList | None:
        items = self.session.scalars(select(ShortlistItem).where(
            ShortlistItem.team_id == self.team_id, ShortlistItem.shortlist_id == self.shortlist.id)
            .order_by(ShortlistItem.position)).all()
        return next((why.OnList(n, i.status, i.decided_by, i.decided_at)
                     for n, i in enumerate(items, 1) if i.creator_id == creator_id), None)

    def _not_in_niche(self, c: Creator) -> why.NotInNiche:
        shown = [_readable(label, alts) for label, alts in zip(self.labels, self.alternatives)]
        own = why.readable_terms(c.topics, c.category, c.bio)
        niche = [t for word in shown for t in word]
        return why.NotInNiche(shown, why.nearest_terms(own, niche), (why.readable_terms(c.topics, c.category)
                                                                     or own)[:TOP_TERMS])

    def _excluded(self, code: str, view: CreatorView, price: int, base: float, er: float) -> why.Reason:
        c = view.creator
        if code == REJECTED:
            rows = self.session.execute(  # the rejection that keeps it out longest says why (its window applies)
                select(Decision.user_id, Decision.decided_at, Shortlist.niche, Decision.reason)
                .join(ShortlistItem, ShortlistItem.id == Decision.shortlist_item_id)
                .join(Shortlist, Shortlist.id == ShortlistItem.shortlist_id)
                .where(Decision.team_id == self.team_id, Decision.creator_id == c.id, Decision.decision == "rejected")
                .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(20)).all()
            last = max(rows, key=lambda r: r[1] + memory(r[3]), default=None)
            return why.Rejected(last[0], last[1], last[2], last[1] + memory(last[3]), reason_label(last[3]),
                                memory(last[3]).days) if last else why.Rejected(None, None, None, None)
        if code == EMERGING:
            return why.Emerging(c.followers, self.thresholds.nano)
        if code == QUALITY:
            profile = build_profile(view.facts(follower_history(self.session, self.team_id, c.id)),
                                    self.thresholds, self.rules)
            return why.Blocked([f.message for f in profile.flags if f.severity is Severity.BLOCKING])
        if code == NO_METRICS:
            return why.NoMetrics(no_price=price < 0, no_value=not base > 0, goal=self.query.goal)
        if code == BELOW_MIN_ER:
            return why.BelowMinEr(None if np.isnan(er) else er, self.query.min_er_pct or 0.0)
        assert code == OVER_BUDGET, code
        profile = build_profile(view.facts(), self.thresholds, self.rules)
        source = profile.price.source.value if profile.price and profile.price.cents == price else None
        return why.OverBudget(price, source, self.query.budget_cents)

    def _outranked(self, view: CreatorView, price: int, base: float, relevance: float,
                   matched: list[bool]) -> why.Outranked:
        """Compared where the search compared it. Whole-first (pool_choice.choose_whole_first), a whole
        match competes with the whole matches for the full budget and slots; a partial one only with
        the partial matches, for what the best whole set leaves."""
        c, q = view.creator, self.query
        found = self._lookalikes.found if self.seed is not None else match(
            self.session, self.team_id, self.alternatives, self.filters, self.rejected, repeated=self.whole_first)
        whole = found.whole if self.whole_first else np.ones(len(found.ids), dtype=bool)
        at = int(np.searchsorted(found.ids, c.id))
        budget, slots, tier = q.budget_cents, q.max_items, whole if whole[at] else ~whole
        whole_set = None
        if not whole[at]:
            whole_set = choose_from_pool(found.ids[whole], found.price_cents[whole], found.value[whole], budget, slots,
                                         time_limit_s=self.time_limit_s)[0]
            budget, slots = budget - whole_set.total_price_cents, slots - len(whole_set.keys)
        ids, prices, values = found.ids[tier], found.price_cents[tier], found.value[tier]
        at_tier = int(np.searchsorted(ids, c.id))
        if budget > 0 and slots > 0:
            best = choose_from_pool(ids, prices, values, budget, slots, time_limit_s=self.time_limit_s)[0].total_value
            with_it = why.best_with(ids, prices, values, at_tier, budget, slots, time_limit_s=self.time_limit_s)
        else:
            best, with_it = 0.0, float("nan")
        candidate = why.Entry(c.id, c.handle, price, float(found.value[at]))
        rows = self.session.execute(
            select(ShortlistItem.creator_id, Creator.handle, ShortlistItem.price_cents, ShortlistItem.expected_value,
                   ShortlistItem.status)
            .join(Creator, Creator.id == ShortlistItem.creator_id)
            .where(ShortlistItem.team_id == self.team_id, ShortlistItem.shortlist_id == self.shortlist.id)
            .order_by(ShortlistItem.position)).all()
        kept = [why.Entry(cid, h, p, v or 0.0) for cid, h, p, v, status in rows if status != "rejected"]
        in_tier = set(ids.tolist())
        picks = [p for p in kept if p.key in in_tier]  # the picks it competes with
        spent = sum(p.price_cents for p in picks)
        return why.Outranked(
            candidate=candidate, base_value=base, relevance=relevance,
            matched_words=[label for label, m in zip(self.labels, matched) if m],
            missing_words=[label for label, m in zip(self.labels, matched) if not m],
            free_cents=budget - spent, free_slots=max(0, slots - len(picks)),
            swap=why.best_swap(candidate, picks, budget) if budget > 0 else None,
            priciest=max(picks, key=lambda p: p.price_cents, default=None),
            best_with=with_it, best_without=best,
            picks_changed_since=any(status == "rejected" for *_, status in rows),
            added_after=c.created_at > self.shortlist.created_at, goal=q.goal,
            behind_whole=None if whole_set is None else why.WholeFirst(
                len(whole_set.keys), whole_set.total_price_cents, budget, slots))


def _readable(label: str, alternatives: frozenset[str]) -> list[str]:
    """A niche concept and what stands for it, as people write them: built-in groups by their phrases."""
    shown = [label]
    for term in sorted(alternatives):
        if term.startswith("~"):
            shown += [side for p in BUILTIN_PAIRS if canonical(p.term) == term for side in (p.phrase, p.synonym)]
        elif (word := surface(term)) != term or is_word(term):  # a stem with no word for it says nothing
            shown.append(word)
    return list(dict.fromkeys(shown))[:6]
