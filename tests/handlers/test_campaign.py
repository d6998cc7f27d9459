"""`/influencer campaign …` and the "Add approved to campaign" modal, through signed requests."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import buttons_of
from influencer_bot.storage.models import Campaign, CampaignMember, Post, Shortlist, ShortlistItem


def _reply(exchange) -> str:
    texts = [c["params"].get("text", "") for c in exchange.calls if c["method"] == "response_url"]
    assert texts, f"no private reply; ack was {exchange.ack}"
    return texts[-1]


def _campaigns(factory) -> list[Campaign]:
    with factory() as s:
        return list(s.scalars(select(Campaign).order_by(Campaign.id)))


def test_new_campaign_with_a_quoted_name_is_owned_by_its_creator_in_its_channel(driver, session_factory):
    exchange = driver.command('campaign new "Vegan baking launch" $5k 2026-12-01 2026-12-31 goal:sales '
                              'niche:"vegan baking"', user_id="UOWNER", channel_id="CMKT")
    assert "Campaign *Vegan baking launch* created" in _reply(exchange)
    (c,) = _campaigns(session_factory)
    assert (c.name, c.budget_cents, str(c.start_date), str(c.end_date)) == (
        "Vegan baking launch", 500_000, "2026-12-01", "2026-12-31")
    assert (c.goal, c.niche, c.owner_id, c.channel_id) == ("sales", "vegan baking", "UOWNER", "CMKT")
    again = driver.command("campaign new 'VEGAN BAKING LAUNCH' 200")
    assert "already a campaign called" in _reply(again)
    assert len(_campaigns(session_factory)) == 1


def test_unquoted_names_read_up_to_the_budget(driver, session_factory):
    driver.command("campaign new Keyboard week 2000 today")
    assert [c.name for c in _campaigns(session_factory)] == ["Keyboard week"]


@pytest.mark.parametrize("text, expected", [
    ("campaign", "Use `campaign new`"),
    ("campaign frobnicate", "don't know `campaign frobnicate`"),
    ("campaign new", "name and a budget"),
    ('campaign new "Vegan launch"', "Give a budget"),
    ('campaign new "Vegan launch', "quote is not closed"),
    ('campaign new "Vegan launch" lots', "can't read “lots” as a budget"),
    ('campaign new "Vegan launch" 5000 12/01/2026', "is not a date"),
    ('campaign new "Vegan launch" 5000 2026-12-31 2026-12-01', "must be after the start"),
    ('campaign new "Vegan launch" 5000 goal:fame', "not a goal"),
    ("campaign post Launch veganbakes", "the post's link"),
    ("campaign post Launch veganbakes ftp://x.y/z", "is not a web address"),
    ("campaign price Launch veganbakes free", "as a price"),
    ("campaign show", "Which campaign?"),
])
def test_bad_input_is_answered_in_the_ack_with_an_example(driver, text, expected):
    exchange = driver.command(text)
    assert exchange.ack["response_type"] == "ephemeral"
    assert expected.lower() in exchange.ack["text"].lower()
    assert "Try: `" in exchange.ack["text"]


def test_unknown_campaign_lists_the_ones_that_exist(driver):
    driver.command('campaign new "Winter skincare" 3000')
    for text in ("campaign show Summer", 'campaign close "Summer"', "campaign price Summer x 10"):
        reply = _reply(driver.command(text))
        assert "No campaign “Summer”" in reply and "“Winter skincare”" in reply and "Try:" in reply


def test_show_renders_unknown_kpis_as_dashes(driver):
    driver.command('campaign new "Winter skincare" 3000 2026-12-01 2026-12-31')
    exchange = driver.command("campaign show winter skincare")
    (reply,) = [c["params"] for c in exchange.calls if c["method"] == "response_url"]
    text = json.dumps(reply["blocks"])
    assert reply["blocks"][0]["text"]["text"] == "Winter skincare"
    assert "*CPM* \\u2014" in text and "*ROAS* \\u2014" in text and "0 live of 0" in text


def test_list_and_close(driver, session_factory):
    driver.command('campaign new "Winter skincare" 3000')
    listed = driver.command("campaign list")
    (reply,) = [c["params"] for c in listed.calls if c["method"] == "response_url"]
    assert "Winter skincare" in json.dumps(reply["blocks"])
    assert "closed" in _reply(driver.command('campaign close "winter skincare"'))
    assert "already closed" in _reply(driver.command('campaign close "winter skincare"'))
    assert _campaigns(session_factory)[0].status == "closed"


def _shortlist_message(driver) -> dict:
    return next(m for m in reversed(driver.messages()) if m.get("text", "").startswith("Shortlist"))


def _shortlist_with_a_campaign_button(driver, session_factory):
    """A shortlist with one creator approved, and its footer's "Add approved to campaign" button."""
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300))
    driver.command("find vegan baking 2000")
    approve = next(b for b in buttons_of(_shortlist_message(driver), driver.channel_id) if b.text == "Approve")
    driver.click(approve, user_id="UMANAGER")
    (button,) = [b for b in buttons_of(_shortlist_message(driver), driver.channel_id)
                 if b.text == "Add approved to campaign"]
    return button, json.loads(approve.value)["item"]


def test_add_approved_to_campaign_through_the_modal(driver, session_factory):
    driver.command('campaign new "Vegan baking launch" 5000')
    button, approved_item = _shortlist_with_a_campaign_button(driver, session_factory)
    driver.click(button)
    (view,) = driver.opened_views()
    assert view["callback_id"] == "campaign.add_approved"
    option = view["blocks"][1]["element"]["options"][0]
    assert option["text"]["text"] == "Vegan baking launch"
    done = driver.submit_view(view, {"campaign.pick": {"campaign.pick": {
        "type": "static_select", "selected_option": option}}})
    assert done.status == 200 and not done.ack
    (confirm,) = [c for c in done.calls if c["method"] == "chat.postEphemeral"]
    assert "1 approved creator added" in confirm["params"]["text"]
    with session_factory() as s:
        members = s.execute(select(CampaignMember.shortlist_item_id, CampaignMember.agreed_price_cents,
                                   CampaignMember.added_by)).all()
        other = s.scalar(select(ShortlistItem.id).where(ShortlistItem.status == "proposed"))
    assert members == [(approved_item, 60_000, "UMANAGER")]
    # the shortlist message now names its campaign and no longer offers the button
    message = _shortlist_message(driver)
    assert "Campaign: *Vegan baking launch*" in json.dumps(message["blocks"], ensure_ascii=False)
    assert "Add approved to campaign" not in [b.text for b in buttons_of(message, driver.channel_id)]
    # approving the other creator now adds it to the attached campaign
    approve = next(b for b in buttons_of(message, driver.channel_id)
                   if b.text == "Approve" and json.loads(b.value)["item"] == other)
    driver.click(approve)
    with session_factory() as s:
        assert len(s.scalars(select(CampaignMember.id)).all()) == 2


def test_find_with_a_campaign_attaches_the_shortlist_and_approvals_join_it(driver, session_factory):
    driver.command('campaign new "Vegan baking launch" 5000')
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300))
    driver.command("find vegan baking 2000 campaign:“vegan baking launch”")  # curly quotes, any case
    message = _shortlist_message(driver)
    assert "Campaign: *Vegan baking launch*" in json.dumps(message["blocks"], ensure_ascii=False)
    buttons = buttons_of(message, driver.channel_id)
    assert "Add approved to campaign" not in [b.text for b in buttons]
    (campaign,) = _campaigns(session_factory)
    with session_factory() as s:
        assert s.scalar(select(Shortlist.campaign_id)) == campaign.id
        assert s.scalars(select(CampaignMember.id)).all() == []  # nothing approved yet
    driver.click(next(b for b in buttons if b.text == "Approve"), user_id="UMANAGER")
    with session_factory() as s:
        (member,) = s.scalars(select(CampaignMember)).all()
    assert member.added_by == "UMANAGER"


@pytest.mark.parametrize("option, expected", [
    ('campaign:"Summer"', "No campaign “Summer”"),
    ('campaign:"Winter skincare"', "is closed"),
    ('campaign:""', "campaign: needs a value"),
])
def test_find_with_a_bad_campaign_says_so_and_posts_nothing(driver, session_factory, option, expected):
    driver.command('campaign new "Winter skincare" 3000')
    driver.command('campaign close "Winter skincare"')
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    exchange = driver.command(f"find vegan baking 2000 {option}")
    said = exchange.ack.get("text", "") + " ".join(c["params"].get("text", "") for c in exchange.calls
                                                   if c["method"] == "response_url")
    assert expected in said and "Try:" in said
    assert not [c for c in exchange.calls if c["method"] == "chat.postMessage"]
    with session_factory() as s:
        assert s.scalars(select(Shortlist.id)).all() == []


def test_the_modal_refuses_a_campaign_closed_meanwhile(driver, session_factory):
    driver.command('campaign new "Vegan baking launch" 5000')
    button, _ = _shortlist_with_a_campaign_button(driver, session_factory)
    driver.click(button)
    (view,) = driver.opened_views()
    driver.command('campaign close "Vegan baking launch"')
    option = view["blocks"][1]["element"]["options"][0]
    done = driver.submit_view(view, {"campaign.pick": {"campaign.pick": {"selected_option": option}}})
    assert done.ack["response_action"] == "errors" and "closed" in done.ack["errors"]["campaign.pick"]


def test_button_without_campaigns_says_how_to_create_one(driver, session_factory):
    button, _ = _shortlist_with_a_campaign_button(driver, session_factory)
    exchange = driver.click(button)
    assert "campaign new" in _reply(exchange) and driver.opened_views() == []


def test_post_and_price_for_a_member(driver, session_factory):
    driver.command('campaign new "Vegan baking launch" 5000')
    button, _ = _shortlist_with_a_campaign_button(driver, session_factory)
    driver.click(button)
    (view,) = driver.opened_views()
    option = view["blocks"][1]["element"]["options"][0]
    driver.submit_view(view, {"campaign.pick": {"campaign.pick": {"selected_option": option}}})
    url = "https://www.instagram.com/p/C0abc123/"
    assert "recorded" in _reply(driver.command(f'campaign post "Vegan baking launch" @crumbs {url}'))
    assert "already recorded" in _reply(driver.command(f'campaign post "Vegan baking launch" crumbs {url}'))
    assert "not a member" in _reply(driver.command(f'campaign post "Vegan baking launch" sift {url}x'))
    tiktok = "https://www.tiktok.com/@crumbs/video/7301234567890123456"
    assert "TikTok post" in _reply(driver.command(f'campaign post "Vegan baking launch" crumbs {tiktok}'))
    assert "$450" in _reply(driver.command('campaign price "Vegan baking launch" crumbs 450'))
    with session_factory() as s:
        (post,) = s.scalars(select(Post)).all()
        assert (post.platform, post.kind, post.posted_at is not None) == ("instagram", "feed", True)
        assert s.scalar(select(CampaignMember.agreed_price_cents)) == 45_000
