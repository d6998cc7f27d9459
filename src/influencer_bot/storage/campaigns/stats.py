"""Campaign performance, aggregated in SQL: what `campaign show` and the digests read.

Every figure is "as of" a moment: a post counts with its latest snapshot captured at or
before `as_of` (one index seek per post on post_snapshots(post_id, captured_at)), and the
sums happen in the database with GROUP BY, so a workspace with a million snapshots costs
one query per question rather than a million rows in Python. The formulas live in
influence/kpis.py; `kpis.totals_from_posts` computes the same totals from plain rows and
the tests hold the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from ...influence.benchmarks import Position, position
from ...influence.engagement import Engagement, Method, default_method
from ...influence.kpis import FEED_REACH_PER, FEED_REACH_TIMES, STORY, SUMMED_FIELDS, CampaignTotals, add, ratio
from ...influence.platforms import Platform
from ...influence.tiers import Tier, TierThresholds
from ..models import Campaign, CampaignMember, Creator, Post, PostSnapshot, Shortlist, ShortlistItem

ACTIVE = "active"


def _latest_snapshot_id(as_of: datetime) -> ColumnElement[int]:
    """The id of a post's newest snapshot at or before `as_of` (correlated to Post)."""
    return (select(PostSnapshot.id)
            .where(PostSnapshot.post_id == Post.id, PostSnapshot.captured_at <= as_of)
            .order_by(PostSnapshot.captured_at.desc(), PostSnapshot.id.desc())
            .limit(1).correlate(Post).scalar_subquery())


def _posts_as_of(team_id: str, as_of: datetime, dialect: str) -> Select:
    """One row per post of an active member: its campaign, member, platform, kind, liveness, snapshot id.

    PostgreSQL gets the newest snapshot through LEFT JOIN LATERAL … LIMIT 1 (one index probe per
    post; its planner otherwise evaluates the correlated subquery once per reference and
    hash-joins every snapshot). SQLite has no LATERAL and plans the correlated form well.
    """
    live = case((and_(Post.posted_at.is_not(None), Post.posted_at <= as_of), 1), else_=0)
    query = (select(Post.id.label("post_id"), Post.campaign_id, Post.member_id, Post.platform, Post.kind,
                    live.label("live"))
             .join(CampaignMember, CampaignMember.id == Post.member_id)
             .where(Post.team_id == team_id, CampaignMember.status == ACTIVE))
    if dialect != "postgresql":
        return query.add_columns(_latest_snapshot_id(as_of).label("snap_id"))
    latest = (select(PostSnapshot.id.label("snap_id"))
              .where(PostSnapshot.post_id == Post.id, PostSnapshot.captured_at <= as_of)
              .order_by(PostSnapshot.captured_at.desc(), PostSnapshot.id.desc())
              .limit(1).lateral("latest_snapshot"))
    return query.add_columns(latest.c.snap_id).outerjoin(latest, true())


def _impressions(kind: ColumnElement[str]) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(impressions shown, the part estimated from reach) of one snapshot row, as SQL."""
    estimate = case((kind == STORY, PostSnapshot.reach), else_=(PostSnapshot.reach * FEED_REACH_TIMES) // FEED_REACH_PER)
    shown = func.coalesce(PostSnapshot.impressions, estimate)
    estimated = case((and_(PostSnapshot.impressions.is_(None), PostSnapshot.reach.is_not(None)), estimate), else_=0)
    return shown, estimated


def campaign_totals(session: Session, team_id: str, campaign_ids: Sequence[int] | None, *,
                    as_of: datetime) -> dict[int, CampaignTotals]:
    """Totals per campaign as of `as_of`: {campaign id: CampaignTotals}.

    `campaign_ids` None means every active campaign of the workspace; ids of another
    workspace are ignored. Campaigns without members or posts are present, with zeros and
    unknowns. Two grouped queries: posts (per campaign and platform, for EMV) and members.
    """
    campaigns = select(Campaign.id, Campaign.budget_cents, Campaign.start_date, Campaign.end_date).where(
        Campaign.team_id == team_id)
    campaigns = campaigns.where(Campaign.status == ACTIVE) if campaign_ids is None else campaigns.where(
        Campaign.id.in_(list(campaign_ids)))
    found = session.execute(campaigns).all()
    if not found:
        return {}
    ids = [row.id for row in found]
    posts = _posts_as_of(team_id, as_of, session.get_bind().dialect.name).where(Post.campaign_id.in_(ids)).subquery()
    shown, estimated = _impressions(posts.c.kind)
    post_rows = session.execute(
        select(posts.c.campaign_id, posts.c.platform, func.count().label("planned"),
               func.sum(posts.c.live).label("live"), func.sum(shown).label("impressions"),
               func.sum(estimated).label("estimated"),
               *(func.sum(getattr(PostSnapshot, name)).label(name) for name in SUMMED_FIELDS))
        .select_from(posts).outerjoin(PostSnapshot, PostSnapshot.id == posts.c.snap_id)
        .group_by(posts.c.campaign_id, posts.c.platform)
    ).all()
    cost = CampaignMember.agreed_price_cents + func.coalesce(CampaignMember.product_value_cents, 0)
    has_live_post = (select(Post.id).where(Post.member_id == CampaignMember.id, Post.posted_at.is_not(None),
                                           Post.posted_at <= as_of).exists())
    member_rows = {row.campaign_id: row for row in session.execute(
        select(CampaignMember.campaign_id, func.count().label("members"), func.sum(cost).label("committed"),
               func.sum(case((has_live_post, cost), else_=0)).label("spend"))
        .where(CampaignMember.team_id == team_id, CampaignMember.campaign_id.in_(ids),
               CampaignMember.status == ACTIVE)
        .group_by(CampaignMember.campaign_id))}
    by_campaign: dict[int, list] = {}
    for row in post_rows:
        by_campaign.setdefault(row.campaign_id, []).append(row)
    day = as_of.astimezone(UTC).date()
    return {c.id: _totals(c, day, member_rows.get(c.id), by_campaign.get(c.id, [])) for c in found}


def _totals(campaign, day: date, members, platforms: list) -> CampaignTotals:  # type: ignore[no-untyped-def]
    sums: dict[str, int | None] = dict.fromkeys(SUMMED_FIELDS)
    impressions = None
    by_platform = []
    for row in platforms:
        for name in SUMMED_FIELDS:
            sums[name] = add(sums[name], _int(getattr(row, name)))
        impressions = add(impressions, _int(row.impressions))
        if row.impressions is not None:
            by_platform.append((row.platform, int(row.impressions)))
    return CampaignTotals(
        campaign_id=campaign.id, budget_cents=campaign.budget_cents, start_date=campaign.start_date,
        end_date=campaign.end_date, as_of=day,
        members=int(members.members) if members else 0,
        committed_cents=int(members.committed or 0) if members else 0,
        spend_cents=int(members.spend or 0) if members else 0,
        posts_planned=sum(int(r.planned) for r in platforms), posts_live=sum(int(r.live or 0) for r in platforms),
        impressions=impressions, impressions_estimated=sum(int(r.estimated or 0) for r in platforms),
        impressions_by_platform=tuple(sorted(by_platform)), **sums,  # type: ignore[arg-type]
    )


def _int(value: object) -> int | None:
    """PostgreSQL sums BIGINT into NUMERIC (Decimal); every sum here is a whole number."""
    return None if value is None else int(value)  # type: ignore[call-overload]


# ---------------------------------------------------------------- per creator

@dataclass(frozen=True, slots=True)
class CreatorPerformance:
    member_id: int
    creator_id: int
    handle: str
    platform: str
    tier: Tier | None
    followers: int | None
    spend_cents: int  # agreed fee + product value
    posts_planned: int
    posts_live: int
    engagements: int | None
    impressions: int | None
    impressions_estimated: bool
    views: int | None
    position: Position | None  # against the platform-and-tier median, by the platform's own method

    @property
    def engagement_rate(self) -> float | None:
        """engagements ÷ impressions, as for the campaign."""
        return ratio(self.engagements, self.impressions)

    @property
    def benchmark_ratio(self) -> float | None:
        return None if self.position is None else self.position.ratio

    @property
    def below_benchmark(self) -> bool:
        """Under its tier's median (ratio < 1); unknown is not below."""
        return self.position is not None and self.position.ratio < 1.0


def creator_rows(session: Session, team_id: str, campaign_id: int, *, as_of: datetime,
                 thresholds: TierThresholds = TierThresholds()) -> list[CreatorPerformance]:
    """Every active member with its posts' sums as of `as_of`, best engagements first.

    The benchmark uses each platform's method (Instagram: engagements per live post that
    reported any engagement ÷ followers; TikTok and YouTube: engagements ÷ views), so "0.4× the micro Instagram
    median" means what it means on a creator card.
    """
    posts = _posts_as_of(team_id, as_of, session.get_bind().dialect.name).where(Post.campaign_id == campaign_id).subquery()
    shown, estimated = _impressions(posts.c.kind)
    engagement_parts = [func.sum(getattr(PostSnapshot, n)) for n in ("likes", "comments", "shares", "saves")]
    reported = or_(*(getattr(PostSnapshot, n).is_not(None) for n in ("likes", "comments", "shares", "saves")))
    feed_live = case((and_(posts.c.live == 1, reported), 1), else_=0)
    sums = (select(posts.c.member_id, func.count().label("planned"), func.sum(posts.c.live).label("live"),
                   func.sum(feed_live).label("feed_live"),
                   func.sum(shown).label("impressions"), func.sum(estimated).label("estimated"),
                   func.sum(PostSnapshot.views).label("views"),
                   *(part.label(f"e{n}") for n, part in enumerate(engagement_parts)))
            .select_from(posts).outerjoin(PostSnapshot, PostSnapshot.id == posts.c.snap_id)
            .group_by(posts.c.member_id).subquery())
    rows = session.execute(
        select(CampaignMember.id, CampaignMember.creator_id, CampaignMember.agreed_price_cents,
               CampaignMember.product_value_cents, Creator.handle, Creator.platform, Creator.followers, sums)
        .join(Creator, Creator.id == CampaignMember.creator_id)
        .outerjoin(sums, sums.c.member_id == CampaignMember.id)
        .where(CampaignMember.team_id == team_id, CampaignMember.campaign_id == campaign_id,
               CampaignMember.status == ACTIVE)
    ).all()
    out = []
    for r in rows:
        engagements = None
        for n in range(4):
            engagements = add(engagements, _int(getattr(r, f"e{n}")))
        platform = Platform(r.platform)
        tier = thresholds.tier_of(r.followers)
        live = int(r.live or 0)
        views = _int(r.views)
        per_follower = default_method(platform) is Method.BY_FOLLOWERS
        feed = int(r.feed_live or 0)  # posts with no engagement reported (stories) would dilute a per-post rate
        base = (r.followers or 0) * feed if per_follower else views
        eng = Engagement(ratio(engagements, base), default_method(platform), feed if per_follower else live, None)
        out.append(CreatorPerformance(
            member_id=r.id, creator_id=r.creator_id, handle=r.handle, platform=r.platform, tier=tier,
            followers=r.followers, spend_cents=r.agreed_price_cents + (r.product_value_cents or 0),
            posts_planned=int(r.planned or 0), posts_live=live, engagements=engagements,
            impressions=_int(r.impressions), impressions_estimated=bool(r.estimated), views=views,
            position=position(platform, tier, eng) if live else None,
        ))
    out.sort(key=lambda c: (c.engagements is None, -(c.engagements or 0), c.handle))
    return out


# ---------------------------------------------------------------- waiting for approval

@dataclass(frozen=True, slots=True)
class PendingDecision:
    item_id: int
    shortlist_id: int
    campaign_id: int | None
    niche: str
    handle: str
    platform: str
    price_cents: int
    channel_id: str | None
    message_ts: str | None
    proposed_at: datetime


def pending_decisions(session: Session, team_id: str, campaign_id: int | None) -> list[PendingDecision]:
    """Shortlist items still `proposed`, oldest first: on shortlists attached to `campaign_id`,
    or (None) on every shortlist of the workspace, attached or not."""
    query = (select(ShortlistItem.id, ShortlistItem.shortlist_id, Shortlist.campaign_id, Shortlist.niche,
                    Creator.handle, Creator.platform, ShortlistItem.price_cents, Shortlist.channel_id,
                    Shortlist.message_ts, Shortlist.created_at)
             .join(Shortlist, Shortlist.id == ShortlistItem.shortlist_id)
             .join(Creator, Creator.id == ShortlistItem.creator_id)
             .where(ShortlistItem.team_id == team_id, ShortlistItem.status == "proposed")
             .order_by(Shortlist.created_at, ShortlistItem.shortlist_id, ShortlistItem.position))
    if campaign_id is not None:
        query = query.where(Shortlist.campaign_id == campaign_id)
    return [PendingDecision(*row) for row in session.execute(query)]
