"""`CreatorRecord`: one creator as an import or a platform sync delivers it.

Plain data, shared by the CSV importer, demo data and platform sync, so that all of
them write creators through the same upsert. None always means "unknown here".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from ...influence.engagement import Metrics
from ...influence.errors import UserError
from ...influence.platforms import Platform

_HANDLE_BAD = re.compile(r"[\x00-\x1f\x7f<>]")


def normalize_handle(raw: str) -> str:
    """`@VeganBakes ` -> `veganbakes`: how handles are stored and looked up."""
    handle = " ".join(raw.strip().lstrip("@").split()).lower()
    if not handle:
        raise UserError("The handle is empty.", "/influencer creator veganbakes")
    if len(handle) > 100 or _HANDLE_BAD.search(handle):
        raise UserError(f"“{raw.strip()[:40]}” is not a valid handle.", "/influencer creator veganbakes")
    return handle


@dataclass(slots=True)
class CreatorRecord:
    platform: Platform
    handle: str
    display_name: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_total: int | None = None
    avg_likes: float | None = None
    avg_comments: float | None = None
    avg_shares: float | None = None
    avg_saves: float | None = None
    avg_views: float | None = None
    posts_sampled: int | None = None
    reported_rate_pct: float | None = None
    rate_window_days: int | None = None
    avg_engagements: float | None = None
    avg_authentic_engagements: float | None = None
    topics: str | None = None
    category: str | None = None
    bio: str | None = None
    country: str | None = None
    audience_country: str | None = None
    platform_id: str | None = None  # the platform's own id (a YouTube channel id), exact case
    language: str | None = None
    quoted_price_cents: int | None = None
    email: str | None = None

    @property
    def metrics(self) -> Metrics:
        return Metrics(
            followers=self.followers, following=self.following, avg_likes=self.avg_likes,
            avg_comments=self.avg_comments, avg_shares=self.avg_shares, avg_saves=self.avg_saves,
            avg_views=self.avg_views, posts_sampled=self.posts_sampled, reported_rate_pct=self.reported_rate_pct,
            rate_window_days=self.rate_window_days, avg_engagements=self.avg_engagements,
            avg_authentic_engagements=self.avg_authentic_engagements,
        )


#: creator columns an import may set; None in a record leaves the stored value alone
PROFILE_FIELDS = (
    "display_name", "followers", "following", "posts_total", "topics", "category", "bio",
    "country", "language", "quoted_price_cents", "email", "audience_country", "platform_id",
)
#: numbers that make a metric snapshot
METRIC_FIELDS = (
    "followers", "following", "avg_likes", "avg_comments", "avg_shares", "avg_saves", "avg_views",
    "posts_sampled", "reported_rate_pct", "rate_window_days", "avg_engagements", "avg_authentic_engagements",
)
assert set(PROFILE_FIELDS) | set(METRIC_FIELDS) <= {f.name for f in fields(CreatorRecord)}
