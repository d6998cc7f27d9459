"""Posting frequency and sponsored share: the flags they raise and what they cost in the quality factor."""

from __future__ import annotations

import pytest

from influencer_bot.bot.settings import Settings
from influencer_bot.influence.activity import per_week_text
from influencer_bot.influence.engagement import Metrics
from influencer_bot.influence.flags import AD_SATURATED, INACTIVE, QualityRules, Severity
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.profile import CreatorFacts, build_profile
from influencer_bot.influence.scoring import activity_discounts, quality_factor, score


def _profile(ppw: float | None = None, share: float | None = None, *, following: int = 300, posts: int = 30,
             rules: QualityRules = QualityRules()):
    metrics = Metrics(followers=20_000, following=following, avg_likes=700, avg_comments=20, posts_sampled=posts)
    return build_profile(CreatorFacts(Platform.INSTAGRAM, "crumbs", metrics, posts_per_week=ppw,
                                      sponsored_share=share), rules=rules)


def _codes(profile) -> list[str]:
    return [f.code for f in profile.flags]


@pytest.mark.parametrize("ppw, flagged, said", [
    (0.1, True, "inactive: 0.1 posts a week (under 0.25)"),
    (0.0, True, "inactive: 0 posts a week"),
    (0.03, True, "inactive: 0.03 posts a week"),
    (0.24, True, "inactive: 0.24 posts a week"),
    (0.25, False, None),  # one post a month is not inactive
    (2.5, False, None),
    (None, False, None),  # unknown says nothing
])
def test_inactive_flag_under_the_threshold_with_its_number(ppw, flagged, said):
    profile = _profile(ppw)
    assert (INACTIVE in _codes(profile)) is flagged
    if said:
        (flag,) = [f for f in profile.flags if f.code == INACTIVE]
        assert flag.message.startswith(said) and flag.severity is Severity.WARNING and not profile.blocked


@pytest.mark.parametrize("share, posts, flagged, said", [
    (0.6, 30, True, "ad-saturated feed: 60% of recent posts sponsored (18 of 30)"),
    (0.5, 12, True, "ad-saturated feed: 50% of recent posts sponsored (6 of 12)"),  # at the threshold
    (1.0, 7, True, "ad-saturated feed: 100% of recent posts sponsored (7 of 7)"),
    (0.55, 12, True, "ad-saturated feed: 55% of recent posts sponsored"),  # no count that the share does not fit
    (0.49, 30, False, None),
    (0.0, 30, False, None),
    (None, 30, False, None),
])
def test_ad_saturated_flag_at_or_above_the_threshold(share, posts, flagged, said):
    profile = _profile(share=share, posts=posts)
    assert (AD_SATURATED in _codes(profile)) is flagged
    if said:
        (flag,) = [f for f in profile.flags if f.code == AD_SATURATED]
        assert flag.message == said or (flag.message.startswith(said) and "(" not in flag.message)


@pytest.mark.parametrize("rate, text", [(14.2, "14"), (2.5, "2.5"), (2.0, "2"), (1.04, "1"), (0.5, "0.5"),
                                        (0.1, "0.1"), (0.031, "0.03"), (0.0004, "0")])
def test_posts_a_week_read_as_people_write_them(rate, text):
    assert per_week_text(rate) == text


def test_thresholds_are_settings():
    rules = Settings(flag_inactive_posts_per_week=1.0, flag_ad_saturated_share=0.3).quality_rules
    assert _codes(_profile(0.5, 0.35, rules=rules)) == [INACTIVE, AD_SATURATED]
    assert _codes(_profile(0.5, 0.35)) == []
    with pytest.raises(ValueError):
        Settings(flag_ad_saturated_share=1.5)


@pytest.mark.parametrize("ppw, share, factor", [
    (None, None, 1.0),  # unknown changes nothing
    (3.0, 0.1, 1.0),  # active, mostly organic
    (0.1, None, 0.5),  # inactive
    (None, 0.8, 0.7),  # ad-saturated
    (0.1, 0.8, 0.35),  # both
])
def test_quality_factor_discounts_inactive_and_ad_saturated_creators(ppw, share, factor):
    profile = _profile(ppw, share)
    assert quality_factor(profile) == pytest.approx(factor)
    baseline = score(_profile()).engagements
    assert score(profile).engagements == pytest.approx(baseline * factor)
    assert [f for _, f in activity_discounts(profile)] == [f for f in (0.5 if ppw == 0.1 else None,
                                                                       0.7 if share == 0.8 else None) if f]


def test_activity_discounts_stack_with_the_warning_halving():
    doubtful = _profile(0.1, following=19_000)  # follow-for-follow warning, and inactive
    assert {f.code for f in doubtful.flags} >= {"follow_for_follow", INACTIVE}
    assert quality_factor(doubtful) == pytest.approx(0.5 * 0.5)
    assert activity_discounts(doubtful) == [("inactive", 0.5)]
