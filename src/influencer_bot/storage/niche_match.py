"""Which creators of a workspace match a niche, and how well (relevance in [0, 1]).

A creator matches through its topics, hashtags, category and bio. Each niche word is
reduced to a stem so plurals and verb forms match ("bakes", "baking"); a creator
matching every word ranks above one matching some.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..influence.platforms import Platform
from ..influence.tiers import Tier, TierThresholds
from .creators import CreatorView
from .models import Creator, MetricSnapshot


def stem(word: str) -> str:
    """A crude English stem: enough to let "bakes", "baking" and "baker" meet at "bak"."""
    w = word.lower()
    for suffix in ("ings", "ing", "ers", "er", "es", "ed", "s"):
        if len(w) - len(suffix) >= 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True, slots=True)
class Match:
    view: CreatorView
    relevance: float


def _haystack(c: Creator) -> str:
    return " ".join(filter(None, (c.topics, c.category, c.bio))).lower()


def match_niche(session: Session, team_id: str, words: Sequence[str], *, platform: Platform | None = None,
                tier: Tier | None = None, thresholds: TierThresholds = TierThresholds()) -> list[Match]:
    stems = list(dict.fromkeys(stem(w) for w in words if w.strip()))
    if not stems:
        return []
    text = func.lower(func.coalesce(Creator.topics, "") + " " + func.coalesce(Creator.category, "") + " "
                      + func.coalesce(Creator.bio, ""))
    query = (select(Creator, MetricSnapshot)
             .outerjoin(MetricSnapshot, MetricSnapshot.id == Creator.latest_metrics_id)
             .where(Creator.team_id == team_id, or_(*(text.contains(s, autoescape=True) for s in stems))))
    if platform is not None:
        query = query.where(Creator.platform == platform.value)
    if tier is not None:
        low, high = thresholds.bounds(tier)
        query = query.where(Creator.followers >= low)
        if high is not None:
            query = query.where(Creator.followers < high)
    matches = []
    for creator, snap in session.execute(query):
        hay = _haystack(creator)
        hits = sum(1 for s in stems if s in hay)
        matches.append(Match(CreatorView(creator, snap), hits / len(stems)))
    return matches
