"""Build the shortlist message's view from the database: the only source of its state."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..influence.pricing import Price, PriceSource
from ..influence.profile import build_profile
from ..storage.creators import CreatorView
from ..storage.models import Decision, ShortlistItem
from ..storage.shortlists import get_shortlist
from .services import Services
from .views.shortlist import ItemView, ShortlistView


def load_shortlist_view(session: Session, team_id: str, shortlist_id: int, services: Services) -> ShortlistView:
    shortlist = get_shortlist(session, team_id, shortlist_id)
    items = []
    for item in shortlist.items:
        creator = item.creator
        profile = build_profile(CreatorView(creator, creator.latest_metrics).facts(),
                                services.thresholds, services.quality_rules)
        if profile.price is None or profile.price.cents != item.price_cents:
            # the price agreed on the shortlist is what was proposed, whatever the rate card says today
            source = PriceSource(item.price_source)
            low = profile.price.low_cents if profile.price else None
            high = profile.price.high_cents if profile.price else None
            profile = _with_price(profile, Price(item.price_cents, source, low, high))
        items.append(ItemView(item.id, shortlist.id, profile, creator.display_name, item.price_cents,
                              item.price_source, item.relevance, item.expected_value, item.status,
                              item.decided_by, item.decided_at))
    summary = shortlist.options or {}
    return ShortlistView(
        shortlist_id=shortlist.id, niche=shortlist.niche, budget_cents=shortlist.budget_cents,
        requested_by=shortlist.requested_by, items=items, goal=str(summary.get("goal") or "engagement"),
        pool=summary.get("pool"), excluded=Counter(summary.get("excluded") or {}),
        best_single_value=summary.get("best_single_value"), optimal=bool(summary.get("optimal", True)),
        gap=float(summary.get("gap") or 0.0),
    )


def _with_price(profile, price):  # type: ignore[no-untyped-def]
    from dataclasses import replace
    return replace(profile, price=price)


def decision_version(session: Session, team_id: str, shortlist_id: int) -> int:
    """Grows with every decision on the shortlist: tells a renderer its view went stale."""
    return session.scalar(
        select(func.coalesce(func.max(Decision.id), 0))
        .join(ShortlistItem, ShortlistItem.id == Decision.shortlist_item_id)
        .where(Decision.team_id == team_id, ShortlistItem.shortlist_id == shortlist_id)
    ) or 0
