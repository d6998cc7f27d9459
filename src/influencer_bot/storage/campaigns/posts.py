"""A member's posts and their metric snapshots.

A post is known by its link: a recognised YouTube, Instagram or TikTok link gives the post's
platform and id (so the sync can refresh its numbers) and one canonical URL, so the same post
pasted twice with other tracking parameters is one post.

Snapshots hold cumulative numbers (a post's likes so far), so a new one is written only
when a number changed: re-importing the same file, or re-sending the same figures, is a
no-op, and the history shows when the numbers actually moved. A figure the new record
leaves unknown carries over from the previous snapshot, as creator snapshots do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.errors import NotFound, UserError
from ...influence.kpis import NUMBER_FIELDS, PostNumbers
from ...influence.platforms import Platform
from ...influence.handles import HOST_PLATFORM
from ...influence.post_urls import MAX_URL, PostUrl, PostUrlError, parse_post_url
from . import store
from .store import MemberView, attach_example
from ..creators.records import normalize_handle
from ..models import Campaign, Post, PostSnapshot, utcnow

POST_EXAMPLE = '/influencer campaign post "Vegan baking launch" https://www.instagram.com/reel/C0abc123xyz/'
HANDLE_EXAMPLE = '/influencer campaign post "Vegan baking launch" veganbakes https://www.instagram.com/p/C0abc123xyz/'
KINDS = ("feed", "story", "video", "reel")


@dataclass(frozen=True, slots=True)
class StoredUrl:
    """What a post keeps of its link: the URL, the platform and post id when recognised, the kind implied."""

    url: str
    platform: Platform | None
    kind: str
    external_id: str | None


def read_url(raw: str) -> StoredUrl:
    """A recognised post link (influence/post_urls.py) becomes its canonical URL and post id. Any other
    web address is kept as given, with no id (a posts file may list a blog post or a link the parser
    does not know: recorded, but never refreshed by the sync); a non-address is a UserError."""
    try:
        link = parse_post_url(raw)
        return StoredUrl(link.url, link.platform, link.kind, link.post_id)
    except PostUrlError:
        pass
    url = raw.strip().strip("<>")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise UserError(f"“{url[:60]}” is not a web address: give the post's link, starting with https://.",
                        POST_EXAMPLE)
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        raise UserError("That link is too long or contains spaces; copy the post's link again.", POST_EXAMPLE)
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.").removeprefix("vm.")
    platform = HOST_PLATFORM.get(host)
    path = parts.path.lower()
    kind = ("story" if "/stories/" in path else "reel" if "/reel" in path
            else "video" if platform in (Platform.TIKTOK, Platform.YOUTUBE) else "feed")
    return StoredUrl(url, platform, kind, None)


def set_url(post: Post, link: StoredUrl) -> None:
    """Give a post its link (a planned post going live, or one recorded before links were read)."""
    post.url = post.url or link.url
    if link.external_id is not None:
        post.external_id = link.external_id


def find_post(session: Session, team_id: str, url: str) -> Post | None:
    """The post this link points to: the same post id (whatever tracking parameters the link
    carries), else the same URL, as stored now or as pasted before links were read."""
    link = read_url(url)
    post = None
    if link.external_id is not None and link.platform is not None:
        post = session.scalar(select(Post).where(Post.team_id == team_id, Post.platform == link.platform.value,
                                                 Post.external_id == link.external_id).order_by(Post.id).limit(1))
    if post is None:
        post = session.scalar(select(Post).where(Post.team_id == team_id, Post.url.in_({link.url, url.strip()}))
                              .order_by(Post.id).limit(1))
        if post is not None and post.external_id is None:
            set_url(post, link)  # recorded before links were read: it gets its id now
    return post


def add_post(session: Session, team_id: str, member: MemberView, url: str, *, kind: str | None = None,
             planned_date: date | None = None, posted_at: datetime | None = None) -> tuple[Post, bool]:
    """Record a member's post at `url`; (post, False) when that post is already this member's.

    The platform comes from the link when it names one, else from the creator; a link of
    another platform than the creator's, or one already recorded for another creator or
    campaign, is a UserError.
    """
    link = read_url(url)
    platform = link.platform.value if link.platform else member.creator.platform
    if link.platform and link.platform.value != member.creator.platform:
        raise UserError(f"That link is {_a(link.platform.label)} post, but @{member.creator.handle} is "
                        f"{_a(Platform(member.creator.platform).label)} creator in this campaign.", HANDLE_EXAMPLE)
    existing = find_post(session, team_id, url)
    if existing is None:
        post = Post(team_id=team_id, campaign_id=member.member.campaign_id, member_id=member.member.id,
                    platform=platform, url=link.url, external_id=link.external_id, kind=kind or link.kind,
                    planned_date=planned_date, posted_at=posted_at)
        try:
            with session.begin_nested():
                session.add(post)
            return post, True
        except IntegrityError:  # the same link recorded at the same moment by another request
            existing = find_post(session, team_id, url)
            if existing is None:
                raise
    if existing.member_id != member.member.id:
        raise UserError("That link is already recorded as another creator's (or another campaign's) post.")
    if posted_at is not None and existing.posted_at is None:
        existing.posted_at = posted_at
    return existing, False


def _a(label: str) -> str:
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


def member_for_post(session: Session, team_id: str, campaign: Campaign, link: PostUrl,
                    handle: str | None = None) -> MemberView:
    """Whose post a link is: the handle given, else the one the link names (TikTok's @user), else
    the campaign's only member on the link's platform; otherwise a UserError listing the members."""
    label = link.platform.label
    everyone = store.members(session, team_id, campaign.id)
    wanted = normalize_handle(handle) if handle is not None else link.handle
    if wanted is not None:
        found = [m for m in everyone if m.creator.handle == wanted]
        for m in found:
            if m.creator.platform == link.platform.value:
                return m
        if found:
            platforms = " and ".join(Platform(m.creator.platform).label for m in found)
            others = ", ".join(f"@{m.creator.handle}" for m in everyone if m.creator.platform == link.platform.value)
            raise UserError(f"That link is {_a(label)} post, but @{wanted} is {_a(platforms)} creator in "
                            f"“{campaign.name}” ({label} members: {others or 'none'}).", HANDLE_EXAMPLE)
        if handle is not None:
            return store.find_member(session, team_id, campaign, wanted)  # raises NotFound, listing the members
    same = [m for m in everyone if m.creator.platform == link.platform.value]
    names = ", ".join(f"@{m.creator.handle}" for m in same[:15])
    example = f'/influencer campaign post "{campaign.name}" <handle> {link.url}'
    if wanted is not None:
        raise NotFound(f"That link is @{wanted}'s {label} post, but @{wanted} is not a {label} member of "
                       f"“{campaign.name}” ({label} members: {names or 'none'}). If the post is a member's, "
                       "give their handle before the link.", example)
    if len(same) == 1:
        return same[0]
    if not same:
        others = ", ".join(f"@{m.creator.handle} ({Platform(m.creator.platform).label})" for m in everyone[:15])
        raise NotFound(f"“{campaign.name}” has no {label} member for this {label} post (members: "
                       f"{others or 'none yet'}). Creators join a campaign when approved on a shortlist "
                       "attached to it.", attach_example(campaign))
    raise UserError(f"“{campaign.name}” has {len(same)} {label} members ({names}): say whose post it is by "
                    "giving their handle before the link.", example)


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
