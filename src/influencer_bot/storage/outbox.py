"""The outbox of accepted work (`accepted_work`): dedupe Slack's retries, survive a crash, retry later.

Every piece of work the bot promised someone (a command after its ack, a message update after a
click) is a row written before the promise is made. Its (team_id, key) is unique, so a retried
delivery of the same Slack request inserts nothing and does no new work. The process that accepts
a row owns it under a lease it keeps renewing; when a process dies its leases run out and the next
one claims the rows and resumes them. `enqueue` is the door for other code: it writes a row that no
process owns yet, due after `delay_s`, and whichever process claims it first runs it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import AcceptedWork, utcnow

PENDING, DONE, FAILED = "pending", "done", "failed"


def _insert_once(dialect_name: str) -> Any:
    """INSERT … ON CONFLICT (team_id, key) DO NOTHING RETURNING id, built once per dialect: on the ack
    path, building the statement cost more than running it."""
    if dialect_name not in _INSERTS:
        dialect = postgresql if dialect_name == "postgresql" else sqlite
        _INSERTS[dialect_name] = (dialect.insert(AcceptedWork.__table__)
                                  .on_conflict_do_nothing(index_elements=["team_id", "key"])
                                  .returning(AcceptedWork.__table__.c.id))
    return _INSERTS[dialect_name]


_INSERTS: dict[str, Any] = {}


def accept(session: Session, team_id: str, kind: str, key: str, payload: dict[str, Any], *,
           response_url: str | None = None, owner: str | None = None, lease_s: float = 0,
           status: str = PENDING) -> int | None:
    """Write the row and return its id, or None when (team_id, key) was accepted before (a retry).

    With `owner`, this process holds it for `lease_s` seconds (and renews it); without, it is due
    after `lease_s` seconds for whichever process claims it. The insert never raises on a
    duplicate, so it can share a transaction with the work's own writes (a click's decision).
    """
    connection = session.connection()
    now = utcnow()
    row = {"team_id": team_id, "key": key[:128], "kind": kind, "payload": payload, "response_url": response_url,
           "status": status, "attempts": 1 if owner else 0, "owner": owner,
           "lease_until": now + timedelta(seconds=lease_s), "created_at": now,
           "finished_at": now if status != PENDING else None}
    return connection.execute(_insert_once(connection.dialect.name), row).scalar_one_or_none()


def enqueue(session: Session, team_id: str, kind: str, key: str, payload: dict[str, Any], *,
            delay_s: float = 0, response_url: str | None = None) -> bool:
    """Add work any running process will pick up once `delay_s` has passed (e.g. a message update
    that failed because Slack did not answer). False if that key was already enqueued."""
    return accept(session, team_id, kind, key, payload, response_url=response_url, lease_s=delay_s) is not None


def load(session: Session, work_id: int) -> AcceptedWork | None:
    return session.get(AcceptedWork, work_id)


def note(session: Session, work_id: int, **fields: Any) -> None:
    """Remember a step the work has done (e.g. the shortlist it saved) so a resumed run skips it."""
    row = session.get(AcceptedWork, work_id)
    if row is not None:
        row.payload = {**row.payload, **fields}


def finish(session: Session, work_id: int, status: str = DONE) -> None:
    session.execute(update(AcceptedWork).where(AcceptedWork.id == work_id)
                    .values(status=status, owner=None, lease_until=None, finished_at=utcnow()))


def drop(session: Session, work_id: int) -> None:
    """Forget work that was never promised (the queue was full, and the user was told so)."""
    session.execute(delete(AcceptedWork).where(AcceptedWork.id == work_id))


def release(session: Session, work_id: int, *, delay_s: float) -> None:
    """Give the row back, due again after `delay_s` (a failed attempt, or no room to run it here)."""
    session.execute(update(AcceptedWork).where(AcceptedWork.id == work_id, AcceptedWork.status == PENDING)
                    .values(owner=None, lease_until=utcnow() + timedelta(seconds=delay_s)))


def renew(session: Session, owner: str, lease_s: float) -> int:
    """Extend the lease of every pending row `owner` holds: it is alive and still on them."""
    result = session.execute(update(AcceptedWork)
                             .where(AcceptedWork.owner == owner, AcceptedWork.status == PENDING)
                             .values(lease_until=utcnow() + timedelta(seconds=lease_s)))
    return result.rowcount or 0  # type: ignore[attr-defined]


def _due(now: datetime) -> Any:
    return (AcceptedWork.status == PENDING) & or_(AcceptedWork.lease_until.is_(None), AcceptedWork.lease_until <= now)


def claim_due(session: Session, owner: str, lease_s: float, limit: int = 100) -> list[int]:
    """Take up to `limit` pending rows nobody holds (never owned, released, or their owner died).

    Each claim is a guarded UPDATE, so two processes claiming at once never both get a row.
    """
    now = utcnow()
    ids = session.scalars(select(AcceptedWork.id).where(_due(now)).order_by(AcceptedWork.id).limit(limit)).all()
    claimed = []
    for work_id in ids:
        result = session.execute(update(AcceptedWork).where(AcceptedWork.id == work_id, _due(now))
                                 .values(owner=owner, lease_until=now + timedelta(seconds=lease_s),
                                         attempts=AcceptedWork.attempts + 1))
        if result.rowcount:  # type: ignore[attr-defined]
            claimed.append(work_id)
    return claimed


def purge_finished(session: Session, older_than: timedelta) -> int:
    """Delete finished rows past the window in which Slack could still retry their delivery."""
    result = session.execute(delete(AcceptedWork).where(AcceptedWork.status != PENDING,
                                                        AcceptedWork.finished_at < utcnow() - older_than))
    return result.rowcount or 0  # type: ignore[attr-defined]


def kinds_of(work_ids: list[int]) -> Any:
    """A query of (id, kind) for these rows."""
    return select(AcceptedWork.id, AcceptedWork.kind).where(AcceptedWork.id.in_(work_ids))
