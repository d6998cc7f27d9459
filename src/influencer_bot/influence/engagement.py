"""Engagement rate, computed the way each platform's benchmarks are (DOMAIN.md).

Instagram is measured per follower; TikTok and YouTube per view. A rate we cannot
compute (hidden likes, no views) is unknown, never zero, and the method, the figures
(`basis`) and the number of posts behind every rate travel with it so the user can judge it.

When the data gives several figures for one thing, the order is:
1. a reported rate over a recent window (`ER 60 days`): recent beats a lifetime average;
2. the platform's method from per-post averages: likes + comments (+ shares, + saves on
   Instagram), or whole engagements per post (`Eng. (Avg.)`) when likes are not given;
   TikTok and YouTube divide by views per post, or by followers when the data has no views
   (labelled "by followers": it is not compared with the by-views medians);
3. a reported rate without a window, as the source computed it.
`rate_disagreement` flags a reported rate more than 2× off the one from the averages.
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
    rate_window_days: int | None = None  # the window the reported rate covers (None: lifetime)
    avg_engagements: float | None = None  # all interactions per post, given whole by the source
    avg_authentic_engagements: float | None = None  # interactions from real accounts (export tools)


#: how the card and the export name the figures a rate was computed from
_NAMES = {"avg_likes": "likes", "avg_comments": "comments", "avg_shares": "shares", "avg_saves": "saves",
          "avg_engagements": "engagements", "followers": "followers", "avg_views": "views"}
DISAGREEMENT = 2.0  # a reported rate this many times off the averages' rate is reported


@dataclass(frozen=True, slots=True)
class Engagement:
    rate: float | None  # a fraction: 0.031 is 3.1%
    method: Method | None
    posts_sampled: int | None
    interactions_per_post: float | None
    basis: tuple[str, ...] = ()  # Metrics fields used: numerator parts, then the denominator
    window_days: int | None = None  # a reported rate's window
    authentic_share: float | None = None  # authentic ÷ all engagements, 0..1

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
        window = f" ({self.window_days} days)" if self.method is Method.REPORTED and self.window_days else ""
        return f"{self.rate * 100:.1f}% {self.method.label}{window}{posts}"

    def how(self) -> str:
        """The formula in words: `(likes + comments) per post ÷ followers`."""
        if self.method is None or self.rate is None:
            return "—"
        if self.method is Method.REPORTED:
            window = f" over the last {self.window_days} days" if self.window_days else ""
            return f"as reported by the imported data{window}"
        *parts, per = self.basis
        top = " + ".join(_NAMES[p] for p in parts)
        top = f"({top})" if len(parts) > 1 else top
        return f"{top} per post ÷ {'views per post' if per == 'avg_views' else 'followers'}"

    def columns(self) -> str | None:
        """The method and the columns used, for exports: `by_followers: avg_likes+avg_comments/followers`."""
        if self.method is None or self.rate is None:
            return None
        if self.method is Method.REPORTED:
            return "reported" + (f": {self.window_days} days" if self.window_days else "")
        *parts, per = self.basis
        return f"{self.method.value}: {'+'.join(parts)}/{per}"


def default_method(platform: Platform) -> Method:
    return Method.BY_FOLLOWERS if platform is Platform.INSTAGRAM else Method.BY_VIEWS


def _parts(platform: Platform, m: Metrics) -> tuple[tuple[str, ...], float] | None:
    """The interaction figures per post and their sum; None when likes are hidden and no whole
    engagement figure is given (unknown, never zero)."""
    if m.avg_likes is None:
        if m.avg_engagements is None:
            return None
        return ("avg_engagements",), m.avg_engagements
    names = ["avg_likes"] + [n for n in ("avg_comments", "avg_shares") if getattr(m, n) is not None]
    if platform is Platform.INSTAGRAM and m.avg_saves is not None:
        names.append("avg_saves")
    return tuple(names), sum(getattr(m, n) for n in names)


def computed(platform: Platform, m: Metrics) -> Engagement | None:
    """The rate by the platform's method from per-post averages, or None when they do not allow it."""
    found = _parts(platform, m)
    if found is None:
        return None
    names, interactions = found
    if platform is not Platform.INSTAGRAM and m.avg_views:
        return Engagement(interactions / m.avg_views, Method.BY_VIEWS, m.posts_sampled, interactions,
                          (*names, "avg_views"), authentic_share=authentic_share(m))
    if m.followers:  # Instagram; TikTok and YouTube files without views
        return Engagement(interactions / m.followers, Method.BY_FOLLOWERS, m.posts_sampled, interactions,
                          (*names, "followers"), authentic_share=authentic_share(m))
    return None


def authentic_share(m: Metrics) -> float | None:
    """Authentic ÷ all engagements per post (0..1); None when either is unknown or they contradict."""
    if m.avg_authentic_engagements is None:
        return None
    total = m.avg_engagements
    if total is None:
        found = _parts(Platform.INSTAGRAM, m)
        total = found[1] if found else None
    if not total or m.avg_authentic_engagements > total * 1.05:
        return None
    return min(m.avg_authentic_engagements / total, 1.0)


def engagement(platform: Platform, m: Metrics) -> Engagement:
    """The rate the card shows: a recent reported window, else the platform's method, else as reported."""
    reported = m.reported_rate_pct is not None and m.reported_rate_pct >= 0
    if reported and m.rate_window_days:
        return _reported(platform, m)
    found = computed(platform, m)
    if found is not None:
        return found
    if reported:
        return _reported(platform, m)
    parts = _parts(platform, m)
    return Engagement(None, None, m.posts_sampled, parts[1] if parts else None, authentic_share=authentic_share(m))


def _reported(platform: Platform, m: Metrics) -> Engagement:
    rate = m.reported_rate_pct / 100  # type: ignore[operator]
    base = m.followers if default_method(platform) is Method.BY_FOLLOWERS else m.avg_views
    parts = _parts(platform, m)
    estimated = rate * base if base else (parts[1] if parts else None)
    return Engagement(rate, Method.REPORTED, m.posts_sampled, estimated, ("reported_rate_pct",),
                      m.rate_window_days, authentic_share(m))


def rate_disagreement(platform: Platform, m: Metrics) -> tuple[float, float] | None:
    """(reported %, computed %) when the file's own rate is more than 2× off its averages' rate."""
    if m.reported_rate_pct is None or m.reported_rate_pct <= 0:
        return None
    found = computed(platform, m)
    if found is None or not found.rate:
        return None
    ours = found.rate * 100
    ratio = max(ours, m.reported_rate_pct) / min(ours, m.reported_rate_pct)
    return (m.reported_rate_pct, ours) if ratio > DISAGREEMENT else None
