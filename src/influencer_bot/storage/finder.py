"""Propose the best mix of creators for a niche and a budget.

Match the niche, describe every candidate with the domain's Profile, leave out the
ones that cannot or should not be proposed (counted by reason, so the message can say
why), then pick the set that maximises expected engagements (or reach) within the
budget with the exact optimiser.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..influence.find_query import FindQuery
from ..influence.flags import QualityRules
from ..influence.optimizer import Candidate, Selection, best_single, choose
from ..influence.profile import Profile, build_profile
from ..influence.tiers import Tier, TierThresholds
from .creators import CreatorView
from .models import Decision, utcnow
from .niche_match import match_niche

REJECTION_MEMORY = timedelta(days=90)


class Excluded:
    RECENTLY_REJECTED = "rejected in the last 90 days"
    QUALITY = "blocking quality flags"
    NO_METRICS = "no usable metrics"
    EMERGING = "under 1,000 followers"
    BELOW_MIN_ER = "below the minimum engagement"
    OVER_BUDGET = "priced above the whole budget"


@dataclass(frozen=True, slots=True)
class Pick:
    view: CreatorView
    profile: Profile
    relevance: float
    value: float


@dataclass(slots=True)
class Proposal:
    query: FindQuery
    pool: int
    picks: list[Pick]
    selection: Selection
    excluded: Counter[str] = field(default_factory=Counter)
    best_single: Pick | None = None

    @property
    def total_price_cents(self) -> int:
        return sum(p.profile.price.cents for p in self.picks if p.profile.price)

    @property
    def expected_engagements(self) -> float:
        return sum(p.profile.expected_engagements or 0.0 for p in self.picks)


def _recently_rejected(session: Session, team_id: str, creator_ids: list[int]) -> set[int]:
    since = utcnow() - REJECTION_MEMORY
    found: set[int] = set()
    for start in range(0, len(creator_ids), 500):
        found.update(session.scalars(
            select(Decision.creator_id).where(
                Decision.team_id == team_id, Decision.decision == "rejected", Decision.decided_at >= since,
                Decision.creator_id.in_(creator_ids[start:start + 500]))
        ))
    return found


def propose(session: Session, team_id: str, query: FindQuery, *, thresholds: TierThresholds = TierThresholds(),
            rules: QualityRules = QualityRules(), time_limit_s: float = 0.5) -> Proposal:
    matches = match_niche(session, team_id, query.words, platform=query.platform, tier=query.tier,
                          thresholds=thresholds)
    rejected = _recently_rejected(session, team_id, [m.view.creator.id for m in matches])
    excluded: Counter[str] = Counter()
    eligible: dict[int, Pick] = {}
    for m in matches:
        profile = build_profile(m.view.facts(), thresholds, rules)
        value_per_post = profile.expected_impressions if query.goal == "reach" else profile.expected_engagements
        reason = None
        if m.view.creator.id in rejected:
            reason = Excluded.RECENTLY_REJECTED
        elif profile.tier is Tier.EMERGING and query.tier is not Tier.EMERGING:
            reason = Excluded.EMERGING
        elif profile.blocked:
            reason = Excluded.QUALITY
        elif profile.price is None or not value_per_post:
            reason = Excluded.NO_METRICS
        elif query.min_er_pct is not None and (profile.engagement.rate_pct or 0) < query.min_er_pct:
            reason = Excluded.BELOW_MIN_ER
        elif profile.price.cents > query.budget_cents:
            reason = Excluded.OVER_BUDGET
        if reason:
            excluded[reason] += 1
            continue
        eligible[m.view.creator.id] = Pick(m.view, profile, m.relevance, value_per_post * m.relevance)
    candidates = [Candidate(cid, p.profile.price.cents, p.value) for cid, p in eligible.items() if p.profile.price]
    selection = choose(candidates, query.budget_cents, query.max_items, time_limit_s=time_limit_s)
    single = best_single(candidates, query.budget_cents)
    return Proposal(query=query, pool=len(matches), picks=[eligible[k] for k in selection.keys],
                    selection=selection, excluded=excluded,
                    best_single=eligible[single.key] if single else None)
