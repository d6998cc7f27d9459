"""Tables behind the shortlist engine: the niche index, synonyms, refill rounds.

Kept apart from the other models because the index is derived data (rebuilt by `db rescore` from
the creators and their snapshots), except for the synonyms a workspace adds.

- search_index: the niche index as blobs (storage/search/index.py). Per workspace and per
  chunk of 65,536 creator ids: one compressed bitmap of creator ids per (term, weight),
  the postings, and one packed array per score column (price, expected engagements,
  expected impressions, engagement rate, platform/tier/blocked codes). A search reads the
  postings of its terms and the score columns and does the rest in memory, so it never
  walks a million index rows: measured at 1M creators, the match stage (pool, counts by
  reason, eligible creators) went from p95 155 to 75 ms on SQLite, 305 to 115 ms on
  PostgreSQL, most of it now reading the columns.
- search_terms: the terms each creator is indexed under, so that re-indexing it knows
  which postings to take it out of.
- shortlist_rounds: the guard and audit of "Replace rejected".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, PrimaryKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, UTCDateTime, utcnow


class IndexBlob(Base):
    """One posting (key `t:<term>:<weight>`) or score column (`c:<name>`) of one id chunk."""

    __tablename__ = "search_index"
    __table_args__ = (PrimaryKeyConstraint("team_id", "key", "chunk", name="pk_search_index"),)

    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(80))
    chunk: Mapped[int] = mapped_column(Integer)  # creator id >> CHUNK_BITS
    n: Mapped[int] = mapped_column(Integer)  # creators in it: term frequencies without decoding
    data: Mapped[bytes] = mapped_column(LargeBinary)


class IndexedCreator(Base):
    """The (term, weight) pairs a creator is indexed under, as `term=weight` lines."""

    __tablename__ = "search_terms"

    creator_id: Mapped[int] = mapped_column(Id, ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    terms: Mapped[str] = mapped_column(Text)


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
