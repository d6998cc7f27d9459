"""Campaign KPIs: DOMAIN.md's formulas, with "—" (None) for anything unknown or undefined."""

from __future__ import annotations

from datetime import date

import pytest

from influencer_bot.influence.kpis import (
    CampaignTotals, MemberDeal, PaceVerdict, PostFigures, PostNumbers, estimate_impressions, fmt_count, fmt_money, fmt_pct,
    fmt_ratio, pacing, totals_from_posts,
)

DEC1, DEC31 = date(2026, 12, 1), date(2026, 12, 31)


def _totals(**kw) -> CampaignTotals:
    base = dict(campaign_id=1, budget_cents=500_000, start_date=DEC1, end_date=DEC31, as_of=date(2026, 12, 16))
    return CampaignTotals(**(base | kw))


def test_reach_only_is_estimated_times_one_and_a_half_for_feed_and_equal_for_stories():
    assert estimate_impressions(None, 1000, "feed") == (1500, True)
    assert estimate_impressions(None, 1001, "reel") == (1501, True)  # whole impressions: 1001 × 3 // 2
    assert estimate_impressions(None, 1000, "story") == (1000, True)
    assert estimate_impressions(4000, 1000, "feed") == (4000, False)
    assert estimate_impressions(None, None, "feed") == (None, False)


def test_every_kpi_from_one_set_of_sums():
    t = _totals(spend_cents=100_000, committed_cents=150_000, impressions=200_000, likes=3_000, comments=500,
                shares=300, saves=200, clicks=800, conversions=40, revenue_cents=400_000,
                impressions_by_platform=(("instagram", 150_000), ("youtube", 50_000)))
    assert t.engagements == 4_000
    assert t.engagement_rate == pytest.approx(0.02)  # engagements ÷ impressions
    assert t.cpm_cents == pytest.approx(500)  # $1,000 ÷ 200k × 1,000 = $5
    assert t.cpe_cents == pytest.approx(25)  # $0.25
    assert t.cpa_cents == pytest.approx(2_500)  # $25
    assert t.roas == pytest.approx(4.0)
    assert t.emv_cents == 150_000 * 1_000 // 1000 + 50_000 * 2_000 // 1000  # $10 and $20 CPM
    assert not t.impressions_are_estimated


def test_zero_and_missing_data_are_unknown_not_zero():
    t = _totals(spend_cents=0, impressions=0, conversions=0)
    assert t.engagements is None and t.engagement_rate is None
    assert t.cpm_cents is None and t.cpe_cents is None and t.cpa_cents is None
    assert t.roas is None and t.emv_cents is None
    for shown in (fmt_money(t.cpm_cents), fmt_pct(t.engagement_rate), fmt_ratio(t.roas), fmt_count(t.clicks)):
        assert shown == "—"
    # hidden likes but known comments: engagements are what is known
    assert _totals(comments=5).engagements == 5


def test_money_formatting_keeps_small_costs_readable():
    assert fmt_money(250_000) == "$2,500"
    assert fmt_money(25) == "$0.25"
    assert fmt_money(25.5) == "$0.255"  # a CPE of a quarter cent more
    assert fmt_money(0.4) == "$0.0040"
    assert fmt_money(None) == "—"


@pytest.mark.parametrize("spent, today, verdict", [
    (250_000, date(2026, 12, 16), PaceVerdict.ON_PACE),  # 50% of budget at 16/31 of the time
    (50_000, date(2026, 12, 16), PaceVerdict.BEHIND),
    (450_000, date(2026, 12, 10), PaceVerdict.AHEAD),
    (600_000, date(2026, 12, 10), PaceVerdict.OVER_BUDGET),
    (0, date(2026, 11, 20), PaceVerdict.NOT_STARTED),
])
def test_pacing_compares_spend_with_time(spent, today, verdict):
    pace = pacing(spent, 500_000, DEC1, DEC31, today)
    assert pace is not None and pace.verdict is verdict
    assert verdict.value in pace.describe()


def test_pacing_needs_dates():
    assert pacing(100, 500_000, None, DEC31, DEC1) is None
    assert _totals(start_date=None).pacing is None


def test_totals_from_posts_counts_spend_only_for_members_with_a_live_post():
    members = [MemberDeal(1, 50_000, 5_000), MemberDeal(2, 30_000)]
    posts = [PostFigures(1, "instagram", "feed", True, PostNumbers(reach=1_000, likes=100)),
             PostFigures(1, "instagram", "story", True, PostNumbers(reach=400)),
             PostFigures(2, "tiktok", "video", False)]
    t = totals_from_posts(9, 200_000, DEC1, DEC31, date(2026, 12, 5), members, posts)
    assert (t.spend_cents, t.committed_cents, t.members) == (55_000, 85_000, 2)
    assert (t.posts_live, t.posts_planned) == (2, 3)
    assert t.impressions == 1_900 and t.impressions_estimated == 1_900 and t.impressions_are_estimated
    assert t.impressions_by_platform == (("instagram", 1_900),)
    assert t.likes == 100 and t.views is None
