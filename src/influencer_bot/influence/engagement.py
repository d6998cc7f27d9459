"""Engagement rate, computed the way each platform's benchmarks are (DOMAIN.md).

Instagram is measured per follower; TikTok and YouTube per view. A rate we cannot
compute (hidden likes, no views) is unknown, never zero, and the method and number of
posts behind every figure travel with it so the user can judge it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .platforms import Platform

#: fewer posts than this make a rate an uncertain figure
MIN_POSTS_FOR_CERTAINTY = 3


class Method(StrEnum):
    BY_FOLLOWERS = "by_followers"
    BY_VIEWS = "by_views"
    REPORTED = "reported"  # a rate imported as-is from an export; we could not recompute it

    @property
    def label(self) -> str:
        return {"by_followers": "by followers", "by_views": "by views", "reported": "as reported"}[self.value]


@dataclass(frozen=True, slots=True)
class Metrics:
    """Averages per post over a sample, as a platform API or an export gives them."""

    followers: int | None = None
    following: int | None = None
    avg_likes: float | None = None
    avg_comments: float | None = None
    avg_shares: float | None = None
    avg_saves: float | None = None
    avg_views: float | None = None
    posts_sampled: int | None = None
    reported_rate_pct: float | None = None


@dataclass(frozen=True, slots=True)
class Engagement:
    rate: float | None  # a fraction: 0.031 is 3.1%
    method: Method | None
    posts_sampled: int | None
    interactions_per_post: float | None

    @property
    def rate_pct(self) -> float | None:
        return None if self.rate is None else self.rate * 100

    @property
    def uncertain(self) -> bool:
        return self.posts_sampled is None or self.posts_sampled < MIN_POSTS_FOR_CERTAINTY

    def describe(self) -> str:
        """`3.1% by followers over 12 posts`, or `unknown` with the reason implied."""
        if self.rate is None or self.method is None:
            return "unknown"
        posts = "" if self.posts_sampled is None else f" over {self.posts_sampled} post{'s' * (self.posts_sampled != 1)}"
        return f"{self.rate * 100:.1f}% {self.method.label}{posts}"


def default_method(platform: Platform) -> Method:
    return Method.BY_FOLLOWERS if platform is Platform.INSTAGRAM else Method.BY_VIEWS


def _interactions(m: Metrics, *, with_saves: bool) -> float | None:
    if m.avg_likes is None:
        return None  # hidden like counts: we cannot know the interactions
    total = m.avg_likes + (m.avg_comments or 0.0) + (m.avg_shares or 0.0)
    if with_saves:
        total += m.avg_saves or 0.0
    return total


def engagement(platform: Platform, m: Metrics) -> Engagement:
    """The platform's own method when the raw counts allow it, else the reported rate."""
    method = default_method(platform)
    interactions = _interactions(m, with_saves=platform is Platform.INSTAGRAM)
    denominator = m.followers if method is Method.BY_FOLLOWERS else m.avg_views
    if interactions is not None and denominator:
        return Engagement(interactions / denominator, method, m.posts_sampled, interactions)
    if m.reported_rate_pct is not None and m.reported_rate_pct >= 0:
        rate = m.reported_rate_pct / 100
        base = m.followers if method is Method.BY_FOLLOWERS else m.avg_views
        estimated = rate * base if base else interactions
        return Engagement(rate, Method.REPORTED, m.posts_sampled, estimated)
    return Engagement(None, None, m.posts_sampled, interactions)
