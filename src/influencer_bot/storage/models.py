"""SQLAlchemy 2 typed models. Every row belongs to a Slack workspace (`team_id`).

Money is integer cents, times are timezone-aware UTC. Decisions are an append-only
audit trail; an item's `status` is the current state, updated in the same
transaction as the decision row under a guard so that two clicks make one decision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identities.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


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


class Shortlist(Base):
    __tablename__ = "shortlists"
    __table_args__ = (Index("ix_shortlists_team_created", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    niche: Mapped[str] = mapped_column(String(200))
    budget_cents: Mapped[int] = mapped_column(BigInteger)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    items: Mapped[list[ShortlistItem]] = relationship(
        back_populates="shortlist", order_by="ShortlistItem.position", cascade="all, delete-orphan"
    )


class ShortlistItem(Base):
    __tablename__ = "shortlist_items"
    __table_args__ = (
        UniqueConstraint("shortlist_id", "creator_id", name="uq_shortlist_items_creator"),
        Index("ix_shortlist_items_team_creator", "team_id", "creator_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    price_source: Mapped[str] = mapped_column(String(16))
    expected_value: Mapped[float | None] = mapped_column(Float)
    relevance: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    shortlist: Mapped[Shortlist] = relationship(back_populates="items")
    creator: Mapped[Creator] = relationship()


class Decision(Base):
    """Append-only audit of every approve/reject: who, what, when, why."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_item", "shortlist_item_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    shortlist_item_id: Mapped[int] = mapped_column(ForeignKey("shortlist_items.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
