"""Demo campaigns: members, posts and three weeks of daily snapshots, so digests have a story.

Written through the real paths where it matters (a shortlist attached to the campaign,
approvals through `decide`, which adds the members), deterministic for a seed and a `now`,
and skipped for a campaign that already exists, so loading twice changes nothing. The
three campaigns tell different stories: "Vegan baking launch" on pace, "Keyboard week"
ahead with one creator far below its benchmark, "Winter skincare" behind with most posts
still planned; each has creators waiting for approval.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...influence.benchmarks import benchmark
from ...influence.platforms import Platform
from ...influence.tiers import TierThresholds
from ..campaigns.store import Goal, attach_shortlist, create_campaign, get_campaign
from ..db import transaction
from ..models import Campaign, CampaignMember, Creator, MetricSnapshot, Post, PostSnapshot
from ..shortlists import NewItem, Verdict, create_shortlist, decide

SOURCE = "demo"
OWNER, APPROVER = "U0LOCAL", "U0MANAGER"
_RATE_PER_1K = {"instagram": 10_00, "youtube": 20_00, "tiktok": 2_50}  # cents per 1,000 followers (DOMAIN.md)


@dataclass(frozen=True, slots=True)
class _Plan:
    name: str
    niche: str
    hashtag: str
    goal: Goal
    started_days_ago: int
    length_days: int
    members: int
    schedule: str  # "even": posts spread over the campaign; "early": all out early; "late": mostly planned


PLANS = (
    _Plan("Vegan baking launch", "vegan baking", "#veganbaking", Goal.SALES, 21, 35, 6, "even"),
    _Plan("Keyboard week", "mechanical keyboards", "#mechanicalkeyboards", Goal.TRAFFIC, 14, 24, 5, "early"),
    _Plan("Winter skincare", "skincare", "#skincare", Goal.AWARENESS, 20, 45, 7, "late"),
)


def load_demo_campaigns(factory: sessionmaker[Session], team_id: str, *, seed: int = 7,
                        now: datetime | None = None) -> list[str]:
    """Create the demo campaigns that do not exist yet; returns the names created."""
    now = now or datetime.now(UTC)
    created = []
    for index, plan in enumerate(PLANS):
        with transaction(factory) as session:
            if _exists(session, team_id, plan.name):
                continue
            if _load_one(session, team_id, plan, random.Random(seed * 1_000 + index), now):
                created.append(plan.name)
    return created


def _exists(session: Session, team_id: str, name: str) -> bool:
    try:
        get_campaign(session, team_id, name)
        return True
    except Exception:  # NotFound: not there yet
        return False


def _candidates(session: Session, team_id: str, plan: _Plan, rng: random.Random, n: int) -> list[tuple]:
    """Nano and micro creators of the niche with engagement known, picked deterministically."""
    rows = session.execute(
        select(Creator.id, Creator.platform, Creator.followers, Creator.quoted_price_cents, MetricSnapshot.avg_likes,
               MetricSnapshot.avg_views)
        .join(MetricSnapshot, MetricSnapshot.id == Creator.latest_metrics_id)
        .where(Creator.team_id == team_id, Creator.topics.contains(plan.hashtag),
               Creator.followers.between(3_000, 150_000), MetricSnapshot.avg_likes.is_not(None))
        .order_by(Creator.id).limit(400)).all()
    return rng.sample(rows, min(n, len(rows)))


def _price(platform: str, followers: int, quoted: int | None) -> int:
    if quoted:
        return quoted
    return max(50_00, round(followers * _RATE_PER_1K[platform] / 1000 / 500) * 500)


def _load_one(session: Session, team_id: str, plan: _Plan, rng: random.Random, now: datetime) -> bool:
    today = now.astimezone(UTC).date()
    start = today - timedelta(days=plan.started_days_ago)
    picks = _candidates(session, team_id, plan, rng, plan.members + 2)
    if len(picks) < 3:
        return False  # a small demo population without this niche: no campaign rather than a thin one
    members, waiting = picks[:-2], picks[-2:]
    committed = sum(_price(p.platform, p.followers, p.quoted_price_cents) for p in members)
    budget = math.ceil(committed / (0.8 if plan.schedule == "even" else 0.95) / 100_00) * 100_00
    campaign = create_campaign(session, team_id, name=plan.name, budget_cents=budget, owner_id=OWNER,
                               channel_id="C0LOCAL", start=start, end=start + timedelta(days=plan.length_days - 1),
                               goal=plan.goal, niche=plan.niche)
    session.flush()
    proposed_at = datetime.combine(start - timedelta(days=3), time(10), UTC)
    shortlist = create_shortlist(
        session, team_id, niche=plan.niche, budget_cents=budget, options={"goal": "engagement"}, requested_by=OWNER,
        channel_id="C0LOCAL", items=[NewItem(p.id, _price(p.platform, p.followers, p.quoted_price_cents),
                                             "quoted" if p.quoted_price_cents else "estimate", None, None)
                                     for p in picks])
    shortlist.created_at = proposed_at
    attach_shortlist(session, team_id, shortlist.id, campaign.id)
    for item in shortlist.items[:len(members)]:
        decide(session, team_id, item.id, Verdict.APPROVED, APPROVER, now=proposed_at + timedelta(days=1))
    member_ids = dict(session.execute(select(CampaignMember.creator_id, CampaignMember.id)
                                      .where(CampaignMember.campaign_id == campaign.id)).all())
    if plan.name == "Vegan baking launch":  # one member also got product: spend includes it
        session.get(CampaignMember, member_ids[members[0].id]).product_value_cents = 40_00  # type: ignore[union-attr]
    for n, pick in enumerate(members):
        weak = plan.schedule == "early" and n == 0  # clearly below its tier's benchmark
        _member_posts(session, team_id, campaign, member_ids[pick.id], pick, n, len(members), plan, rng, now, weak)
    del waiting  # they stay "proposed": the digest's "waiting for approval"
    return True


def _first_day(plan: _Plan, n: int, count: int, rng: random.Random) -> int:
    """Day (from the start) of a member's first post, by the campaign's schedule."""
    if plan.schedule == "early":
        return rng.randint(0, 4)
    if plan.schedule == "late":
        return rng.randint(3, 8) if n == 0 else plan.started_days_ago + rng.randint(2, 15)
    return int((n + 0.5) * plan.length_days / count)


def _member_posts(session: Session, team_id: str, campaign: Campaign, member_id: int, pick, n: int,  # type: ignore[no-untyped-def]
                  count: int, plan: _Plan, rng: random.Random, now: datetime, weak: bool) -> None:
    start = campaign.start_date
    assert start is not None
    first = _first_day(plan, n, count, rng)
    for k in range(rng.randint(1, 3)):
        day = start + timedelta(days=first + 4 * k)
        kind = "story" if pick.platform == "instagram" and k == 1 else (
            "video" if pick.platform != "instagram" else "feed")
        live = datetime.combine(day, time(17), UTC) <= now
        post = Post(team_id=team_id, campaign_id=campaign.id, member_id=member_id, platform=pick.platform,
                    url=_url(pick.platform, campaign.id, member_id, k) if live else None, kind=kind,
                    planned_date=day, posted_at=datetime.combine(day, time(17), UTC) if live else None)
        session.add(post)
        session.flush()
        if live:
            session.add_all(_snapshots(team_id, post, pick, day, now, rng, weak))


def _engagement(likes: float, story: bool) -> dict[str, int | None]:
    """Stories report reach only (no public likes); feed posts and videos report all four."""
    if story:
        return dict.fromkeys(("likes", "comments", "shares", "saves"))
    return {"likes": int(likes), "comments": int(likes * 0.05), "shares": int(likes * 0.02),
            "saves": int(likes * 0.03)}


def _url(platform: str, campaign_id: int, member_id: int, k: int) -> str:
    slug = f"demo{campaign_id}x{member_id}x{k}"
    return {"instagram": f"https://www.instagram.com/p/{slug}/", "tiktok": f"https://www.tiktok.com/@demo/video/{slug}",
            "youtube": f"https://www.youtube.com/watch?v={slug}"}[platform]


def _snapshots(team_id: str, post: Post, pick, day: date, now: datetime, rng: random.Random,  # type: ignore[no-untyped-def]
               weak: bool) -> list[PostSnapshot]:
    """Daily cumulative figures that grow fast, then level off (1 − e^(−days/2.5))."""
    followers = pick.followers
    by_views = post.platform != "instagram"
    reach = followers * rng.uniform(0.25, 0.6)
    views = followers * rng.uniform(0.6, 2.0) if by_views else None
    likes = (views * rng.uniform(0.06, 0.1) if by_views and views else (pick.avg_likes or 0) * rng.uniform(0.9, 1.4))
    if weak:  # a quarter of its platform-and-tier median: "0.3× the nano Instagram median"
        bench = benchmark(Platform(post.platform), TierThresholds().tier_of(followers))
        likes = (views if by_views and views else followers) * (bench.median_pct if bench else 2.0) / 100 * 0.25
    clicks = reach * rng.uniform(0.004, 0.015)
    with_impressions = post.kind != "story" and rng.random() < 0.7  # the rest: reach only, estimated
    snaps = []
    for d in range(0, (now.date() - day).days + 1):
        at = min(datetime.combine(day + timedelta(days=d), time(23, 30), UTC), now)
        if at <= post.posted_at:  # type: ignore[operator]
            continue
        f = 1 - math.exp(-(d + 0.5) / 2.5)
        conversions = int(clicks * f * 0.05)
        snaps.append(PostSnapshot(
            team_id=team_id, post_id=post.id, captured_at=at, source=SOURCE,
            impressions=int(reach * f * 1.7) if with_impressions else None, reach=int(reach * f),
            views=int(views * f) if views else None, **_engagement(likes * f, post.kind == "story"),
            clicks=int(clicks * f), conversions=conversions, revenue_cents=conversions * 35_00))
    return snaps
