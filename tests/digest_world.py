"""A small campaign whose every number the digest tests can recompute by hand.

Four members: an Instagram feed post and a TikTok video that grow a little every day, an
Instagram story that reports reach only (impressions are estimated), and a post still
planned. One creator engages far below the micro Instagram median, and one shortlist
item attached to the campaign is waiting for approval. `expected_totals` recomputes the
KPIs from the same plain rows with influence/kpis.totals_from_posts, independently of SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import add, baker
from influencer_bot.influence.kpis import (
    NUMBER_FIELDS, CampaignTotals, MemberDeal, PostFigures, PostNumbers, totals_from_posts,
)
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.campaigns.store import add_member, create_campaign
from influencer_bot.storage.creators.views import find_by_handle
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import Campaign, CampaignMember, Post, PostSnapshot, Shortlist, ShortlistItem

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
#: handle, platform, fee $, product $, post kind, posted days ago (None: planned), daily numbers
CREW = [
    ("crumbs", Platform.INSTAGRAM, 500, 40, "feed", 10,
     dict(impressions=4_000, reach=3_000, likes=300, comments=20, saves=10, clicks=30, conversions=2,
          revenue_cents=9_000)),
    ("tiktaker", Platform.TIKTOK, 300, None, "video", 6,
     dict(impressions=9_000, views=8_000, likes=700, comments=40, shares=25, clicks=12)),
    ("quietone", Platform.INSTAGRAM, 200, None, "story", 4, dict(reach=2_000, likes=2, comments=0)),
    ("later", Platform.INSTAGRAM, 150, None, "feed", None, {}),
]


@dataclass
class World:
    team_id: str
    campaign_id: int
    name: str
    budget_cents: int
    start: date
    end: date
    anchor: datetime  # the `now` the world was built around


def snapshot_numbers(daily: dict[str, int], days_live: int) -> dict[str, int]:
    """Cumulative numbers of a post `days_live` days after it went live."""
    return {k: v * days_live for k, v in daily.items()}


def make_world(factory: sessionmaker[Session], team: str, *, name: str = "Spring launch", now: datetime = NOW,
               budget_usd: int = 5_000, channel: str = "C0LOCAL") -> World:
    add(factory, team, baker("crumbs", 20_000, 800, price_usd=500), baker("quietone", 50_000, 1_500),
        baker("tiktaker", 30_000, 900, platform=Platform.TIKTOK, views=20_000), baker("later", 5_000, 200),
        baker("pending1", 15_000, 600, price_usd=250))
    start, end = (now - timedelta(days=12)).date(), (now + timedelta(days=17)).date()
    with transaction(factory) as s:
        campaign = create_campaign(s, team, name=name, budget_cents=budget_usd * 100, owner_id="U0LOCAL",
                                   channel_id=channel, start=start, end=end)
        s.flush()
        for handle, platform, fee, product, kind, ago, daily in CREW:
            creator = find_by_handle(s, team, handle, platform)[0].creator
            add_member(s, team, campaign.id, creator.id, fee * 100, "U0LOCAL", now=now - timedelta(days=12))
            member = s.query(CampaignMember).filter_by(campaign_id=campaign.id, creator_id=creator.id).one()
            member.product_value_cents = product * 100 if product else None
            posted = None if ago is None else now - timedelta(days=ago)
            post = Post(team_id=team, campaign_id=campaign.id, member_id=member.id, platform=platform.value,
                        url=f"https://example.com/{name.replace(' ', '-')}/{handle}", kind=kind,
                        planned_date=(now - timedelta(days=ago or -3)).date(), posted_at=posted)
            s.add(post)
            s.flush()
            for day in range(1, (ago or 0) + 1):
                s.add(PostSnapshot(team_id=team, post_id=post.id, captured_at=posted + timedelta(days=day, hours=-1),
                                   source="test", **snapshot_numbers(daily, day)))
        pending_creator = find_by_handle(s, team, "pending1", Platform.INSTAGRAM)[0].creator
        shortlist = Shortlist(team_id=team, niche="vegan baking", budget_cents=100_000, options={},
                              requested_by="U0LOCAL", channel_id=channel, campaign_id=campaign.id)
        shortlist.items = [ShortlistItem(team_id=team, creator_id=pending_creator.id, position=0, price_cents=25_000,
                                         price_source="quoted")]
        s.add(shortlist)
    return World(team, campaign.id, name, budget_usd * 100, start, end, now)


def expected_totals(world: World, as_of: datetime) -> CampaignTotals:
    """The KPIs from plain Python rows, the same way a spreadsheet would add them up."""
    members, posts = [], []
    for n, (_handle, platform, fee, product, kind, ago, daily) in enumerate(CREW):
        members.append(MemberDeal(n, fee * 100, product * 100 if product else None))
        posted = None if ago is None else world.anchor - timedelta(days=ago)
        live = posted is not None and posted <= as_of
        days = 0
        if posted is not None:
            days = sum(1 for d in range(1, ago + 1) if posted + timedelta(days=d, hours=-1) <= as_of)
        numbers = snapshot_numbers(daily, days) if days else {}
        posts.append(PostFigures(n, platform.value, kind, live, PostNumbers(**numbers)))
    return totals_from_posts(world.campaign_id, world.budget_cents, world.start, world.end,
                             as_of.astimezone(UTC).date(), members, posts)


def python_totals(session: Session, team: str, campaign_ids: list[int] | None, *,
                  as_of: datetime) -> dict[int, CampaignTotals]:
    """Any workspace's totals the slow, obvious way: every row into Python, summed there.

    The independent reference for the SQL aggregation (tests) and the naive baseline (bench).
    `campaign_ids` None means every active campaign.
    """
    query = select(Campaign).where(Campaign.team_id == team)
    query = query.where(Campaign.status == "active") if campaign_ids is None else query.where(
        Campaign.id.in_(campaign_ids))
    campaigns = session.scalars(query).all()
    ids = [c.id for c in campaigns]
    members = session.execute(select(CampaignMember.id, CampaignMember.campaign_id, CampaignMember.agreed_price_cents,
                                     CampaignMember.product_value_cents)
                              .where(CampaignMember.campaign_id.in_(ids), CampaignMember.status == "active")).all()
    active = {m.id for m in members}
    posts = [p for p in session.execute(select(Post.id, Post.campaign_id, Post.member_id, Post.platform, Post.kind,
                                                Post.posted_at).where(Post.campaign_id.in_(ids))) if p.member_id in active]
    snapshots = select(*PostSnapshot.__table__.c).where(PostSnapshot.team_id == team, PostSnapshot.captured_at <= as_of)
    if campaign_ids is not None:
        snapshots = snapshots.where(PostSnapshot.post_id.in_([p.id for p in posts]))
    latest: dict[int, object] = {}
    for snap in session.execute(snapshots):
        seen = latest.get(snap.post_id)
        if seen is None or (snap.captured_at, snap.id) > (seen.captured_at, seen.id):  # type: ignore[attr-defined]
            latest[snap.post_id] = snap
    deals: dict[int, list[MemberDeal]] = {c: [] for c in ids}
    figures: dict[int, list[PostFigures]] = {c: [] for c in ids}
    for m in members:
        deals[m.campaign_id].append(MemberDeal(m.id, m.agreed_price_cents, m.product_value_cents))
    for p in posts:
        s = latest.get(p.id)
        numbers = PostNumbers(**{k: getattr(s, k) for k in NUMBER_FIELDS}) if s else PostNumbers()
        live = p.posted_at is not None and p.posted_at <= as_of
        figures[p.campaign_id].append(PostFigures(p.member_id, p.platform, p.kind, live, numbers))
    return {c.id: totals_from_posts(c.id, c.budget_cents, c.start_date, c.end_date, as_of.astimezone(UTC).date(),
                                    deals[c.id], figures[c.id]) for c in campaigns}
