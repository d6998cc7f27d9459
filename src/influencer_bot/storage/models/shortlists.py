"""Shortlists, their items, the decisions taken on them and the refill rounds.

Decisions are an append-only audit trail; an item's `status` is the current state, updated in
the same transaction as the decision row under a guard, so that two clicks make one decision."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON, BigInteger, Float, ForeignKey, Index, Integer, PrimaryKeyConstraint, SmallInteger, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, UTCDateTime, utcnow

if TYPE_CHECKING:  # resolved by name through the registry at run time
    from .creators import Creator


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
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
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
    reason: Mapped[str | None] = mapped_column(Text)  # a rejection's reason code (influence/rejection.py)
    note: Mapped[str | None] = mapped_column(Text)  # the rejecter's own words, at most rejection.NOTE_MAX


class ShortlistRound(Base):
    """One "Replace rejected" that added creators to a shortlist: who, when, how many.

    The primary key (shortlist_id, round) is the guard: two clicks that read the same last
    round both try to write the next one, and only one insert can succeed."""

    __tablename__ = "shortlist_rounds"
    __table_args__ = (PrimaryKeyConstraint("shortlist_id", "round", name="pk_shortlist_rounds"),)

    shortlist_id: Mapped[int] = mapped_column(Id, ForeignKey("shortlists.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(SmallInteger)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    added: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
