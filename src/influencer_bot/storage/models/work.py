"""Work accepted from Slack and not yet finished: the outbox that survives a crash and dedupes retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, UTCDateTime, utcnow


class AcceptedWork(Base):
    """One delivery Slack made and the bot accepted, with what is needed to (re)do its work.

    `key` is what Slack repeats across retries of one delivery (its trigger_id): the unique
    (team_id, key) makes a retried delivery insert nothing, so it does no new work, even after a
    restart. A `pending` row is owned by the process running it while `lease_until` is in the
    future (the owner renews it); a row whose lease ran out belongs to a process that died, and
    the next process to claim it resumes it (storage/outbox.py). The row carries no foreign key
    to `workspaces`: a workspace's very first command is accepted before its row exists.
    """

    __tablename__ = "accepted_work"
    __table_args__ = (
        UniqueConstraint("team_id", "key", name="uq_accepted_work_team_key"),
        Index("ix_accepted_work_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))  # command | refresh | seen (a dedupe marker only)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    response_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(64))  # the process running it, while leased
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
