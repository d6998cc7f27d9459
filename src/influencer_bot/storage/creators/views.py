"""Reading creators with their current numbers and follower history, within one workspace.

A `CreatorView` is a creator row with its newest metric snapshot: what the card, the export,
the search index and the shortlist all read, so that they show the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...influence.engagement import Metrics
from ...influence.flags import FollowerPoint
from ...influence.platforms import Platform
from ...influence.profile import CreatorFacts
from .. import unmapped
from ..models import Creator, MetricSnapshot
from .records import normalize_handle

HISTORY_LIMIT = 60  # follower snapshots a creator is judged on: card, export and search alike


@dataclass(frozen=True, slots=True)
class CreatorView:
    """A creator with its current numbers, as the domain needs them."""

    creator: Creator
    latest: MetricSnapshot | None

    def facts(self, history: Sequence[tuple[datetime, int]] = ()) -> CreatorFacts:
        s = self.latest
        c = self.creator
        metrics = Metrics(
            followers=c.followers if c.followers is not None else (s.followers if s else None),
            following=c.following if c.following is not None else (s.following if s else None),
            avg_likes=s.avg_likes if s else None, avg_comments=s.avg_comments if s else None,
            avg_shares=s.avg_shares if s else None, avg_saves=s.avg_saves if s else None,
            avg_views=s.avg_views if s else None, posts_sampled=s.posts_sampled if s else None,
            reported_rate_pct=s.reported_rate_pct if s else None,
            rate_window_days=s.rate_window_days if s else None,
            avg_engagements=s.avg_engagements if s else None,
            avg_authentic_engagements=s.avg_authentic_engagements if s else None,
        )
        return CreatorFacts(Platform(c.platform), c.handle, metrics, c.quoted_price_cents, tuple(history),
                            posts_per_week=s.posts_per_week if s else None,
                            sponsored_share=s.sponsored_share if s else None)


def view_query(team_id: str):  # type: ignore[no-untyped-def]
    return (select(Creator, MetricSnapshot)
            .outerjoin(MetricSnapshot, MetricSnapshot.id == Creator.latest_metrics_id)
            .where(Creator.team_id == team_id))


def find_by_handle(session: Session, team_id: str, handle: str, platform: Platform | None = None) -> list[CreatorView]:
    """All creators with this handle (one per platform unless `platform` narrows it)."""
    query = view_query(team_id).where(Creator.handle == normalize_handle(handle))
    if platform is not None:
        query = query.where(Creator.platform == platform.value)
    return [CreatorView(c, s) for c, s in session.execute(query.order_by(Creator.followers.desc().nulls_last()))]


def similar_handles(session: Session, team_id: str, handle: str, limit: int = 3) -> list[str]:
    """Handles that start like the one asked for, for a "did you mean" hint."""
    prefix = normalize_handle(handle)[:4]
    rows = session.scalars(
        select(Creator.handle).where(Creator.team_id == team_id, Creator.handle.startswith(prefix, autoescape=True))
        .order_by(Creator.followers.desc().nulls_last()).limit(limit)
    )
    return list(dict.fromkeys(rows))


def follower_history(session: Session, team_id: str, creator_id: int,
                     limit: int = HISTORY_LIMIT) -> list[FollowerPoint]:
    rows = session.execute(
        select(MetricSnapshot.captured_at, MetricSnapshot.followers, MetricSnapshot.source)
        .where(MetricSnapshot.team_id == team_id, MetricSnapshot.creator_id == creator_id,
               MetricSnapshot.followers.is_not(None))
        .order_by(MetricSnapshot.captured_at.desc()).limit(limit)
    )
    return sorted(FollowerPoint(t, f, source) for t, f, source in rows)


def follower_histories(session: Session, team_id: str, ids: Sequence[int]) -> dict[int, list[FollowerPoint]]:
    """follower_history of many creators in one query: the newest HISTORY_LIMIT each, oldest first."""
    found: dict[int, list[FollowerPoint]] = defaultdict(list)
    rows = session.execute(
        select(MetricSnapshot.creator_id, MetricSnapshot.captured_at, MetricSnapshot.followers, MetricSnapshot.source)
        .where(MetricSnapshot.team_id == team_id, MetricSnapshot.creator_id.in_(ids),
               MetricSnapshot.followers.is_not(None))
        .order_by(MetricSnapshot.creator_id, MetricSnapshot.captured_at.desc()),
        execution_options=unmapped.options(session),
    )
    for creator_id, captured_at, followers, source in rows:
        if len(found[creator_id]) < HISTORY_LIMIT:
            found[creator_id].append(FollowerPoint(captured_at, followers, source))
    return {cid: sorted(points) for cid, points in found.items()}


def iter_views(session: Session, team_id: str, batch: int = 2_000) -> Iterator[CreatorView]:
    """Every creator of a workspace, streamed in id order (for export)."""
    last_id = 0
    while True:
        rows = session.execute(view_query(team_id).where(Creator.id > last_id).order_by(Creator.id).limit(batch)).all()
        if not rows:
            return
        for c, s in rows:
            yield CreatorView(c, s)
        last_id = rows[-1][0].id
        session.expunge_all()


def count_creators(session: Session, team_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Creator).where(Creator.team_id == team_id)) or 0
