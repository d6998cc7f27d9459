"""A member's posts and their metric snapshots.

Snapshots hold cumulative numbers (a post's likes so far), so a new one is written only
when a number changed: re-importing the same file, or re-sending the same figures, is a
no-op, and the history shows when the numbers actually moved. A figure the new record
leaves unknown carries over from the previous snapshot, as creator snapshots do.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...influence.errors import UserError
from ...influence.kpis import NUMBER_FIELDS, PostNumbers
from ...influence.platforms import Platform
from .store import MemberView
from ..models import Post, PostSnapshot, utcnow

POST_EXAMPLE = '/influencer campaign post "Vegan baking launch" veganbakes https://www.instagram.com/p/C0abc123/'
MAX_URL = 500
KINDS = ("feed", "story", "video", "reel")
_HOSTS = {"instagram.com": Platform.INSTAGRAM, "instagr.am": Platform.INSTAGRAM, "tiktok.com": Platform.TIKTOK,
          "youtube.com": Platform.YOUTUBE, "youtu.be": Platform.YOUTUBE}


def parse_post_url(raw: str) -> tuple[str, Platform | None, str]:
    """A post URL -> (the URL, the platform its host names or None, the post kind it implies)."""
    url = raw.strip().strip("<>")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise UserError(f"“{url[:60]}” is not a web address: give the post's link, starting with https://.",
                        POST_EXAMPLE)
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        raise UserError("That link is too long or contains spaces; copy the post's link again.", POST_EXAMPLE)
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.").removeprefix("vm.")
    platform = _HOSTS.get(host)
    path = parts.path.lower()
    if "/stories/" in path:
        kind = "story"
    elif "/reel" in path:
        kind = "reel"
    elif platform in (Platform.TIKTOK, Platform.YOUTUBE):
        kind = "video"
    else:
        kind = "feed"
    return url, platform, kind


def find_post(session: Session, team_id: str, url: str) -> Post | None:
    return session.scalar(select(Post).where(Post.team_id == team_id, Post.url == url))


def add_post(session: Session, team_id: str, member: MemberView, url: str, *, kind: str | None = None,
             planned_date: date | None = None, posted_at: datetime | None = None) -> tuple[Post, bool]:
    """Record a member's post at `url`; (post, False) when that URL is already this member's post.

    The platform comes from the URL's host when it names one, else from the creator.
    A URL already recorded for another creator or campaign is a UserError.
    """
    url, from_host, implied_kind = parse_post_url(url)
    platform = from_host.value if from_host else member.creator.platform
    if from_host and from_host.value != member.creator.platform:
        raise UserError(f"That link is a {from_host.label} post, but @{member.creator.handle} is a "
                        f"{Platform(member.creator.platform).label} creator in this campaign.", POST_EXAMPLE)
    existing = find_post(session, team_id, url)
    if existing is not None:
        if existing.member_id != member.member.id:
            raise UserError("That link is already recorded as another creator's (or another campaign's) post.")
        if posted_at is not None and existing.posted_at is None:
            existing.posted_at = posted_at
        return existing, False
    post = Post(team_id=team_id, campaign_id=member.member.campaign_id, member_id=member.member.id,
                platform=platform, url=url, kind=kind or implied_kind, planned_date=planned_date, posted_at=posted_at)
    session.add(post)
    session.flush()
    return post, True


def record_snapshot(session: Session, team_id: str, post: Post, numbers: PostNumbers, *, source: str,
                    captured_at: datetime | None = None) -> bool:
    """Write a snapshot unless nothing changed since the latest one at or before `captured_at`; True if written."""
    if numbers.is_empty():
        return False
    captured_at = captured_at or utcnow()
    latest = session.scalar(
        select(PostSnapshot).where(PostSnapshot.post_id == post.id, PostSnapshot.captured_at <= captured_at)
        .order_by(PostSnapshot.captured_at.desc(), PostSnapshot.id.desc()).limit(1))
    values = {}
    for name in NUMBER_FIELDS:
        value = getattr(numbers, name)
        values[name] = value if value is not None or latest is None else getattr(latest, name)
    if latest is not None and all(getattr(latest, n) == v for n, v in values.items()):
        return False
    session.add(PostSnapshot(team_id=team_id, post_id=post.id, captured_at=captured_at, source=source, **values))
    session.flush()
    return True
