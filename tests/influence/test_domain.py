"""The domain's rules, as a marketing analyst would check them against DOMAIN.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from influencer_bot.influence.engagement import Method, Metrics, engagement
from influencer_bot.influence.errors import UserError
from influencer_bot.influence.money import format_usd, parse_budget
from influencer_bot.influence.numbers import BadNumber, parse_count, parse_percent
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.pricing import PriceSource, estimate, price
from influencer_bot.influence.profile import CreatorFacts, build_profile
from influencer_bot.influence.tiers import Tier, TierThresholds

IG, TT, YT = Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE


@pytest.mark.parametrize("followers, tier", [
    (999, Tier.EMERGING), (1_000, Tier.NANO), (9_999, Tier.NANO), (10_000, Tier.MICRO),
    (99_999, Tier.MICRO), (100_000, Tier.MACRO), (1_000_000, Tier.MEGA),
])
def test_default_tiers(followers, tier):
    assert TierThresholds().tier_of(followers) is tier


def test_tier_boundaries_are_settings():
    mid_split = TierThresholds(nano=1_000, micro=10_000, macro=50_000, mega=500_000)
    assert mid_split.tier_of(60_000) is Tier.MACRO
    with pytest.raises(ValueError):
        TierThresholds(nano=10_000, micro=1_000)


def test_instagram_rate_is_per_follower_and_counts_saves():
    eng = engagement(IG, Metrics(followers=10_000, avg_likes=300, avg_comments=20, avg_saves=30, posts_sampled=9))
    assert eng.method is Method.BY_FOLLOWERS
    assert eng.rate == pytest.approx(0.035)
    assert eng.describe() == "3.5% by followers over 9 posts"


def test_tiktok_and_youtube_rates_are_per_view():
    eng = engagement(TT, Metrics(followers=50_000, avg_likes=900, avg_comments=50, avg_shares=50, avg_views=20_000))
    assert eng.method is Method.BY_VIEWS and eng.rate == pytest.approx(0.05)
    assert engagement(YT, Metrics(followers=5_000, avg_likes=40, avg_views=2_000)).rate == pytest.approx(0.02)


def test_hidden_likes_make_the_rate_unknown_not_zero():
    eng = engagement(IG, Metrics(followers=10_000, avg_likes=None, avg_comments=20))
    assert eng.rate is None and eng.describe() == "unknown"


def test_a_reported_rate_is_used_and_labelled_when_counts_are_missing():
    eng = engagement(IG, Metrics(followers=10_000, reported_rate_pct=2.5))
    assert eng.method is Method.REPORTED and eng.rate == pytest.approx(0.025)
    assert eng.interactions_per_post == pytest.approx(250)


def test_position_against_the_tier_median():
    p = build_profile(CreatorFacts(IG, "a", Metrics(followers=20_000, avg_likes=1_100, avg_comments=20, posts_sampled=12)))
    assert p.position.describe() == "2.0× the micro Instagram median (2.8%)"


def test_quoted_price_wins_and_estimates_are_labelled_with_a_range():
    assert price(IG, 20_000, 45_000).source is PriceSource.QUOTED
    est = estimate(IG, 20_000)
    assert est.is_estimate and est.cents == 20_000 and (est.low_cents, est.high_cents) == (10_000, 50_000)
    assert estimate(YT, 20_000).cents == 40_000  # $20 per 1,000 subscribers
    assert estimate(TT, 20_000).cents == 5_000  # $2.5 per 1,000
    assert estimate(IG, 2_000_000).high_cents is None  # mega: open-ended card


@pytest.mark.parametrize("flags_of, code", [
    (dict(followers=50_000, avg_likes=50, posts_sampled=12), "low_engagement"),
    (dict(followers=500_000, avg_likes=60_000, posts_sampled=12), "high_engagement"),
    (dict(followers=20_000, following=19_000, avg_likes=600, posts_sampled=12), "follow_for_follow"),
    (dict(followers=20_000, avg_likes=600, posts_sampled=2), "few_posts"),
    (dict(followers=20_000, avg_likes=None), "no_engagement_data"),
])
def test_quality_flags_fire_with_their_numbers(flags_of, code):
    p = build_profile(CreatorFacts(IG, "a", Metrics(**flags_of)))
    assert code in [f.code for f in p.flags]


def test_healthy_creator_has_no_flags_and_a_spike_blocks():
    healthy = build_profile(CreatorFacts(IG, "a", Metrics(followers=20_000, following=500, avg_likes=600, posts_sampled=12)))
    assert healthy.flags == () and not healthy.blocked
    now = datetime(2026, 11, 1, tzinfo=UTC)
    spiked = build_profile(CreatorFacts(IG, "a", Metrics(followers=40_000, avg_likes=1_000, posts_sampled=12),
                                        follower_history=((now, 20_000), (now + timedelta(days=1), 40_000))))
    assert spiked.blocked and "20,000 followers a day" in spiked.flags[0].message


@pytest.mark.parametrize("text, cents", [
    ("2000", 200_000), ("$2,000", 200_000), ("1234.50", 123_450), ("2k", 200_000), ("2.5K", 250_000),
    ("$1.2M", 120_000_000), ("500 USD", 50_000),
])
def test_budgets_as_people_type_them(text, cents):
    assert parse_budget(text) == cents


@pytest.mark.parametrize("text", ["0", "-5", "abc", "1,23", "$", "1e9", "2kk"])
def test_bad_budgets_say_why(text):
    with pytest.raises(UserError) as err:
        parse_budget(text)
    assert err.value.example == "/influencer find vegan baking 2000"


def test_money_format():
    assert format_usd(200_000) == "$2,000" and format_usd(123_450) == "$1,234.50" and format_usd(None) == "—"


@pytest.mark.parametrize("cell, value", [
    ("12.4M", 12_400_000), ("3.3k", 3_300), ("475.8m", 475_800_000), ("1,234", 1_234), ("409800000", 409_800_000),
    ("#VALUE!", None), ("#VALOR!", None), ("N/A", None), ("NaN", None), ("-", None), ("", None), (None, None),
])
def test_counts_from_exports(cell, value):
    assert parse_count(cell) == value


def test_percentages_and_garbage():
    assert parse_percent("1.39%") == pytest.approx(1.39)
    with pytest.raises(BadNumber):
        parse_count("lots")
    with pytest.raises(BadNumber):
        parse_count("-5")
