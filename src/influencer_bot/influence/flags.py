"""Explainable audience-quality flags: each says what it saw, with the numbers.

Flags are signals to show, not verdicts (DOMAIN.md). Only the strongest signals are
`blocking` (kept out of shortlists); the rest inform the person who approves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from collections.abc import Sequence
from typing import NamedTuple

from .activity import AD_SATURATED_SHARE, INACTIVE_POSTS_PER_WEEK, per_week_text, sponsored_text
from .benchmarks import Position
from .engagement import MIN_POSTS_FOR_CERTAINTY, Engagement
from .tiers import Tier


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    BLOCKING = "blocking"


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: Severity
    message: str


class FollowerPoint(NamedTuple):
    """One snapshot's follower count; `source` is who measured it (`csv`, `youtube`, …)."""

    at: datetime
    followers: int
    source: str | None = None


INACTIVE = "inactive"
AD_SATURATED = "ad_saturated"


@dataclass(frozen=True, slots=True)
class QualityRules:
    low_engagement_ratio: float = 0.3  # below: inactive or bought followers
    high_engagement_ratio: float = 4.0  # above, for macro and mega: possible engagement pods
    follow_ratio: float = 0.8  # following/followers at or above this on a large account
    follow_check_min_followers: int = 5_000
    max_daily_growth: int = 5_000  # ads rarely add more followers a day (HypeAuditor)
    inactive_posts_per_week: float = INACTIVE_POSTS_PER_WEEK  # posting less often than this: inactive
    ad_saturated_share: float = AD_SATURATED_SHARE  # this share of recent posts sponsored, or more: ad-saturated
    # authentic ÷ all engagements below this: DOMAIN.md's credibility line ("under 75% is often a
    # sign of fraud", Modash), applied to the engagements export tools mark as authentic
    min_authentic_share: float = 0.75


def quality_flags(
    *,
    tier: Tier | None,
    followers: int | None,
    following: int | None,
    eng: Engagement,
    pos: Position | None,
    history: Sequence[tuple] = (),  # (at, followers) or FollowerPoint
    posts_per_week: float | None = None,
    sponsored_share: float | None = None,
    rules: QualityRules = QualityRules(),
) -> list[Flag]:
    flags: list[Flag] = []
    if eng.posts_sampled is not None and eng.posts_sampled < MIN_POSTS_FOR_CERTAINTY:
        pos = None  # one or two posts say too little to call engagement low or high: `few_posts` says so
    if pos is not None and pos.ratio < rules.low_engagement_ratio:
        flags.append(Flag(
            "low_engagement", Severity.BLOCKING,
            f"engagement {eng.rate_pct:.2f}% is {pos.ratio:.2f}× the {pos.benchmark.tier.value} median "
            f"({pos.benchmark.median_pct:g}%): inactive or bought followers?",
        ))
    if pos is not None and tier in (Tier.MACRO, Tier.MEGA) and pos.ratio > rules.high_engagement_ratio:
        flags.append(Flag(
            "high_engagement", Severity.WARNING,
            f"engagement {eng.rate_pct:.1f}% is {pos.ratio:.1f}× the {tier.value} median: possible engagement pods",
        ))
    if followers and following is not None and followers >= rules.follow_check_min_followers:
        ratio = following / followers
        if ratio >= rules.follow_ratio:
            flags.append(Flag(
                "follow_for_follow", Severity.WARNING,
                f"follows {following:,} accounts for {followers:,} followers ({ratio:.2f}): follow-for-follow pattern?",
            ))
    if eng.authentic_share is not None and eng.authentic_share < rules.min_authentic_share:
        flags.append(Flag(
            "low_authentic_engagement", Severity.WARNING,
            f"only {eng.authentic_share:.0%} of engagements are authentic; under "
            f"{rules.min_authentic_share:.0%} is often a sign of bought engagement",
        ))
    spike = _largest_daily_growth(history)
    if spike is not None and spike[0] > rules.max_daily_growth:
        flags.append(Flag(
            "follower_spike", Severity.BLOCKING,
            f"gained {spike[0]:,.0f} followers a day around {spike[1]:%Y-%m-%d}; ads rarely add over "
            f"{rules.max_daily_growth:,} a day",
        ))
    flags.extend(activity_flags(posts_per_week, sponsored_share, eng.posts_sampled, rules))
    if eng.rate is None:
        flags.append(Flag("no_engagement_data", Severity.INFO, "engagement unknown (no likes or views data)"))
    elif eng.posts_sampled is not None and eng.posts_sampled < MIN_POSTS_FOR_CERTAINTY:
        flags.append(Flag(
            "few_posts", Severity.INFO,
            f"engagement from only {eng.posts_sampled} post{'s' * (eng.posts_sampled != 1)}: uncertain",
        ))
    return flags


def activity_flags(posts_per_week: float | None, sponsored_share: float | None, posts: int | None,
                   rules: QualityRules = QualityRules()) -> list[Flag]:
    """Inactive account, ad-saturated feed: warnings (scoring discounts them); unknown says nothing."""
    flags = []
    if posts_per_week is not None and posts_per_week < rules.inactive_posts_per_week:
        flags.append(Flag(INACTIVE, Severity.WARNING, f"inactive: {per_week_text(posts_per_week)} posts a week "
                          f"(under {rules.inactive_posts_per_week:g})"))
    if sponsored_share is not None and sponsored_share >= rules.ad_saturated_share:
        flags.append(Flag(AD_SATURATED, Severity.WARNING, f"ad-saturated feed: {sponsored_text(sponsored_share, posts)}"))
    return flags


def _largest_daily_growth(history: Sequence[tuple]) -> tuple[float, datetime] | None:
    """Steepest follower gain per day between consecutive snapshots of the same source.

    Counts from different sources are not compared: an export's `2.4M` is rounded and of an
    unknown date, so the platform's exact 2,450,000 an hour later is no gain of 50,000 a day.
    Pairs under a day apart count as a day. Points may be (at, followers) or FollowerPoint."""
    best: tuple[float, datetime] | None = None
    last: dict[str | None, tuple[datetime, int]] = {}
    for point in sorted(history, key=lambda p: (p[0], p[1])):
        t1, f1 = point[0], point[1]
        source = point[2] if len(point) > 2 else None
        if source in last:
            t0, f0 = last[source]
            days = max((t1 - t0).total_seconds() / 86_400, 1.0)
            rate = (f1 - f0) / days
            if best is None or rate > best[0]:
                best = (rate, t1)
        last[source] = (t1, f1)
    return best


def is_blocked(flags: Sequence[Flag]) -> bool:
    return any(f.severity is Severity.BLOCKING for f in flags)
