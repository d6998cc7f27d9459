"""Shortlists, their items, and approve/reject decisions.

A decision is recorded by one guarded UPDATE (`… WHERE status = 'proposed'`) in the
same transaction as its audit row: whichever click commits first wins; every other
click, concurrent or late, updates nothing and learns who decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from ..influence.errors import NotFound
from .campaigns.store import add_approved_item
from .models import Creator, Decision, MetricSnapshot, Shortlist, ShortlistItem, utcnow


class Verdict(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


PROPOSED = "proposed"


@dataclass(frozen=True, slots=True)
class NewItem:
    creator_id: int
    price_cents: int
    price_source: str
    expected_value: float | None
    relevance: float | None


def create_shortlist(session: Session, team_id: str, *, niche: str, budget_cents: int, options: dict[str, object],
                     requested_by: str, channel_id: str | None, items: list[NewItem]) -> Shortlist:
    shortlist = Shortlist(team_id=team_id, niche=niche, budget_cents=budget_cents, options=options,
                          requested_by=requested_by, channel_id=channel_id)
    shortlist.items = item_rows(team_id, items)
    session.add(shortlist)
    session.flush()
    return shortlist


def item_rows(team_id: str, items: list[NewItem], first_position: int = 0) -> list[ShortlistItem]:
    """Rows for proposed creators, numbered from `first_position` (a refill continues the list)."""
    return [ShortlistItem(team_id=team_id, creator_id=i.creator_id, position=first_position + n,
                          price_cents=i.price_cents, price_source=i.price_source,
                          expected_value=i.expected_value, relevance=i.relevance)
            for n, i in enumerate(items)]


def set_message(session: Session, team_id: str, shortlist_id: int, channel_id: str, ts: str) -> None:
    session.execute(update(Shortlist).where(Shortlist.id == shortlist_id, Shortlist.team_id == team_id)
                    .values(channel_id=channel_id, message_ts=ts))


def discard(session: Session, team_id: str, shortlist_id: int) -> None:
    """Remove a shortlist that never reached Slack, so no orphan rows stay behind."""
    session.execute(delete(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist_id,
                                                ShortlistItem.team_id == team_id))
    session.execute(delete(Shortlist).where(Shortlist.id == shortlist_id, Shortlist.team_id == team_id))


def find_shortlist(session: Session, team_id: str, shortlist_id: int) -> Shortlist | None:
    """The shortlist row alone (nothing loaded with it), if it exists in this workspace."""
    return session.scalars(select(Shortlist).where(Shortlist.id == shortlist_id, Shortlist.team_id == team_id)
                           ).one_or_none()


def find_item(session: Session, team_id: str, item_id: int) -> ShortlistItem | None:
    """A shortlist item row, if it exists in this workspace."""
    return session.scalars(select(ShortlistItem).where(ShortlistItem.id == item_id, ShortlistItem.team_id == team_id)
                           ).one_or_none()


def get_shortlist(session: Session, team_id: str, shortlist_id: int) -> Shortlist:
    """A shortlist with its items, creators and their latest metrics loaded."""
    shortlist = session.scalars(
        select(Shortlist).where(Shortlist.id == shortlist_id, Shortlist.team_id == team_id)
        .options(selectinload(Shortlist.items).selectinload(ShortlistItem.creator)
                 .selectinload(Creator.latest_metrics))
    ).one_or_none()
    if shortlist is None:
        raise NotFound("That shortlist no longer exists in this workspace.")
    return shortlist


@dataclass(frozen=True, slots=True)
class DecisionResult:
    recorded: bool  # False: someone decided first; nothing was written
    shortlist_id: int
    status: str
    decided_by: str | None
    decided_at: datetime | None


def decide(session: Session, team_id: str, item_id: int, verdict: Verdict, user_id: str,
           reason: str | None = None, now: datetime | None = None, note: str | None = None) -> DecisionResult:
    now = now or utcnow()
    won = session.execute(
        update(ShortlistItem)
        .where(ShortlistItem.id == item_id, ShortlistItem.team_id == team_id, ShortlistItem.status == PROPOSED)
        .values(status=verdict.value, decided_by=user_id, decided_at=now)
        .returning(ShortlistItem.shortlist_id, ShortlistItem.creator_id)
    ).one_or_none()
    if won is not None:
        session.add(Decision(team_id=team_id, shortlist_item_id=item_id, creator_id=won.creator_id,
                             decision=verdict.value, user_id=user_id, decided_at=now, reason=reason,
                             note=note))
        session.flush()
        if verdict is Verdict.APPROVED:  # same transaction: the approval and the membership commit together
            add_approved_item(session, team_id, won.shortlist_id, item_id)
        return DecisionResult(True, won.shortlist_id, verdict.value, user_id, now)
    item = find_item(session, team_id, item_id)
    if item is None:
        raise NotFound("That creator is no longer on a shortlist in this workspace.")
    return DecisionResult(False, item.shortlist_id, item.status, item.decided_by, item.decided_at)


def decisions_for_creator(session: Session, team_id: str, creator_id: int, limit: int = 10) -> list[tuple[Decision, str]]:
    """Latest decisions on a creator, with the niche of the shortlist they were made on."""
    rows = session.execute(
        select(Decision, Shortlist.niche)
        .join(ShortlistItem, ShortlistItem.id == Decision.shortlist_item_id)
        .join(Shortlist, Shortlist.id == ShortlistItem.shortlist_id)
        .where(Decision.team_id == team_id, Decision.creator_id == creator_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(limit)
    )
    return [(d, niche) for d, niche in rows]


def item_decisions(session: Session, team_id: str, item_ids: list[int]) -> dict[int, Decision]:
    """The decision on each of these items that has one (one per item: the guarded update lets only one in)."""
    if not item_ids:
        return {}
    rows = session.scalars(select(Decision).where(Decision.team_id == team_id,
                                                  Decision.shortlist_item_id.in_(item_ids)).order_by(Decision.id))
    return {d.shortlist_item_id: d for d in rows}


def latest_snapshot(session: Session, snapshot_id: int | None) -> MetricSnapshot | None:
    return None if snapshot_id is None else session.get(MetricSnapshot, snapshot_id)
