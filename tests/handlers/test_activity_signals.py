"""Posting frequency and sponsored share, as a platform sync stores them: on the creator card, as
flags, and in what a shortlist expects of a creator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conftest import TEAM
from factories import activity, add, baker
from influencer_bot.storage.models import Creator, ShortlistItem
from influencer_bot.storage.search.indexer import rescore_all


def _card(driver, handle: str) -> str:
    exchange = driver.command(f"creator {handle}")
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    return "\n".join(b["text"]["text"] for b in reply["params"]["blocks"] if b["type"] == "section")


def _item_lines(driver) -> dict[str, str]:
    blocks = driver.messages()[-1]["blocks"]
    return {b["text"]["text"].split("*")[1]: b["text"]["text"] for b in blocks
            if b.get("block_id", "").startswith("shortlist.item:")}


def _expected(session_factory) -> dict[str, float]:
    with session_factory() as s:
        rows = s.execute(select(Creator.handle, ShortlistItem.expected_value)
                         .join(Creator, Creator.id == ShortlistItem.creator_id))
        return {h: v for h, v in rows}


@pytest.mark.parametrize("ppw, share, posts, line", [
    (2.5, 0.3, 30, "Posts 2.5 a week · 30% of recent posts sponsored (9 of 30)"),
    (14.0, 0.0, 12, "Posts 14 a week · 0% of recent posts sponsored (0 of 12)"),
    (0.5, None, 12, "Posts 0.5 a week"),
    (None, 0.25, 12, "25% of recent posts sponsored (3 of 12)"),
])
def test_card_says_how_often_the_creator_posts_and_how_much_is_paid_for(driver, session_factory, ppw, share, posts,
                                                                       line):
    add(session_factory, TEAM, baker("crumbs", 20_000, 780, posts=posts))
    activity(session_factory, TEAM, "crumbs", posts_per_week=ppw, sponsored_share=share)
    text = _card(driver, "crumbs")
    assert line in text.splitlines()
    assert "inactive" not in text and "ad-saturated" not in text


def test_card_without_activity_data_says_nothing_about_it(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 780))
    text = _card(driver, "crumbs")
    assert "a week" not in text and "sponsored" not in text


def test_card_flags_an_inactive_creator_and_an_ad_saturated_feed(driver, session_factory):
    add(session_factory, TEAM, baker("sleepy", 20_000, 780, posts=6), baker("adfeed", 20_000, 780, posts=30))
    activity(session_factory, TEAM, "sleepy", posts_per_week=0.1, sponsored_share=None)
    activity(session_factory, TEAM, "adfeed", posts_per_week=5.0, sponsored_share=0.6)
    sleepy = _card(driver, "sleepy")
    assert "Posts 0.1 a week" in sleepy and "*Quality flags*\n:warning: inactive: 0.1 posts a week" in sleepy
    adfeed = _card(driver, "adfeed")
    assert "Posts 5 a week · 60% of recent posts sponsored (18 of 30)" in adfeed
    assert ":warning: ad-saturated feed: 60% of recent posts sponsored (18 of 30)" in adfeed


def test_shortlist_discounts_inactive_and_ad_saturated_creators_and_says_why(driver, session_factory):
    # four creators with the same numbers and price; only what their recent posts say differs
    add(session_factory, TEAM, *(baker(h, 20_000, 800, price_usd=300) for h in ("fresh", "sleepy", "adfeed", "both")))
    activity(session_factory, TEAM, "fresh", posts_per_week=3.0, sponsored_share=0.1)
    activity(session_factory, TEAM, "sleepy", posts_per_week=0.1, sponsored_share=0.1)
    activity(session_factory, TEAM, "adfeed", posts_per_week=3.0, sponsored_share=0.7)
    activity(session_factory, TEAM, "both", posts_per_week=0.1, sponsored_share=0.7)
    driver.command("find vegan baking 2000")
    expected = _expected(session_factory)
    assert expected["sleepy"] == pytest.approx(expected["fresh"] * 0.5)
    assert expected["adfeed"] == pytest.approx(expected["fresh"] * 0.7)
    assert expected["both"] == pytest.approx(expected["fresh"] * 0.35)
    lines = _item_lines(driver)
    assert "value ×0.5 (inactive)" in lines["@sleepy"] and ":warning: inactive: 0.1 posts a week" in lines["@sleepy"]
    assert "value ×0.7 (ad-saturated feed)" in lines["@adfeed"]
    assert ":warning: ad-saturated feed: 70% of recent posts sponsored" in lines["@adfeed"]
    assert "value ×0.5 (inactive), ×0.7 (ad-saturated feed)" in lines["@both"]
    assert "value ×" not in lines["@fresh"] and ":warning:" not in lines["@fresh"]


def test_unknown_activity_changes_nothing_and_a_rescore_picks_new_signals_up(driver, session_factory):
    # "sleepy" has slightly better numbers: with nothing known of its posting, it wins the one slot
    add(session_factory, TEAM, baker("fresh", 20_000, 800, price_usd=300), baker("sleepy", 20_000, 850, price_usd=300))
    activity(session_factory, TEAM, "fresh", posts_per_week=None, sponsored_share=None)
    driver.command("find vegan baking 400")
    assert list(_item_lines(driver)) == ["@sleepy"]
    # the sync measures it inactive; the niche index scores it anew on re-index (`influencer-bot db rescore`)
    activity(session_factory, TEAM, "sleepy", posts_per_week=0.05, sponsored_share=None, reindex=False)
    rescore_all(session_factory)
    driver.command("find vegan baking 400")
    assert list(_item_lines(driver)) == ["@fresh"]
