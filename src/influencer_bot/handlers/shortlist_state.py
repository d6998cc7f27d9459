"""Build the shortlist message's view from the database, the only source of its state once
posted, or straight from a Proposal (the benchmark renders without saving)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..influence.pricing import Price, PriceSource
from ..influence.profile import build_profile
from ..storage.creators.views import CreatorView
from ..storage.db import reading
from ..storage.models import Campaign, Decision, Shortlist, ShortlistItem
from ..storage.search.finder import Proposal, pick_notes
from ..storage.shortlists import get_shortlist, item_decisions
from .services import Services
from .views.shortlist import ItemView, ShortlistView, shortlist_blocks, shortlist_text


def load_shortlist_view(session: Session, team_id: str, shortlist_id: int, services: Services) -> ShortlistView:
    shortlist = get_shortlist(session, team_id, shortlist_id)
    summary = shortlist.options or {}
    notes, shares = summary.get("partial") or {}, summary.get("shares") or {}
    items = []
    rejections = item_decisions(session, team_id, [i.id for i in shortlist.items if i.status == "rejected"])
    for item in shortlist.items:
        creator = item.creator
        profile = build_profile(CreatorView(creator, creator.latest_metrics).facts(),
                                services.thresholds, services.quality_rules)
        if profile.price is None or profile.price.cents != item.price_cents:
            # the price agreed on the shortlist is what was proposed, whatever the rate card says today
            source = PriceSource(item.price_source)
            low = profile.price.low_cents if profile.price else None
            high = profile.price.high_cents if profile.price else None
            profile = replace(profile, price=Price(item.price_cents, source, low, high))
        items.append(ItemView(item.id, shortlist.id, profile, creator.display_name, item.price_cents,
                              item.price_source, item.relevance, item.expected_value, item.status,
                              item.decided_by, item.decided_at, notes.get(str(item.creator_id)),
                              tuple(shares.get(str(item.creator_id)) or ()),
                              reason=getattr(rejections.get(item.id), "reason", None),
                              note=getattr(rejections.get(item.id), "note", None)))
    campaign = session.scalar(select(Campaign.name).where(
        Campaign.team_id == team_id, Campaign.id == shortlist.campaign_id)) if shortlist.campaign_id else None
    return ShortlistView(
        shortlist_id=shortlist.id, niche=shortlist.niche, budget_cents=shortlist.budget_cents,
        requested_by=shortlist.requested_by, items=items, goal=str(summary.get("goal") or "engagement"),
        pool=summary.get("pool"), excluded=Counter(summary.get("excluded") or {}),
        best_single_value=summary.get("best_single_value"), optimal=bool(summary.get("optimal", True)),
        gap=float(summary.get("gap") or 0.0),
        campaign=campaign,
    )


def proposal_summary(proposal: Proposal) -> dict[str, object]:
    """What the message needs beyond its items, stored with the shortlist (JSON)."""
    return proposal.query.options() | {
        "pool": proposal.pool, "excluded": dict(proposal.excluded),
        "best_single_value": proposal.best_single.value if proposal.best_single else None,
        "optimal": proposal.selection.optimal, "gap": proposal.selection.gap,
    } | pick_notes(proposal)


def view_from_proposal(proposal: Proposal, requested_by: str) -> ShortlistView:
    """The message a proposal would post, unsaved: item ids are 0."""
    s = proposal_summary(proposal)
    items = [ItemView(0, 0, p.profile, p.view.creator.display_name, p.profile.price.cents if p.profile.price else 0,
                      p.profile.price.source.value if p.profile.price else "", p.relevance, p.value, "proposed",
                      None, None, p.partial, p.shares) for p in proposal.picks]
    return ShortlistView(shortlist_id=0, niche=proposal.query.niche, budget_cents=proposal.query.budget_cents,
                         requested_by=requested_by, items=items, goal=proposal.query.goal, pool=proposal.pool,
                         excluded=Counter(proposal.excluded), best_single_value=s["best_single_value"],  # type: ignore[arg-type]
                         optimal=proposal.selection.optimal, gap=proposal.selection.gap)


def decision_version(session: Session, team_id: str, shortlist_id: int) -> tuple[int, int, int]:
    """Grows with every decision, added item or campaign attached: tells a renderer its view went stale."""
    last = session.scalar(
        select(func.coalesce(func.max(Decision.id), 0))
        .join(ShortlistItem, ShortlistItem.id == Decision.shortlist_item_id)
        .where(Decision.team_id == team_id, ShortlistItem.shortlist_id == shortlist_id)
    ) or 0
    items = session.scalar(select(func.count()).select_from(ShortlistItem).where(
        ShortlistItem.team_id == team_id, ShortlistItem.shortlist_id == shortlist_id)) or 0
    campaign = session.scalar(select(Shortlist.campaign_id).where(
        Shortlist.team_id == team_id, Shortlist.id == shortlist_id)) or 0
    return last, items, campaign


MAX_REFRESHES = 3


def refresh_message(services: Services, client: WebClient, team_id: str, shortlist_id: int) -> None:
    """Edit the shortlist message to match the database, again if a change landed meanwhile."""
    for _ in range(MAX_REFRESHES):
        with reading(services.sessions) as session:
            shortlist = session.get(Shortlist, shortlist_id)
            if shortlist is None or shortlist.team_id != team_id or not shortlist.message_ts:
                return
            version = decision_version(session, team_id, shortlist_id)
            view = load_shortlist_view(session, team_id, shortlist_id, services)
            channel, ts = shortlist.channel_id, shortlist.message_ts
        client.chat_update(channel=channel, ts=ts, text=shortlist_text(view), blocks=shortlist_blocks(view))
        with reading(services.sessions) as session:
            if decision_version(session, team_id, shortlist_id) == version:
                return
