"""`/influencer creator <handle>`: tier, engagement and how it was computed, price, flags, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.db import transaction


def _reply_text(exchange) -> str:
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    blocks = reply["params"].get("blocks") or []
    return reply["params"]["text"] + "\n" + "\n".join(
        b.get("text", {}).get("text", "") if b["type"] != "context" else b["elements"][0]["text"] for b in blocks)


def test_creator_card_explains_the_numbers(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 780, comments=20, price_usd=None, following=400))
    text = _reply_text(driver.command("creator @Crumbs"))
    assert "*@crumbs*" in text and "micro" in text and "20k followers" in text
    assert "ER 4.0% by followers over 12 posts" in text
    assert "1.4× the micro Instagram median (2.8%)" in text
    assert "(likes + comments) per post ÷ followers" in text  # the figures this creator has
    assert "≈$200 (estimate, $100–$500)" in text


def test_creator_card_shows_the_authentic_share_of_engagements(driver, session_factory):
    from influencer_bot.storage.creators.records import CreatorRecord

    add(session_factory, TEAM, CreatorRecord(Platform.INSTAGRAM, "maya.bakes", followers=12_400_000,
                                             avg_engagements=310_000, avg_authentic_engagements=150_000))
    text = _reply_text(driver.command("creator maya.bakes"))
    assert "ER 2.5% by followers" in text and "engagements per post ÷ followers" in text
    assert "Authentic engagement: 48% of engagements (150k of 310k per post)" in text
    assert "only 48% of engagements are authentic; under 75% is often a sign of bought engagement" in text


def test_creator_history_and_flags(driver, session_factory):
    add(session_factory, TEAM, baker("spiky", 20_000, 30, following=19_000))
    later = baker("spiky", 80_000, 30, following=19_000)
    with transaction(session_factory) as s:
        upsert_creators(s, TEAM, [later], source="test", now=datetime.now(UTC) + timedelta(days=2))
    text = _reply_text(driver.command("creator spiky"))
    assert "Followers 20k → 80k (+300.0%)" in text and "2 snapshots" in text
    # both quality flags, each with its numbers: the follower spike and the engagement far below the median
    assert "gained 30,000 followers a day around " in text and "ads rarely add over 5,000 a day" in text
    assert "engagement 0.05% is 0.02× the micro median (2.8%): inactive or bought followers?" in text


def test_same_handle_on_two_platforms_shows_both_unless_one_is_named(driver, session_factory):
    add(session_factory, TEAM, baker("twin", 20_000, 800),
        baker("twin", 5_000, 300, platform=Platform.TIKTOK, views=6_000))
    both = _reply_text(driver.command("creator twin"))
    assert "Instagram" in both and "TikTok" in both and "by views" in both
    only = _reply_text(driver.command("creator twin tiktok"))
    assert "TikTok" in only and "Instagram" not in only


def test_unknown_handle_suggests_near_ones_and_is_scoped_to_the_workspace(driver, session_factory):
    add(session_factory, TEAM, baker("crumbsandco", 20_000, 800))
    add(session_factory, OTHER_TEAM, baker("secret", 20_000, 800))
    text = _reply_text(driver.command("creator crumbs"))
    assert "No creator @crumbs in this workspace" in text and "@crumbsandco" in text
    assert "No creator @secret" in _reply_text(driver.command("creator secret"))
