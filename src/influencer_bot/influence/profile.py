"""Everything influencer-bot says about one creator, computed once from plain facts.

The Slack views, the export and the shortlist engine all read a `Profile`, so a
creator's tier, engagement, price and flags are the same wherever they appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Sequence

from .benchmarks import Position, position
from .engagement import Engagement, Metrics, engagement
from .flags import Flag, QualityRules, is_blocked, quality_flags
from .platforms import Platform
from .pricing import Price, price
from .tiers import Tier, TierThresholds


@dataclass(frozen=True, slots=True)
class CreatorFacts:
    platform: Platform
    handle: str
    metrics: Metrics
    quoted_price_cents: int | None = None
    follower_history: Sequence[tuple[datetime, int]] = field(default_factory=tuple)
    posts_per_week: float | None = None  # from the platform's recent posts (influence/activity.py)
    sponsored_share: float | None = None  # 0..1 of those posts paid for; None: unknown


@dataclass(frozen=True, slots=True)
class Profile:
    facts: CreatorFacts
    tier: Tier | None
    engagement: Engagement
    position: Position | None
    price: Price | None
    flags: tuple[Flag, ...]

    @property
    def blocked(self) -> bool:
        return is_blocked(self.flags)

    @property
    def expected_engagements(self) -> float | None:
        """Interactions one post can be expected to earn."""
        return self.engagement.interactions_per_post

    @property
    def expected_impressions(self) -> float | None:
        """Views when known; otherwise followers (an upper-bound proxy, as reach is rarely public)."""
        m = self.facts.metrics
        return m.avg_views if m.avg_views is not None else (float(m.followers) if m.followers else None)


def build_profile(
    facts: CreatorFacts,
    thresholds: TierThresholds = TierThresholds(),
    rules: QualityRules = QualityRules(),
) -> Profile:
    m = facts.metrics
    tier = thresholds.tier_of(m.followers)
    eng = engagement(facts.platform, m)
    pos = position(facts.platform, tier, eng)
    flags = quality_flags(
        tier=tier, followers=m.followers, following=m.following, eng=eng, pos=pos,
        history=facts.follower_history, posts_per_week=facts.posts_per_week,
        sponsored_share=facts.sponsored_share, rules=rules,
    )
    return Profile(facts, tier, eng, pos, price(facts.platform, m.followers, facts.quoted_price_cents), tuple(flags))
