"""Refreshing a workspace's creators on one platform, batch by batch.

Which creators: those never synced first, then the longest unsynced, among those whose last
sync is older than `stale_after`, up to `limit`. So a run the day's quota cut short resumes,
the next day, with the creators it did not reach.

The batch loop, its transactions and its failure rules are those of batches.run_batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...influence.flags import QualityRules
from ...influence.tiers import TierThresholds
from ..models import Creator, MetricSnapshot
from ..search.indexer import index_creators
from . import runs
from .apply import apply_missing, apply_profile
from .batches import Ended, WriteOne, run_batches
from .fetched import CreatorRef, Missing, PlatformClient

BATCH = 50  # YouTube's channels.list takes 50 ids a call


@dataclass(frozen=True, slots=True)
class Scoring:
    """The settings a re-indexed creator is scored with (the same as the card's)."""

    thresholds: TierThresholds = TierThresholds()
    rules: QualityRules = QualityRules()


def stale_creators(session: Session, team_id: str, platform: str, *, now: datetime, stale_after: timedelta,
                   limit: int | None = None, creator_ids: list[int] | None = None) -> list[CreatorRef]:
    query = select(Creator.id, Creator.handle, Creator.platform_id).where(
        Creator.team_id == team_id, Creator.platform == platform)
    if creator_ids is not None:
        query = query.where(Creator.id.in_(creator_ids))
    else:
        cutoff = now - stale_after
        query = query.where((Creator.synced_at.is_(None)) | (Creator.synced_at <= cutoff))
    query = query.order_by(Creator.synced_at.asc().nulls_first(), Creator.id).limit(limit)
    return [CreatorRef(i, h, p) for i, h, p in session.execute(query)]


def refresh_creators(factory: sessionmaker[Session], team_id: str, client: PlatformClient, refs: list[CreatorRef],
                     *, run_id: int, tally: runs.Tally, clock: Callable[[], datetime], scoring: Scoring = Scoring(),
                     batch_size: int = BATCH) -> Ended:
    """Fetch and write these creators; the tally counts as it goes, and is in the run row after each batch."""
    touched: list[int] = []

    def prepare(session: Session, results: list) -> WriteOne:
        ids = [ref.creator_id for ref, _ in results]
        creators = {c.id: c for c in session.scalars(select(Creator).where(Creator.team_id == team_id,
                                                                           Creator.id.in_(ids)))}
        snapshot_ids = [c.latest_metrics_id for c in creators.values() if c.latest_metrics_id is not None]
        latest = {s.id: s for s in session.scalars(select(MetricSnapshot).where(
            MetricSnapshot.team_id == team_id, MetricSnapshot.id.in_(snapshot_ids)))} if snapshot_ids else {}
        touched.clear()

        def write_one(session: Session, ref: CreatorRef, answer: object, now: datetime) -> str | None:
            creator = creators.get(ref.creator_id)
            if creator is None:
                return "not_found"  # deleted from the workspace while the batch was in flight
            if isinstance(answer, Missing):
                apply_missing(creator, answer, now=now)
                return answer.reason
            if apply_profile(session, creator, answer, latest=latest.get(creator.latest_metrics_id),
                             source=client.platform, now=now):
                touched.append(creator.id)
            return None
        return write_one

    def reindex(session: Session) -> None:  # shortlists and search see the new numbers at once
        if touched:
            index_creators(session, team_id, touched, thresholds=scoring.thresholds, rules=scoring.rules)

    return run_batches(factory, refs, client.fetch_profiles, prepare=prepare, finish_batch=reindex,
                       platform=client.platform, label=lambda r: f"@{r.handle}", run_id=run_id, tally=tally,
                       clock=clock, batch_size=batch_size)
