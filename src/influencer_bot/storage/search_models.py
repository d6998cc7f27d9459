"""Tables behind the shortlist engine: the niche index with scores, synonyms, refill rounds.

Kept apart from models.py because they are derived data (rebuilt by `db rescore` from
the creators and their snapshots), except for the synonyms a workspace adds.

- creator_terms: one row per (creator, term) with the weight of the best field the term
  came from; the primary key leads with (team_id, term), so a niche word is one index
  range. On SQLite it is a WITHOUT ROWID table: the rows live in that index, so a match
  reads no second structure.
- each term row also carries the creator's scores (influence/scoring.py), see CreatorTerm.
- shortlist_rounds: the guard and audit of "Replace rejected".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, PrimaryKeyConstraint, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, Id, UTCDateTime, utcnow


class CreatorTerm(Base):
    """A creator under one term, carrying the numbers a search needs (its "payload").

    The payload repeats the creator's scores on each of its ~20 term rows so that a search
    reads one index range per niche word and joins nothing: measured at 1M creators on
    SQLite, a 70k-creator term costs ~8 ms this way against ~85 ms joined to a score table."""

    __tablename__ = "creator_terms"
    __table_args__ = (
        PrimaryKeyConstraint("team_id", "term", "creator_id", name="pk_creator_terms"),
        Index("ix_creator_terms_creator", "creator_id"),
        {"sqlite_with_rowid": False},
    )

    team_id: Mapped[str] = mapped_column(String(32))
    term: Mapped[str] = mapped_column(String(64))
    creator_id: Mapped[int] = mapped_column(Id, ForeignKey("creators.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(SmallInteger)  # terms.WEIGHT_*: the best field it came from
    platform: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str | None] = mapped_column(String(16))
    price_cents: Mapped[int | None] = mapped_column(BigInteger)
    engagements: Mapped[float | None] = mapped_column(Float)  # scoring.Score: × quality, before relevance
    impressions: Mapped[float | None] = mapped_column(Float)
    er_pct: Mapped[float | None] = mapped_column(Float)
    exclusion: Mapped[str | None] = mapped_column(String(16))


class NicheSynonym(Base):
    """A workspace's own synonym pair; both sides stored as typed and as terms."""

    __tablename__ = "niche_synonyms"
    __table_args__ = (UniqueConstraint("team_id", "term", "synonym_term", name="uq_niche_synonyms_pair"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    phrase: Mapped[str] = mapped_column(String(80))
    synonym: Mapped[str] = mapped_column(String(80))
    term: Mapped[str] = mapped_column(String(64))
    synonym_term: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


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
