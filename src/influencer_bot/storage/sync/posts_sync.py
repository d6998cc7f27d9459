"""Refreshing a workspace's live campaign posts on one platform, on the cadence of cadence.py.

A post takes part when it has the platform's post id (`external_id`, read from its URL) and is
live; stories are left out (they vanish after a day and no API here reads another account's). Each answer becomes a post snapshot with the platform as its source, unless the numbers
are the latest snapshot's (storage/campaigns/posts.record_snapshot: cumulative numbers, a
figure the platform leaves out carries over). A post the platform reports deleted or private is
marked so and keeps its last numbers; it is not asked for again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from ...influence.kpis import PostNumbers
from ..campaigns.posts import record_snapshot
from ..models import CampaignMember, Creator, Post
from . import runs
from .batches import Ended, WriteOne, run_batches
from .cadence import DAILY_UNTIL, refresh_due
from .fetched import FetchedPost, Missing, PlatformClient, PostRef

BATCH = 50
GONE = ("deleted", "private")  # Post.status values a platform answer can set


def due_posts(session: Session, team_id: str, platform: str, *, now: datetime) -> list[PostRef]:
    live_since = func.coalesce(Post.posted_at, Post.created_at)
    rows = session.execute(
        select(Post.id, Post.external_id, Post.posted_at, Post.created_at, Post.last_synced_at, Creator.handle)
        .join(CampaignMember, CampaignMember.id == Post.member_id)
        .join(Creator, Creator.id == CampaignMember.creator_id)
        .where(Post.team_id == team_id, Post.platform == platform, Post.external_id.is_not(None),
               Post.status == "live", Post.kind != "story", live_since <= now,
               or_(Post.last_synced_at.is_(None), live_since > now - DAILY_UNTIL))
        .order_by(Post.last_synced_at.asc().nulls_first(), Post.id))
    return [PostRef(post_id, external_id, handle) for post_id, external_id, posted, created, synced, handle in rows
            if refresh_due(posted or created, synced, now)]


def refresh_posts(factory: sessionmaker[Session], team_id: str, client: PlatformClient, refs: list[PostRef], *,
                  run_id: int, tally: runs.Tally, clock: Callable[[], datetime], batch_size: int = BATCH) -> Ended:
    def prepare(session: Session, results: list) -> WriteOne:
        ids = [ref.post_id for ref, _ in results]
        posts = {p.id: p for p in session.scalars(select(Post).where(Post.team_id == team_id, Post.id.in_(ids)))}

        def write_one(session: Session, ref: PostRef, answer: object, now: datetime) -> str | None:
            post = posts.get(ref.post_id)
            if post is None:
                return "not_found"  # removed from its campaign while the batch was in flight
            if isinstance(answer, Missing):
                if answer.reason in GONE:
                    post.status = answer.reason
                if answer.reason != "error":
                    post.last_synced_at = now
                return answer.reason
            assert isinstance(answer, FetchedPost)
            numbers = PostNumbers(views=answer.views, likes=answer.likes, comments=answer.comments,
                                  shares=answer.shares)
            record_snapshot(session, team_id, post, numbers, source=client.platform, captured_at=now)
            if post.posted_at is None and answer.published_at is not None:
                post.posted_at = answer.published_at
            post.last_synced_at = now
            return None
        return write_one

    return run_batches(factory, refs, client.fetch_posts, prepare=prepare, platform=client.platform,
                       label=lambda r: f"post {r.external_id}", run_id=run_id, tally=tally, clock=clock,
                       batch_size=batch_size)
