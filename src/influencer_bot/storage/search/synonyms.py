"""A workspace's own niche synonyms: add, list, remove. Applied at search time only
(storage/niche_match.workspace_synonyms), so a change works at once and stays in its workspace."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.synonyms import Pair
from ..models import NicheSynonym

MAX_PER_WORKSPACE = 500


def add_synonym(session: Session, team_id: str, pair: Pair, user_id: str) -> bool:
    """False when the workspace already has this pair (either way round)."""
    if _find(session, team_id, pair.term, pair.synonym_term):
        return False
    if len(list_synonyms(session, team_id)) >= MAX_PER_WORKSPACE:
        from ...influence.errors import UserError

        raise UserError(f"This workspace already has {MAX_PER_WORKSPACE} synonyms; remove some first.",
                        "/influencer config synonym list")
    try:
        with session.begin_nested():
            session.add(NicheSynonym(team_id=team_id, phrase=pair.phrase, synonym=pair.synonym, term=pair.term,
                                     synonym_term=pair.synonym_term, created_by=user_id))
    except IntegrityError:  # the same pair added at the same moment by someone else
        return False
    return True


def _find(session: Session, team_id: str, a: str, b: str) -> list[NicheSynonym]:
    return list(session.scalars(select(NicheSynonym).where(
        NicheSynonym.team_id == team_id,
        or_((NicheSynonym.term == a) & (NicheSynonym.synonym_term == b),
            (NicheSynonym.term == b) & (NicheSynonym.synonym_term == a)))))


def list_synonyms(session: Session, team_id: str) -> list[NicheSynonym]:
    return list(session.scalars(select(NicheSynonym).where(NicheSynonym.team_id == team_id)
                                .order_by(NicheSynonym.phrase, NicheSynonym.synonym)))


def remove_synonyms(session: Session, team_id: str, term: str, synonym_term: str | None) -> int:
    """Remove one pair, or with no synonym every pair that has `term` on either side."""
    query = delete(NicheSynonym).where(NicheSynonym.team_id == team_id)
    if synonym_term is None:
        query = query.where(or_(NicheSynonym.term == term, NicheSynonym.synonym_term == term))
    else:
        query = query.where(NicheSynonym.id.in_([s.id for s in _find(session, team_id, term, synonym_term)]))
    return session.execute(query).rowcount or 0
