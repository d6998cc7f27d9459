"""What `/influencer sync status` shows for one workspace: per platform, whether it can sync and
why not, how many creators it has and how many were never synced, its last runs and quota left."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Creator, SyncRun
from . import runs
from .configured import ORDER, SyncPlatforms


@dataclass(frozen=True, slots=True)
class PlatformStatus:
    platform: str
    why_not: str | None  # None when configured
    creators: int
    never_synced: int
    last_creators: SyncRun | None
    last_posts: SyncRun | None
    quota_left: int | None


def sync_status(session: Session, team_id: str, platforms: SyncPlatforms,
                quota_left: Mapping[str, int | None]) -> list[PlatformStatus]:
    """`quota_left` is read by the caller before this session opens: the ledger uses its own
    session, and SQLite lets one transaction write at a time."""
    counts = {platform: (total, never or 0) for platform, total, never in session.execute(
        select(Creator.platform, func.count(), func.sum(case((Creator.synced_at.is_(None), 1), else_=0)))
        .where(Creator.team_id == team_id).group_by(Creator.platform))}
    found = []
    for platform in ORDER:
        configured = platform in platforms.connections
        total, never = counts.get(platform, (0, 0))
        found.append(PlatformStatus(
            platform, None if configured else platforms.unconfigured.get(platform, "not configured"), total, never,
            runs.last_run(session, team_id, platform, runs.CREATORS), runs.last_run(session, team_id, platform, runs.POSTS),
            quota_left.get(platform)))
    return found

