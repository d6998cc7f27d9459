"""Digest subscriptions: a channel's standing order for a daily or weekly digest.

A channel has at most one active subscription per scope (one campaign, or all of the
workspace's active campaigns): subscribing again replaces the schedule instead of adding
a second digest, so `/influencer digest daily 10:00` after `daily 09:00` moves it.
Turning a digest off keeps the row (and its ledger) with `active = False`.
The ledger itself (who posted which period) lives in digests/ledger.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.digest_schedule import Cadence
from ..models import Campaign, DigestSubscription


@dataclass(frozen=True, slots=True)
class Schedule:
    """What a user asked for; `campaign_id` None means all active campaigns of the workspace."""

    cadence: Cadence
    campaign_id: int | None
    chart: bool = True


def cadence_of(sub: DigestSubscription) -> Cadence:
    return Cadence(sub.cadence, sub.time_of_day, sub.timezone, sub.weekday)


def subscribe(session: Session, team_id: str, channel_id: str, schedule: Schedule,
              user_id: str) -> tuple[DigestSubscription, bool]:
    """Create or replace the channel's subscription for that scope; True when one was replaced."""
    found = session.scalars(_scope(team_id, channel_id, schedule.campaign_id).with_for_update()).first()
    c = schedule.cadence
    values = dict(cadence=c.kind, weekday=c.weekday, time_of_day=c.time_of_day, timezone=c.timezone,
                  chart=schedule.chart)
    if found is not None:
        for key, value in values.items():
            setattr(found, key, value)
        session.flush()
        return found, True
    sub = DigestSubscription(team_id=team_id, channel_id=channel_id, campaign_id=schedule.campaign_id,
                             created_by=user_id, active=True, **values)
    try:
        with session.begin_nested():  # a concurrent subscribe may win the unique active-scope index
            session.add(sub)
    except IntegrityError:
        found = session.scalars(_scope(team_id, channel_id, schedule.campaign_id)).one()
        for key, value in values.items():
            setattr(found, key, value)
        session.flush()
        return found, True
    return sub, False


def _scope(team_id: str, channel_id: str, campaign_id: int | None):  # type: ignore[no-untyped-def]
    same_campaign = (DigestSubscription.campaign_id.is_(None) if campaign_id is None
                     else DigestSubscription.campaign_id == campaign_id)
    return (select(DigestSubscription)
            .where(DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id,
                   DigestSubscription.active.is_(True), same_campaign)
            .order_by(DigestSubscription.id))


def channel_subscription(session: Session, team_id: str, channel_id: str,
                         campaign_id: int | None) -> DigestSubscription | None:
    """The channel's active subscription for one scope (a campaign, or None: all campaigns)."""
    return session.scalars(_scope(team_id, channel_id, campaign_id)).first()


def channel_subscriptions(session: Session, team_id: str, channel_id: str
                          ) -> list[tuple[DigestSubscription, str | None]]:
    """The channel's active subscriptions with their campaign's name (None: all campaigns)."""
    rows = session.execute(
        select(DigestSubscription, Campaign.name)
        .outerjoin(Campaign, (Campaign.id == DigestSubscription.campaign_id) & (Campaign.team_id == team_id))
        .where(DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id,
               DigestSubscription.active.is_(True))
        .order_by(DigestSubscription.id)
    ).all()
    return [(sub, name) for sub, name in rows]


def unsubscribe(session: Session, team_id: str, channel_id: str, campaign_id: int | None,
                *, every: bool = False) -> int:
    """Turn off the channel's digest for one scope (or all of them with `every`); how many were on."""
    query = update(DigestSubscription).where(
        DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id,
        DigestSubscription.active.is_(True))
    if not every:
        query = query.where(DigestSubscription.campaign_id.is_(None) if campaign_id is None
                            else DigestSubscription.campaign_id == campaign_id)
    return session.execute(query.values(active=False)).rowcount or 0


def end_campaign_subscriptions(session: Session, team_id: str, campaign_id: int) -> list[str]:
    """Turn off every digest of this one campaign (it was closed); the channels they posted to."""
    channels = session.scalars(
        update(DigestSubscription).where(
            DigestSubscription.team_id == team_id, DigestSubscription.campaign_id == campaign_id,
            DigestSubscription.active.is_(True)).values(active=False)
        .returning(DigestSubscription.channel_id)).all()
    return sorted(set(channels))


def get_subscription(session: Session, subscription_id: int) -> DigestSubscription | None:
    return session.get(DigestSubscription, subscription_id)


def active_subscriptions(session: Session) -> list[DigestSubscription]:
    """Every workspace's active subscriptions: the scheduler's one cross-workspace read.

    Everything the scheduler does next is scoped by each subscription's own team_id.
    """
    return list(session.scalars(select(DigestSubscription).where(DigestSubscription.active.is_(True))
                                .order_by(DigestSubscription.id)))
