"""The sync_runs ledger: claim a run, record each batch's progress, close it.

Like the digest ledger (storage/digests/ledger.py), every step is a short transaction and a
guarded write, so several processes on one database agree without talking to each other:

- `claim` inserts a `running` row; the partial unique index `uq_sync_runs_one_running` lets
  exactly one process hold (workspace, platform, kind), so two schedulers never sync the same
  platform of the same workspace at once. A running row whose heartbeat is older than the lease
  belongs to a process that died: the claim closes it as failed (one guarded UPDATE) and retries.
  With `not_since`, a claim is declined when a run started that recently: the scheduler's
  replicas then run the job once per period between them, not once each.
- `progress` stores the counters with each committed batch and moves the heartbeat; it returns
  False when the run is no longer ours (closed by another process), and the caller stops.
- `finish` closes the run with its status and one line for the user.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import SyncRun

RUNNING, DONE, QUOTA, AUTH, FAILED = "running", "done", "quota", "auth", "failed"
CREATORS, POSTS, ONE_CREATOR = "creators", "posts", "creator"
LEASE = timedelta(minutes=30)


@dataclass(slots=True)
class Tally:
    """What a run did so far: refreshed items, and failures counted by reason."""

    refreshed: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def fail(self, reason: str) -> None:
        self.failures[reason] += 1


def _values(tally: Tally) -> dict[str, object]:
    return dict(refreshed=tally.refreshed, failed=tally.failed,
                failures=json.dumps(dict(sorted(tally.failures.items()))) if tally.failures else None)


def claim(session: Session, team_id: str, platform: str, kind: str, trigger: str, *, now: datetime,
          not_since: timedelta | None = None, lease: timedelta = LEASE) -> int | None:
    """A new running run's id, or None when another process holds this sync (or, with
    `not_since`, ran it that recently)."""
    current = _latest(session, team_id, platform, kind)
    if current is not None and current.status == RUNNING:
        beat = current.heartbeat_at or current.started_at
        if beat >= now - lease:
            return None
        same_beat = (SyncRun.heartbeat_at.is_(None) if current.heartbeat_at is None
                     else SyncRun.heartbeat_at == current.heartbeat_at)
        closed = session.execute(
            update(SyncRun).where(SyncRun.id == current.id, SyncRun.status == RUNNING, same_beat)
            .values(status=FAILED, finished_at=now,
                    message=f"The process running it stopped (no sign of life since {beat:%Y-%m-%d %H:%M} UTC); "
                            "what it refreshed before that was kept.")
            .execution_options(synchronize_session=False))
        if closed.rowcount != 1:
            return None
    elif current is not None and not_since is not None and current.started_at > now - not_since:
        return None
    try:
        with session.begin_nested():
            run = SyncRun(team_id=team_id, platform=platform, kind=kind, trigger=trigger, started_at=now,
                          heartbeat_at=now, status=RUNNING, refreshed=0, failed=0)
            session.add(run)
        return run.id
    except IntegrityError:  # another process inserted its running row first
        return None


def start(session: Session, team_id: str, platform: str, kind: str, trigger: str, *, now: datetime) -> int:
    """A run that needs no claim (one creator refreshed from Slack: it may overlap a batch run)."""
    run = SyncRun(team_id=team_id, platform=platform, kind=kind, trigger=trigger, started_at=now,
                  heartbeat_at=now, status=RUNNING, refreshed=0, failed=0)
    session.add(run)
    session.flush()
    return run.id


def progress(session: Session, run_id: int, tally: Tally, *, now: datetime) -> bool:
    """Store the counters and the heartbeat; False when the run is no longer ours."""
    result = session.execute(update(SyncRun).where(SyncRun.id == run_id, SyncRun.status == RUNNING)
                             .values(heartbeat_at=now, **_values(tally)).execution_options(synchronize_session=False))
    return result.rowcount == 1


def finish(session: Session, run_id: int, tally: Tally, *, status: str, message: str | None, now: datetime) -> None:
    session.execute(update(SyncRun).where(SyncRun.id == run_id, SyncRun.status == RUNNING)
                    .values(status=status, message=message, finished_at=now, heartbeat_at=now, **_values(tally))
                    .execution_options(synchronize_session=False))


def _latest(session: Session, team_id: str, platform: str, kind: str) -> SyncRun | None:
    return session.scalars(select(SyncRun).where(SyncRun.team_id == team_id, SyncRun.platform == platform,
                                                 SyncRun.kind == kind)
                           .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(1)).first()


def last_run(session: Session, team_id: str, platform: str, kind: str) -> SyncRun | None:
    """The newest run of this kind, running or finished (for `/influencer sync status`)."""
    return _latest(session, team_id, platform, kind)


def failures_of(run: SyncRun) -> dict[str, int]:
    return json.loads(run.failures) if run.failures else {}
