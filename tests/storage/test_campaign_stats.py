"""The SQL aggregation equals the KPI formulas computed independently in Python."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.influence.benchmarks import benchmark
from influencer_bot.influence.kpis import NUMBER_FIELDS as FIELDS, MemberDeal, PostFigures, PostNumbers, totals_from_posts
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.campaigns import store
from influencer_bot.storage.campaigns.stats import campaign_totals, creator_rows, pending_decisions
from influencer_bot.storage.digests.content import build_content, chart_data
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import CampaignMember, Creator, Post, PostSnapshot
from influencer_bot.storage.shortlists import NewItem, Verdict, create_shortlist, decide

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def _creators(factory, team, n=12):
    add(factory, team, *[baker(f"c{i}", 5_000 + 7_000 * i, 300 + 10 * i,
                               platform=list(Platform)[i % 3]) for i in range(n)])
    with factory() as s:
        return s.execute(select(Creator.id, Creator.platform).where(Creator.team_id == team)
                         .order_by(Creator.id)).all()


def _generate(factory, team, seed=3):
    """Random campaigns, members, posts and snapshots, with unknowns; returns the plain rows written."""
    rng = random.Random(seed)
    creators = _creators(factory, team)
    plain = {"campaigns": {}, "members": [], "posts": [], "snaps": []}
    with transaction(factory) as s:
        for n in range(3):
            c = store.create_campaign(s, team, name=f"Campaign {n}", budget_cents=rng.randint(1, 9) * 100_000,
                                      owner_id="U1", channel_id="C1", start=date(2026, 12, 1), end=date(2026, 12, 31))
            s.flush()
            plain["campaigns"][c.id] = c
            for cid, platform in rng.sample(creators, 5):
                m = CampaignMember(team_id=team, campaign_id=c.id, creator_id=cid, added_by="U1",
                                   agreed_price_cents=rng.randint(50, 900) * 100,
                                   product_value_cents=rng.choice([None, 2_500]), status="active")
                s.add(m)
                s.flush()
                plain["members"].append(m)
                for k in range(rng.randint(0, 3)):
                    posted = rng.choice([None, T0 + timedelta(days=rng.randint(0, 20))])
                    p = Post(team_id=team, campaign_id=c.id, member_id=m.id, platform=platform,
                             url=f"https://example.com/{team}/{m.id}/{k}", kind=rng.choice(["feed", "story", "reel"]),
                             posted_at=posted)
                    s.add(p)
                    s.flush()
                    plain["posts"].append(p)
                    for d in range(rng.randint(0, 6)):
                        snap = {f: rng.choice([None, rng.randint(0, 50_000)]) for f in FIELDS}
                        snap["captured_at"] = T0 + timedelta(days=3 * d, minutes=k)
                        s.add(PostSnapshot(team_id=team, post_id=p.id, source="test", **snap))
                        plain["snaps"].append((p.id, snap))
    return plain


def _expected(plain, as_of):
    out = {}
    for cid, c in plain["campaigns"].items():
        members = [m for m in plain["members"] if m.campaign_id == cid]
        figures = []
        for p in (p for p in plain["posts"] if p.campaign_id == cid):
            snaps = [s for pid, s in plain["snaps"] if pid == p.id and s["captured_at"] <= as_of]
            latest = max(snaps, key=lambda s: s["captured_at"]) if snaps else {}
            figures.append(PostFigures(p.member_id, p.platform, p.kind, p.posted_at is not None and p.posted_at <= as_of,
                                       PostNumbers(**{f: latest.get(f) for f in FIELDS})))
        deals = [MemberDeal(m.id, m.agreed_price_cents, m.product_value_cents) for m in members]
        out[cid] = totals_from_posts(cid, c.budget_cents, c.start_date, c.end_date, as_of.date(), deals, figures)
    return out


def test_campaign_totals_equal_the_formulas_computed_in_python(session_factory):
    plain = _generate(session_factory, TEAM)
    _generate(session_factory, OTHER_TEAM, seed=4)  # another workspace's rows must not leak in
    for as_of in (T0 - timedelta(days=1), T0 + timedelta(days=7, hours=3), T0 + timedelta(days=40)):
        with session_factory() as s:
            got = campaign_totals(s, TEAM, None, as_of=as_of)
        assert got == _expected(plain, as_of)
    assert any(t.impressions_are_estimated for t in got.values())


def test_the_charts_days_add_up_to_the_totals(session_factory):
    plain = _generate(session_factory, TEAM)
    cid = next(iter(plain["campaigns"]))
    as_of = T0 + timedelta(days=20, hours=5)
    with session_factory() as s:
        content = build_content(s, TEAM, cid, as_of=as_of)
        chart = chart_data(s, TEAM, content, days=25)
        totals = campaign_totals(s, TEAM, [cid], as_of=as_of)[cid]
        before = campaign_totals(s, TEAM, [cid], as_of=chart.days[0] - timedelta(days=1)).get(cid)
    assert len(chart.days) == len(chart.engagements) == 25 and chart.days[-1] == as_of
    assert chart.spend_cents[-1] == totals.spend_cents and chart.budget_cents == totals.budget_cents
    # each day's new engagements, added to what was there before the first day, give today's total
    assert sum(chart.engagements) == (totals.engagements or 0) - ((before.engagements or 0) if before else 0)


def test_creator_rows_compare_each_member_with_its_tier(session_factory):
    plain = _generate(session_factory, TEAM)
    cid = next(iter(plain["campaigns"]))
    with session_factory() as s:
        rows = creator_rows(s, TEAM, cid, as_of=T0 + timedelta(days=30))
    assert len(rows) == 5
    compared = [r for r in rows if r.position is not None]  # members with a live post and known numbers
    assert compared and all(r.posts_live > 0 for r in compared)
    assert all(r.position.benchmark == benchmark(Platform(r.platform), r.tier) for r in compared)
    assert all(r.position is None for r in rows if r.posts_live == 0)
    assert [r.engagements or 0 for r in rows] == sorted((r.engagements or 0 for r in rows), reverse=True)


def _attached_shortlist(factory):
    ids = [cid for cid, _ in _creators(factory, TEAM, 3)]
    with transaction(factory) as s:
        c = store.create_campaign(s, TEAM, name="Launch", budget_cents=500_000, owner_id="U1", channel_id="C1")
        sl = create_shortlist(s, TEAM, niche="vegan baking", budget_cents=500_000, options={}, requested_by="U1",
                              channel_id="C1", items=[NewItem(i, 40_000 + n, "quoted", None, None)
                                                      for n, i in enumerate(ids)])
        s.flush()
        item_ids = [i.id for i in sl.items]
        decide(s, TEAM, item_ids[0], Verdict.APPROVED, "U1")  # approved before the attach
        attached = store.attach_shortlist(s, TEAM, sl.id, "launch")
    return c.id, sl.id, item_ids, attached


def test_attach_adds_approved_and_later_approvals_join_exactly_once(session_factory):
    cid, _, items, attached = _attached_shortlist(session_factory)
    assert (attached.added, attached.already) == (1, 0)
    start = threading.Barrier(8)

    def approve(user):
        start.wait()
        with transaction(session_factory) as s:
            return decide(s, TEAM, items[1], Verdict.APPROVED, user).recorded

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(approve, [f"U{i}" for i in range(8)]))
    assert won.count(True) == 1
    with session_factory() as s:
        members = s.execute(select(CampaignMember.shortlist_item_id, CampaignMember.agreed_price_cents)
                            .where(CampaignMember.campaign_id == cid).order_by(CampaignMember.id)).all()
        pending = pending_decisions(s, TEAM, cid)
        assert pending_decisions(s, OTHER_TEAM, None) == []
    assert members == [(items[0], 40_000), (items[1], 40_001)]
    assert [p.item_id for p in pending] == [items[2]]


def test_adding_a_member_twice_is_a_no_op(session_factory):
    cid, sl, items, _ = _attached_shortlist(session_factory)
    with transaction(session_factory) as s:
        assert store.attach_shortlist(s, TEAM, sl, cid).already == 1
        creator = s.scalar(select(CampaignMember.creator_id).where(CampaignMember.campaign_id == cid))
        assert store.add_member(s, TEAM, cid, creator, 1, "U2") is False
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CampaignMember)) == 1
