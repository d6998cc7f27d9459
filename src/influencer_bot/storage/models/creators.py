"""Workspaces, creators and their metric history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, UTCDateTime, utcnow


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Creator(Base):
    __tablename__ = "creators"
    __table_args__ = (
        UniqueConstraint("team_id", "platform", "handle", name="uq_creators_team_platform_handle"),
        Index("ix_creators_team_handle", "team_id", "handle"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(100))  # lower case, without the leading @
    display_name: Mapped[str | None] = mapped_column(String(200))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    following: Mapped[int | None] = mapped_column(BigInteger)
    posts_total: Mapped[int | None] = mapped_column(BigInteger)
    country: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(64))
    bio: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    quoted_price_cents: Mapped[int | None] = mapped_column(BigInteger)
    topics: Mapped[str | None] = mapped_column(Text)  # hashtags and topics, space separated
    category: Mapped[str | None] = mapped_column(String(200))
    audience_country: Mapped[str | None] = mapped_column(String(64))  # where most of the audience is
    # The platform's own id (YouTube `UC…` channel id, Instagram user id, TikTok open id), once known.
    platform_id: Mapped[str | None] = mapped_column(String(64))
    # The last platform sync that answered. Not indexed: an index led by team_id lures SQLite's planner
    # away from primary-key lookups in `team_id = ? AND id IN (…)` (every card and pick); a sync reads
    # a workspace's creators once per run, where a scan is cheap beside the API calls.
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sync_status: Mapped[str | None] = mapped_column(String(32))  # ok | not_found | not_discoverable | …
    # The newest snapshot, kept here so reading a creator's current numbers is one join.
    # Not a foreign key: creators and snapshots would reference each other in a cycle.
    latest_metrics_id: Mapped[int | None] = mapped_column(Id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    latest_metrics: Mapped[MetricSnapshot | None] = relationship(
        primaryjoin="foreign(Creator.latest_metrics_id) == MetricSnapshot.id", viewonly=True
    )


class MetricSnapshot(Base):
    """A creator's numbers at one moment, from one source (csv, demo, instagram, …)."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (Index("ix_metric_snapshots_creator_time", "creator_id", "captured_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(32))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    following: Mapped[int | None] = mapped_column(BigInteger)
    avg_likes: Mapped[float | None] = mapped_column(Float)
    avg_comments: Mapped[float | None] = mapped_column(Float)
    avg_shares: Mapped[float | None] = mapped_column(Float)
    avg_saves: Mapped[float | None] = mapped_column(Float)
    avg_views: Mapped[float | None] = mapped_column(Float)
    posts_sampled: Mapped[int | None] = mapped_column(Integer)
    reported_rate_pct: Mapped[float | None] = mapped_column(Float)
    rate_window_days: Mapped[int | None] = mapped_column(Integer)  # the window reported_rate_pct covers
    avg_engagements: Mapped[float | None] = mapped_column(Float)  # all interactions per post, when given whole
    avg_authentic_engagements: Mapped[float | None] = mapped_column(Float)  # from real accounts (export tools)
    posts_per_week: Mapped[float | None] = mapped_column(Float)  # from post-level data
    sponsored_share: Mapped[float | None] = mapped_column(Float)  # 0..1 of recent posts marked as paid
