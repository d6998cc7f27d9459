"""What a creator is worth to a shortlist, per post, before relevance: computed once when
the creator is written (and again by `influencer-bot db rescore`), so a search over a
million creators reads a few numbers per creator instead of building a Profile for each.

    value = expected per post × quality × relevance

- expected per post, goal engagement: the creator's interactions per post, with the rate
  shrunk toward its platform-and-tier median when measured on few posts:
  rate' = (n·rate + 3·median) / (n + 3), n = posts sampled (0 when unknown), so one lucky
  post does not buy a place; expected = interactions × rate' / rate.
  Goal reach: expected impressions per post (views, else followers as an upper-bound proxy).
- quality: 1.0, halved for each warning flag (possible engagement pods, follow-for-follow):
  numbers we have reason to doubt count for less; × 0.5 for an inactive account (it may not
  post, and its figures describe an audience it no longer feeds) and × 0.7 for an
  ad-saturated feed (its audience is still reached, but answers one more ad less). Unknown
  activity changes nothing. Blocking flags exclude the creator.
- relevance (query time, 0-1): see relevance() below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .benchmarks import benchmark
from .flags import AD_SATURATED, INACTIVE, Severity
from .profile import Profile

SHRINK_POSTS = 3
WARNING_FACTOR = 0.5
ACTIVITY_FACTORS = {INACTIVE: 0.5, AD_SATURATED: 0.7}  # flag code -> its own discount, instead of WARNING_FACTOR
ACTIVITY_LABELS = {INACTIVE: "inactive", AD_SATURATED: "ad-saturated feed"}

BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Score:
    price_cents: int | None
    engagements: float | None  # expected engagements per post × quality
    impressions: float | None  # expected impressions per post × quality
    er_pct: float | None
    tier: str | None
    exclusion: str | None  # BLOCKED, or None


def quality_factor(profile: Profile) -> float:
    factor = 1.0
    for f in profile.flags:
        if f.code in ACTIVITY_FACTORS:
            factor *= ACTIVITY_FACTORS[f.code]
        elif f.severity is Severity.WARNING:
            factor *= WARNING_FACTOR
    return factor


def activity_discounts(profile: Profile) -> list[tuple[str, float]]:
    """(label, factor) of each activity discount in the quality factor, for a shortlist's "why"."""
    return [(ACTIVITY_LABELS[f.code], ACTIVITY_FACTORS[f.code]) for f in profile.flags if f.code in ACTIVITY_FACTORS]


def shrunk_engagements(profile: Profile) -> float | None:
    """Interactions per post, the rate pulled toward the tier median when few posts back it."""
    eng = profile.engagement
    interactions = eng.interactions_per_post
    if interactions is None or not eng.rate or eng.posts_sampled is not None and eng.posts_sampled >= SHRINK_POSTS:
        return interactions
    bench = benchmark(profile.facts.platform, profile.tier)
    if bench is None:
        return interactions
    n = eng.posts_sampled or 0
    shrunk = (n * eng.rate + SHRINK_POSTS * bench.median_pct / 100) / (n + SHRINK_POSTS)
    return interactions * shrunk / eng.rate


def score(profile: Profile) -> Score:
    q = quality_factor(profile)
    engagements = shrunk_engagements(profile)
    impressions = profile.expected_impressions
    return Score(
        price_cents=profile.price.cents if profile.price else None,
        engagements=None if engagements is None else engagements * q,
        impressions=None if impressions is None else impressions * q,
        er_pct=profile.engagement.rate_pct,
        tier=profile.tier.value if profile.tier else None,
        exclusion=BLOCKED if profile.blocked else None,
    )


def relevance(word_weights: Sequence[int]) -> float:
    """Relevance in [0, 1] from each niche word's best field weight (terms.WEIGHT_*, 0 = absent).

    Every word matched: the mean weight / 100, in [0.6, 1]. Only some: half of that mean
    over all words, below 0.5, so a creator matching every word always ranks above one
    matching some, whatever the fields."""
    if not word_weights:
        return 0.0
    mean = sum(word_weights) / (100 * len(word_weights))
    return mean if all(word_weights) else 0.5 * mean
