"""A fetched profile's numbers, as a metric snapshot holds them.

Averages per post come from the recent posts the platform returned:
- a post *has numbers* when it reports at least one of views, likes, comments or shares;
  `posts_sampled` counts those posts;
- each average is taken over the sampled posts that report that figure, so a post with hidden
  likes lowers no one's average, and a figure no post reports stays unknown (None), never zero;
- posting frequency and sponsored share (influence/activity.py) use every recent post,
  numbers or not: a post with hidden likes is still a post, and still may be an ad.

The engagement rate is not stored: it is computed from these averages by the platform's own
method wherever a creator is shown (influence/engagement.py), as for imported numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ...influence.activity import RecentPost, posts_per_week, sponsored_share
from .fetched import FetchedPost, FetchedProfile

#: the snapshot columns a sync writes; a synced snapshot holds only what the platform said
SNAPSHOT_FIELDS = ("followers", "following", "avg_likes", "avg_comments", "avg_shares", "avg_views",
                   "posts_sampled", "posts_per_week", "sponsored_share")
_POST_FIGURES = ("views", "likes", "comments", "shares")
#: posts per week is measured up to now, so it drifts between two runs over the same posts;
#: a drift smaller than this share of the previous value alone is not a change worth a snapshot
PPW_DRIFT = 0.1


def _mean(posts: Sequence[FetchedPost], figure: str) -> float | None:
    values = [getattr(p, figure) for p in posts if getattr(p, figure) is not None]
    return sum(values) / len(values) if values else None


def measure(profile: FetchedProfile, now: datetime) -> dict[str, float | int | None]:
    """The snapshot values this profile gives (see the module docstring for the rules)."""
    sampled = [p for p in profile.recent_posts if any(getattr(p, f) is not None for f in _POST_FIGURES)]
    recent = [RecentPost(p.published_at, p.caption, p.paid_partnership) for p in profile.recent_posts]
    ppw = posts_per_week(recent, now)
    return {
        "followers": profile.followers,
        "following": profile.following,
        "avg_likes": _mean(sampled, "likes"),
        "avg_comments": _mean(sampled, "comments"),
        "avg_shares": _mean(sampled, "shares"),
        "avg_views": _mean(sampled, "views"),
        "posts_sampled": len(sampled) if profile.recent_posts else None,
        "posts_per_week": None if ppw is None else round(ppw, 3),
        "sponsored_share": sponsored_share(recent),
    }


def is_empty(values: dict[str, float | int | None]) -> bool:
    return all(v is None for v in values.values())


def same_numbers(values: dict[str, float | int | None], latest: object | None) -> bool:
    """True when the latest snapshot already says this: a re-run over unchanged platform data
    writes no snapshot. Compared field by field (None included), except posts per week, which
    only counts as changed past PPW_DRIFT."""
    if latest is None:
        return False
    for name, value in values.items():
        old = getattr(latest, name)
        if name == "posts_per_week" and value is not None and old is not None:
            if abs(value - old) > PPW_DRIFT * old:
                return False
        elif old != value:
            return False
    return True
