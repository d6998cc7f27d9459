"""YouTube Data API v3 resources (channels, videos, API errors) read into plain data.

What YouTube gives and what it does not, as read here:
- Counts are JSON strings. A hidden subscriber count (`hiddenSubscriberCount`) is None, never 0;
  a missing `likeCount` (likes hidden) or `commentCount` (comments disabled) is None, never 0.
- Public subscriber counts are rounded down to three significant figures by YouTube.
- Shares and the paid-promotion flag are not public (`paidProductPlacementDetails` is for the
  video's owner only): `shares` and `paid_partnership` stay None, and the sponsored share is read
  from `#ad`-style markers in the title and description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from .answers import as_int
from .fetched import FetchedPost

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
# A refused key: invalid, expired, API not enabled for the key's project, key restrictions.
KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked", "forbidden",
                         "API_KEY_INVALID", "API_KEY_EXPIRED", "SERVICE_DISABLED", "API_KEY_SERVICE_BLOCKED",
                         "API_KEY_HTTP_REFERRER_BLOCKED", "API_KEY_IP_ADDRESS_BLOCKED"})


@dataclass(frozen=True, slots=True)
class Channel:
    """What the sync keeps of a `youtube#channel`: enough for a profile and for its uploads."""

    id: str
    handle: str | None  # customUrl without "@", as YouTube shows it
    title: str | None
    description: str | None
    country: str | None
    subscribers: int | None  # None when hidden
    videos: int | None
    topics: tuple[str, ...]
    uploads: str | None  # the uploads playlist id


def topic_name(url: str) -> str:
    """`https://en.wikipedia.org/wiki/Lifestyle_(sociology)` -> `Lifestyle (sociology)`."""
    return unquote(url.rsplit("/", 1)[-1]).replace("_", " ")


def read_channel(item: dict[str, Any]) -> Channel:
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    hidden = bool(stats.get("hiddenSubscriberCount"))
    custom = snippet.get("customUrl") or ""
    return Channel(
        id=item["id"],
        handle=custom.lstrip("@") or None,
        title=snippet.get("title"),
        description=snippet.get("description") or None,
        country=snippet.get("country"),
        subscribers=None if hidden else as_int(stats.get("subscriberCount")),
        videos=as_int(stats.get("videoCount")),
        topics=tuple(topic_name(u) for u in (item.get("topicDetails") or {}).get("topicCategories") or ()),
        uploads=((item.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads") or None,
    )


def read_video(item: dict[str, Any]) -> FetchedPost:
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    caption = "\n".join(t for t in (snippet.get("title"), snippet.get("description")) if t) or None
    return FetchedPost(
        external_id=item["id"],
        published_at=_when(snippet.get("publishedAt")),
        views=as_int(stats.get("viewCount")),
        likes=as_int(stats.get("likeCount")),
        comments=as_int(stats.get("commentCount")),
        caption=caption,
        url=f"https://www.youtube.com/watch?v={item['id']}",
    )


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def error_reason(body: Any) -> str:
    """The most specific reason in a Google error body (`quotaExceeded`, `keyInvalid`,
    `API_KEY_INVALID`…), or "" when the body is not one."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ""
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    for item in error.get("errors") or ():
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return str(error.get("status") or "")
