"""Writing creators and their metric history, always within one workspace.

`write_creators` is batched (one query to find existing rows, bulk inserts with RETURNING),
idempotent (re-sending the same numbers writes nothing) and history-preserving (a new metric
snapshot only when the numbers changed). It writes rows only: the niche index follows through
storage/ingest.py, the write path that importers, demo data and sync call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..models import Creator, MetricSnapshot, utcnow
from .records import METRIC_FIELDS, PROFILE_FIELDS, CreatorRecord

# Figures only a platform's post-level data gives (storage/sync/): a file never has them, so an
# import's snapshot keeps the latest ones rather than erasing them.
SYNC_ONLY_FIELDS = ("posts_per_week", "sponsored_share")


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _metrics_differ(record: CreatorRecord, latest: MetricSnapshot | None) -> bool:
    values = {name: getattr(record, name) for name in METRIC_FIELDS}
    if all(v is None for v in values.values()):
        return False  # nothing measured in this record: keep history as it is
    if latest is None:
        return True
    return any(v is not None and getattr(latest, name) != v for name, v in values.items())


def _snapshot_row(team_id: str, creator_id: int, record: CreatorRecord, latest: MetricSnapshot | None,
                  source: str, now: datetime) -> dict[str, object]:
    """A full snapshot: fields this record leaves unknown carry over from the previous one."""
    row: dict[str, object] = {"team_id": team_id, "creator_id": creator_id, "source": source, "captured_at": now}
    for name in METRIC_FIELDS:
        value = getattr(record, name)
        row[name] = value if value is not None or latest is None else getattr(latest, name)
    if record.reported_rate_pct is not None:  # a window belongs to its rate: a new rate brings its own, or none
        row["rate_window_days"] = record.rate_window_days
    for name in SYNC_ONLY_FIELDS:
        row[name] = getattr(latest, name) if latest is not None else None
    return row


def write_creators(session: Session, team_id: str, records: Sequence[CreatorRecord], *, source: str,
                   now: datetime | None = None) -> tuple[list[Outcome], list[int]]:
    """Insert or update a batch (handles unique within it): one outcome per record, and the ids
    of the creators created or changed, which the caller re-indexes."""
    now = now or utcnow()
    keys = [(r.platform.value, r.handle) for r in records]
    existing: dict[tuple[str, str], Creator] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, handle in keys:
        by_platform.setdefault(platform, []).append(handle)
    # One platform per query: SQLite uses the (team, platform, handle) index for `handle IN`,
    # but answers a `(platform, handle) IN` row-value list by scanning the whole workspace.
    for platform, handles in by_platform.items():
        for start in range(0, len(handles), 500):  # keep IN lists well under driver limits
            for creator in session.scalars(
                select(Creator).where(Creator.team_id == team_id, Creator.platform == platform,
                                      Creator.handle.in_(handles[start:start + 500]))
            ):
                existing[(creator.platform, creator.handle)] = creator
    latest_ids = [c.latest_metrics_id for c in existing.values() if c.latest_metrics_id]
    latest: dict[int, MetricSnapshot] = {}
    for start in range(0, len(latest_ids), 500):
        for snap in session.scalars(select(MetricSnapshot).where(MetricSnapshot.id.in_(latest_ids[start:start + 500]))):
            latest[snap.creator_id] = snap

    outcomes: list[Outcome] = []
    new_rows: list[dict[str, object]] = []
    new_records: list[CreatorRecord] = []
    snapshots: list[dict[str, object]] = []
    for record, key in zip(records, keys):
        creator = existing.get(key)
        if creator is None:
            row = {"team_id": team_id, "platform": key[0], "handle": key[1], "created_at": now, "updated_at": now}
            row.update({name: getattr(record, name) for name in PROFILE_FIELDS})
            new_rows.append(row)
            new_records.append(record)
            outcomes.append(Outcome.CREATED)
            continue
        changed = False
        for name in PROFILE_FIELDS:
            value = getattr(record, name)
            if value is not None and getattr(creator, name) != value:
                setattr(creator, name, value)
                changed = True
        snap = latest.get(creator.id)
        if _metrics_differ(record, snap):
            snapshots.append(_snapshot_row(team_id, creator.id, record, snap, source, now))
            changed = True
        if changed:
            creator.updated_at = now
        outcomes.append(Outcome.UPDATED if changed else Outcome.UNCHANGED)

    # Core statements, batched on every backend (insertmanyvalues): RETURNING the natural key
    # and matching on it, not sort_by_parameter_order (SQLite has no implicit sentinel, so an
    # ordered RETURNING runs one INSERT per row there). Core rather than the ORM's bulk path:
    # these are plain rows, and its per-row bookkeeping cost more than the database's work.
    creators, snapshots_table = Creator.__table__, MetricSnapshot.__table__
    if new_rows:
        ids = {(p, h): i for i, p, h in session.execute(
            insert(creators).returning(creators.c.id, creators.c.platform, creators.c.handle), new_rows)}
        for record, key in zip(new_records, (k for k in keys if k not in existing)):
            if _metrics_differ(record, None):
                snapshots.append(_snapshot_row(team_id, ids[key], record, None, source, now))
    if snapshots:
        # one snapshot per creator per call (handles are unique within a batch)
        snap_ids = {c: i for c, i in session.execute(
            insert(snapshots_table).returning(snapshots_table.c.creator_id, snapshots_table.c.id), snapshots)}
        session.flush()  # pending attribute changes on existing creators go first
        session.execute(update(creators).where(creators.c.id == bindparam("creator_id"))
                        .values(latest_metrics_id=bindparam("snap_id")),
                        [{"creator_id": c, "snap_id": i} for c, i in snap_ids.items()])
        for creator in existing.values():  # keep loaded objects in step with the row
            if creator.id in snap_ids:
                set_committed_value(creator, "latest_metrics_id", snap_ids[creator.id])
    session.flush()
    new_ids = ids if new_rows else {}
    touched = [existing[k].id if k in existing else new_ids[k]
               for k, outcome in zip(keys, outcomes) if outcome is not Outcome.UNCHANGED]
    return outcomes, touched


def add_past_snapshots(session: Session, team_id: str, past: Sequence[tuple[int, datetime, CreatorRecord]], *,
                       source: str) -> int:
    """Back-dated metric snapshots (creator id, when, numbers): a creator's history, written as
    it is. Today's numbers come from `write_creators` first; these must be older than each
    creator's latest snapshot, which stays its current one. The creators are not re-indexed:
    the caller indexes them once (see storage/ingest.py's `defer_index`), after their whole history is written."""
    if not past:
        return 0
    ids = sorted({creator_id for creator_id, _, _ in past})
    latest: dict[int, datetime] = {}
    for start in range(0, len(ids), 500):
        latest.update(session.execute(
            select(MetricSnapshot.creator_id, MetricSnapshot.captured_at)
            .join(Creator, Creator.latest_metrics_id == MetricSnapshot.id)
            .where(Creator.team_id == team_id, Creator.id.in_(ids[start:start + 500]))).all())
    for creator_id, at, _ in past:
        if creator_id not in latest or at >= latest[creator_id]:
            raise ValueError(f"creator {creator_id}: a past snapshot must be older than its latest one")
    session.execute(insert(MetricSnapshot.__table__),
                    [_snapshot_row(team_id, creator_id, record, None, source, at) for creator_id, at, record in past])
    return len(past)


