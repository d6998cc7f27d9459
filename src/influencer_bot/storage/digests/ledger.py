"""The exactly-once ledger: one `digest_runs` row per (subscription, period).

Every step is a short transaction of its own and a guarded write, so several scheduler
processes on one database agree without talking to each other:

- `claim` inserts the row with INSERT … ON CONFLICT DO NOTHING: the unique key lets exactly
  one process win a period, on SQLite and PostgreSQL alike. A *failed* run is taken back by
  one conditional UPDATE (`WHERE status = 'failed' AND attempts = <seen>`), so only one
  process retries it.
- `start_posting` moves claimed → posting right before chat.postMessage. A run whose worker
  died while *claimed* never reached Slack and is safe to re-claim after a lease; one that
  died while *posting* may or may not have posted, so it becomes *uncertain* and is never
  retried (a duplicate in the channel is the failure we refuse; the log says so).
- `record_posted` stores the message ts and the totals as posted (for "change since").
  `record_failed` keeps a ts that was already posted, so the retry edits that message
  with chat.update instead of posting a second one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.digest_schedule import Period
from ..models import DigestRun, DigestSubscription

CLAIMED, POSTING, POSTED, FAILED, SKIPPED, UNCERTAIN = "claimed", "posting", "posted", "failed", "skipped", "uncertain"
DONE = (POSTED, SKIPPED, UNCERTAIN)


def _insert_row(session: Session, values: dict[str, Any]) -> int | None:
    """Insert unless (subscription_id, period_key) exists; the new id, or None when it did."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = (insert(DigestRun).values(**values)
                .on_conflict_do_nothing(index_elements=["subscription_id", "period_key"]).returning(DigestRun.id))
        return session.execute(stmt).scalar_one_or_none()
    try:  # any other database: the unique key still decides, inside a savepoint
        with session.begin_nested():
            run = DigestRun(**values)
            session.add(run)
        return run.id
    except IntegrityError:
        return None


def find_run(session: Session, subscription_id: int, period_key: str) -> DigestRun | None:
    return session.scalars(select(DigestRun).where(DigestRun.subscription_id == subscription_id,
                                                   DigestRun.period_key == period_key)).one_or_none()


def claim(session: Session, sub: DigestSubscription, period: Period, worker_id: str, *, now: datetime,
          max_attempts: int = 5, lease: timedelta = timedelta(minutes=15)) -> DigestRun | None:
    """Take (subscription, period) for this worker, or None when another worker has it or it is done."""
    new_id = _insert_row(session, dict(
        team_id=sub.team_id, subscription_id=sub.id, period_key=period.key, scheduled_for=period.scheduled_for,
        status=CLAIMED, claimed_by=worker_id, claimed_at=now, attempts=1, channel_id=sub.channel_id))
    if new_id is not None:
        return session.get(DigestRun, new_id)
    run = find_run(session, sub.id, period.key)
    if run is None:
        return None
    stale = run.claimed_at < now - lease
    if run.status == POSTING and stale:
        _guarded(session, run, POSTING, status=UNCERTAIN,
                 last_error=f"worker {run.claimed_by} stopped while posting; not retried to avoid a duplicate")
        return None
    retryable = (run.status == FAILED and run.attempts < max_attempts) or (run.status == CLAIMED and stale)
    if not retryable:
        return None
    if not _guarded(session, run, run.status, status=CLAIMED, claimed_by=worker_id, claimed_at=now,
                    attempts=run.attempts + 1):
        return None
    session.refresh(run)
    return run


def _guarded(session: Session, run: DigestRun, expected_status: str, **values: Any) -> bool:
    """UPDATE the run only if nobody changed it since we read it; True when we did."""
    result = session.execute(
        update(DigestRun)
        .where(DigestRun.id == run.id, DigestRun.status == expected_status, DigestRun.attempts == run.attempts,
               DigestRun.claimed_by == run.claimed_by)
        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def start_posting(session: Session, run_id: int, worker_id: str, *, now: datetime) -> bool:
    """claimed → posting, only for the worker holding the claim."""
    result = session.execute(update(DigestRun).where(DigestRun.id == run_id, DigestRun.status == CLAIMED,
                                                     DigestRun.claimed_by == worker_id)
                             .values(status=POSTING, claimed_at=now))
    return result.rowcount == 1


def record_posted(session: Session, run_id: int, worker_id: str, *, channel_id: str, ts: str,
                  totals: dict[str, Any], now: datetime) -> None:
    session.execute(update(DigestRun).where(DigestRun.id == run_id, DigestRun.claimed_by == worker_id)
                    .values(status=POSTED, channel_id=channel_id, message_ts=ts, posted_at=now, totals=totals,
                            last_error=None))


def record_failed(session: Session, run_id: int, worker_id: str, error: str, *, ts: str | None = None,
                  channel_id: str | None = None) -> None:
    """Mark a run failed (retried on a later tick); a ts already posted is kept for chat.update."""
    values: dict[str, Any] = dict(status=FAILED, last_error=error[:2000])
    if ts is not None:
        values.update(message_ts=ts, channel_id=channel_id)
    session.execute(update(DigestRun).where(DigestRun.id == run_id, DigestRun.claimed_by == worker_id,
                                            DigestRun.status.in_((CLAIMED, POSTING))).values(**values))


def record_skipped(session: Session, sub: DigestSubscription, period: Period, worker_id: str, reason: str, *,
                   now: datetime) -> bool:
    """Write down a period that will not be posted (missed beyond the grace period); False if it had a row."""
    return _insert_row(session, dict(
        team_id=sub.team_id, subscription_id=sub.id, period_key=period.key, scheduled_for=period.scheduled_for,
        status=SKIPPED, claimed_by=worker_id, claimed_at=now, attempts=0, channel_id=sub.channel_id,
        last_error=reason)) is not None


def last_period(session: Session, subscription_id: int) -> tuple[datetime, bool] | None:
    """The newest ledger period of a subscription: when it was scheduled, and whether it is settled."""
    row = session.execute(select(DigestRun.scheduled_for, DigestRun.status)
                          .where(DigestRun.subscription_id == subscription_id)
                          .order_by(DigestRun.scheduled_for.desc()).limit(1)).first()
    return None if row is None else (row.scheduled_for, row.status in DONE)


def previous_posted(session: Session, team_id: str, subscription_id: int,
                    before: datetime | None = None) -> DigestRun | None:
    """The subscription's last posted digest (optionally scheduled before `before`): the "since" point."""
    query = select(DigestRun).where(DigestRun.team_id == team_id, DigestRun.subscription_id == subscription_id,
                                    DigestRun.status == POSTED)
    if before is not None:
        query = query.where(DigestRun.scheduled_for < before)
    return session.scalars(query.order_by(DigestRun.scheduled_for.desc()).limit(1)).first()


def runs(session: Session, subscription_id: int) -> list[DigestRun]:
    return list(session.scalars(select(DigestRun).where(DigestRun.subscription_id == subscription_id)
                                .order_by(DigestRun.scheduled_for)))
