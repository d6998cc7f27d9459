"""Platform sync: each run's outcome, and the API quota spent per day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, UTCDateTime, utcnow


class SyncRun(Base):
    """One sync of one platform for one workspace: what it refreshed, what failed and why.

    At most one run per (workspace, platform, kind) is `running` at a time: the partial unique
    index is the claim every process takes by inserting its row (storage/sync/runs.py)."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_team_platform_time", "team_id", "platform", "started_at"),
        Index("uq_sync_runs_one_running", "team_id", "platform", "kind", unique=True,
              sqlite_where=text("status = 'running'"), postgresql_where=text("status = 'running'")),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # creators | posts | creator (one, from Slack)
    trigger: Mapped[str] = mapped_column(String(16))  # cli | schedule | slack
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # written with each committed batch: a running row whose heartbeat is older than the lease
    # belongs to a process that died, and the next claim closes it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # running | done | quota (the day's budget ran out) | auth (token refused) | failed
    status: Mapped[str] = mapped_column(String(16), default="running")
    refreshed: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[str | None] = mapped_column(Text)  # JSON {reason: count}
    message: Mapped[str | None] = mapped_column(Text)  # one line for the user, never a secret


class QuotaDay(Base):
    """Units spent on one API key on one quota day (YouTube's day starts at midnight Pacific).

    Shared by every process and workspace that uses the key: the key, not the workspace, owns
    the quota, so the row is keyed by a fingerprint of it (never the key itself)."""

    __tablename__ = "quota_days"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_fingerprint: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    units: Mapped[int] = mapped_column(Integer, default=0)
