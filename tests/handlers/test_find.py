"""`/influencer find` through signed requests: what the channel and the requester see."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.storage.models import Shortlist, ShortlistItem


def _posted(driver):
    return [c for c in driver.slack.calls_to("chat.postMessage") if not c.failed]


def _handles(message) -> list[str]:
    return [b["text"]["text"].split("*")[1] for b in message["blocks"]
            if b.get("block_id", "").startswith("shortlist.item:")]


def test_find_posts_a_valid_shortlist_within_budget(driver, session_factory):
    add(session_factory, TEAM,
        baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300),
        baker("proof", 50_000, 1_500, price_usd=1_500), baker("knead", 3_000, 150, price_usd=80),
        baker("keebs", 30_000, 900, price_usd=200, topics="#mechanicalkeyboards", bio="keyboards"))

    exchange = driver.command("find vegan baking 2000")

    assert exchange.status == 200
    assert "Finding the best vegan baking creators within $2,000" in exchange.ack["text"]
    (post,) = _posted(driver)
    message = driver.messages()[-1]
    handles = _handles(message)
    assert "@keebs" not in handles  # other niche
    assert len(handles) >= 2
    with session_factory() as s:
        total = s.scalar(select(func.sum(ShortlistItem.price_cents)))
        shortlist = s.scalars(select(Shortlist)).one()
    assert total <= 200_000
    assert shortlist.message_ts == message["ts"] and shortlist.channel_id == driver.channel_id
    # every block passes slack_sdk's validation and Slack's limits
    assert len(post.params["blocks"]) <= 50
    for block in post.params["blocks"]:
        Block.parse(block).validate_json()
    (footer,) = [b["text"]["text"] for b in message["blocks"] if b.get("block_id") == "shortlist.footer"]
    assert "of $2,000" in footer and "expected engagements" in footer
    # not attached to a campaign yet: the footer offers to add the approved creators to one, and to ask why not
    (actions,) = [b for b in message["blocks"] if b.get("block_id") == "shortlist.actions"]
    assert [e["text"]["text"] for e in actions["elements"]] == ["Add approved to campaign", "Why not…?"]


def test_find_counts_and_shows_quoted_versus_estimated_prices(driver, session_factory):
    add(session_factory, TEAM, baker("quoted", 20_000, 800, price_usd=450), baker("guess", 20_000, 700))
    driver.command("find vegan baking 5000")
    text = " ".join(b["text"]["text"] for b in driver.messages()[-1]["blocks"] if b["type"] == "section")
    assert "$450 (quoted)" in text
    assert "≈$200 (estimate, $100–$500)" in text


def test_find_never_shows_another_workspaces_creators(driver, session_factory):
    add(session_factory, OTHER_TEAM, baker("elsewhere", 20_000, 800, price_usd=100))
    add(session_factory, TEAM, baker("here", 20_000, 800, price_usd=100))
    driver.command("find vegan baking 2000")
    assert _handles(driver.messages()[-1]) == ["@here"]


def test_find_with_no_match_says_so_privately(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    exchange = driver.command("find underwater basket weaving 2000")
    assert _posted(driver) == []
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert "No creators in this workspace match" in reply["params"]["text"]
    assert reply["params"]["response_type"] == "ephemeral"


def test_budget_below_every_price_explains_why(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    exchange = driver.command("find vegan baking 50")
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert "none fits $50" in reply["params"]["text"] and "priced above the whole budget" in reply["params"]["text"]


def test_bot_not_in_channel_gets_invite_hint_and_leaves_no_rows(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    driver.slack.error_next("chat.postMessage", error="not_in_channel")
    exchange = driver.command("find vegan baking 2000")
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert "/invite @influencer-bot" in reply["params"]["text"]
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Shortlist)) == 0
        assert s.scalar(select(func.count()).select_from(ShortlistItem)) == 0


def test_rate_limited_post_is_retried_once_and_posted_once(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    driver.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    driver.command("find vegan baking 2000")
    attempts = driver.slack.calls_to("chat.postMessage")
    assert [c.failed for c in attempts] == [True, False]
    assert len(driver.messages()) == 1


def test_a_one_creator_shortlist_says_creator_in_the_singular(driver, session_factory):
    add(session_factory, TEAM, baker("only", 20_000, 800, price_usd=600))
    driver.command("find vegan baking 700")
    summary = next(b for b in driver.messages()[-1]["blocks"] if b.get("block_id") == "shortlist.summary")
    assert "· 1 creator out of 1 matching ·" in summary["elements"][0]["text"]


def test_an_unproven_gap_is_never_shown_as_zero():
    from influencer_bot.handlers.views.format import format_gap

    assert format_gap(0.00004) == "less than 0.1%"  # the time limit ended the proof, however close
    assert format_gap(0.0049) == "0.5%"


def _entries(message) -> dict[str, str]:
    """handle -> the text of its entry."""
    return {b["text"]["text"].split("*")[1].lstrip("@"): b["text"]["text"] for b in message["blocks"]
            if b.get("block_id", "").startswith("shortlist.item:")}


def _footer_text(message) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b.get("block_id") == "shortlist.footer")


def _matcha_world(session_factory) -> None:
    """Two small creators who post matcha desserts, and a big tea account with one stray #dessert."""
    add(session_factory, TEAM,
        baker("matchasweets", 4_000, 200, price_usd=150, topics="#matcha #matchadessert #dessert #matchacake",
              bio="Matcha desserts from Kyoto 🍵"),
        baker("greenbakes", 6_000, 260, price_usd=200, topics="#matchalatte #matcha #desserts #patisserie",
              bio="Matcha pastry chef"),
        baker("teahouse", 400_000, 9_000, price_usd=900, topics="#matcha #tea #matchalover #teatime #dessert",
              bio="Matcha tea brand 🍃"))


def test_whole_niche_creators_come_before_a_bigger_partial_match(driver, session_factory):
    _matcha_world(session_factory)
    driver.command("find matcha desserts 950")  # the tea brand alone would fit, and it is worth far more
    assert set(_entries(driver.messages()[-1])) == {"matchasweets", "greenbakes"}

    driver.command("find matcha desserts 950 match:any")  # reach over fit: today's pure-value choice
    assert "teahouse" in _entries(driver.messages()[-1])


def test_a_partial_match_fills_what_whole_matches_leave_and_is_marked(driver, session_factory):
    _matcha_world(session_factory)
    driver.command("find matcha desserts 2000")
    message = driver.messages()[-1]
    entries = _entries(message)
    assert set(entries) == {"matchasweets", "greenbakes", "teahouse"}
    assert "partial match: matcha only" in entries["teahouse"]  # its one #dessert is a stray tag
    assert "partial match" not in entries["matchasweets"] + entries["greenbakes"]
    assert "1 creator is a partial match" in _footer_text(message)


def test_match_option_is_checked(driver):
    exchange = driver.command("find matcha desserts 2000 match:some")
    assert "match: is all or any" in exchange.ack["text"] and "match:any" in exchange.ack["text"]
