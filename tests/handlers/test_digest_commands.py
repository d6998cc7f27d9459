"""`/influencer digest …` through signed requests: subscriptions, `digest now`, and bad input."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from sqlalchemy import select

from conftest import TEAM
from digest_world import expected_totals, make_world, python_totals
from influencer_bot.influence.kpis import fmt_count, fmt_money, fmt_pct, fmt_ratio
from influencer_bot.storage.demo.creators import load_demo_data
from influencer_bot.storage.models import Campaign, DigestRun, DigestSubscription, utcnow


def _replies(driver) -> list[str]:
    return [c.params.get("text", "") for c in driver.slack.calls_to("response_url") if not c.failed]


def _subs(session_factory) -> list[DigestSubscription]:
    with session_factory() as s:
        return list(s.scalars(select(DigestSubscription).order_by(DigestSubscription.id)))


def _text(blocks) -> str:
    parts = []
    for b in blocks:
        if b.get("text"):
            parts.append(b["text"]["text"] if isinstance(b["text"], dict) else b["text"])
        parts += [e.get("text", "") for e in b.get("elements", []) if isinstance(e, dict)]
    return "\n".join(parts)


# the bad inputs answered in the ack (`digest daily 25:00`, `tz:Mars/Olympus`, `weekly funday`, …)
# are in test_bad_input.py with every other command's


def test_an_unknown_campaign_is_named_with_the_campaigns_that_exist(driver, session_factory):
    make_world(session_factory, TEAM, now=utcnow())
    driver.command('digest daily 09:00 campaign:"Nope"')
    (reply,) = _replies(driver)
    assert "No campaign “Nope”" in reply and "Spring launch" in reply
    assert 'Try: `/influencer digest now campaign:"Spring launch"`' in reply
    assert _subs(session_factory) == []


def test_subscribing_uses_the_requesting_users_slack_timezone(driver, session_factory):
    driver.slack.user_tz["U0LOCAL"] = "America/New_York"
    make_world(session_factory, TEAM, now=utcnow())
    driver.command('digest daily 9:00 campaign:“spring launch”')
    (sub,) = _subs(session_factory)
    assert (sub.cadence, sub.time_of_day, sub.timezone, sub.chart, sub.channel_id) == (
        "daily", "09:00", "America/New_York", True, driver.channel_id)
    assert sub.campaign_id is not None
    (reply,) = _replies(driver)
    assert "daily at 09:00 (America/New_York)" in reply and "your Slack timezone" in reply


def test_closing_a_campaign_stops_its_own_digests_but_not_the_workspace_digest(driver, session_factory):
    make_world(session_factory, TEAM, now=utcnow())
    driver.command('digest daily 09:00 campaign:"Spring launch"')
    driver.command("digest weekly mon 08:00", channel_id="CALL")
    driver.command('campaign close "Spring launch"')
    assert f"Its digest in <#{driver.channel_id}> is off." in _replies(driver)[-1]
    assert [(s.channel_id, s.campaign_id is None, s.active) for s in _subs(session_factory)] == [
        (driver.channel_id, False, False), ("CALL", True, True)]


def test_subscribing_again_replaces_and_list_and_off_work(driver, session_factory):
    driver.command("digest daily 09:00 tz:Asia/Tokyo")
    driver.command("digest weekly fri 17:30 tz:Europe/Paris chart:off")
    (sub,) = _subs(session_factory)
    assert (sub.cadence, sub.weekday, sub.time_of_day, sub.timezone, sub.chart) == (
        "weekly", 4, "17:30", "Europe/Paris", False)
    assert "now gets" in _replies(driver)[-1]
    driver.command("digest list")
    assert "weekly on Fridays at 17:30 (Europe/Paris)" in _replies(driver)[-1]
    driver.command("digest off")
    assert "Stopped" in _replies(driver)[-1]
    assert [s.active for s in _subs(session_factory)] == [False]
    driver.command("digest list")
    assert "no digests" in _replies(driver)[-1]
    driver.command("digest off")
    assert "No digest of all active campaigns was on" in _replies(driver)[-1]


def test_digest_now_posts_valid_blocks_whose_numbers_match_the_kpis(driver, session_factory):
    world = make_world(session_factory, TEAM, now=utcnow())
    exchange = driver.command("digest now")
    assert "Building the digest" in exchange.ack["text"]
    (post,) = driver.slack.calls_to("chat.postMessage")
    blocks = post.params["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
        assert len((block.get("text") or {}).get("text", "")) <= 3000
    t = expected_totals(world, utcnow())
    text = _text(blocks)
    assert t.posts_live == 3 and t.impressions_are_estimated
    for shown in (f"{t.posts_live} live of {t.posts_planned} planned", f"{fmt_money(t.spend_cents)} of $5,000 spent",
                  f"impressions {fmt_count(t.impressions)}", f"CPM {fmt_money(t.cpm_cents)}",
                  f"EMV {fmt_money(t.emv_cents)}", f"*Engagement* {fmt_count(t.engagements)}",
                  f"ER {fmt_pct(t.engagement_rate)}", f"CPE {fmt_money(t.cpe_cents)}", f"clicks {fmt_count(t.clicks)}",
                  f"conversions {fmt_count(t.conversions)}", f"CPA {fmt_money(t.cpa_cents)}",
                  f"revenue {fmt_money(t.revenue_cents)}", f"ROAS {fmt_ratio(t.roas)}", "est. from reach"):
        assert shown in text, shown
    assert "*Top creators*\n1. @tiktaker" in text
    assert "*Below their tier's benchmark* (1)\n• @quietone" in text
    assert "*Waiting for approval* (1)\n• @pending1 (instagram) for $250" in text
    # the chart went into the digest's thread, as a PNG
    (upload,) = driver.slack.calls_to("files.completeUploadExternal")
    assert upload.params["thread_ts"] == driver.messages()[0]["ts"]
    (raw,) = [c for c in driver.slack.calls_to("file_upload")]
    assert raw.params["data"][:8] == b"\x89PNG\r\n\x1a\n"
    with session_factory() as s:  # outside the ledger: no period was used up
        assert s.scalars(select(DigestRun)).all() == []


def test_digest_now_with_chart_off_and_a_failed_upload_still_posts(driver, session_factory):
    make_world(session_factory, TEAM, now=utcnow())
    driver.command("digest now chart:off")
    assert len(driver.slack.calls_to("chat.postMessage")) == 1
    assert driver.slack.calls_to("files.getUploadURLExternal") == []
    driver.slack.error_next("files.completeUploadExternal", "internal_error")
    driver.command("digest now")
    assert len([c for c in driver.slack.calls_to("chat.postMessage") if not c.failed]) == 2
    assert not any("went wrong" in r for r in _replies(driver))


def test_digest_now_without_campaigns_says_so(driver):
    driver.command("digest now")
    (post,) = driver.slack.calls_to("chat.postMessage")
    assert "No active campaigns yet" in _text(post.params["blocks"])


def test_digest_now_on_demo_data_matches_totals_summed_in_python(driver, session_factory, monkeypatch):
    now = utcnow()
    load_demo_data(session_factory, TEAM, creators=600, now=now)
    monkeypatch.setattr("influencer_bot.handlers.commands.digest.utcnow", lambda: now)
    driver.command("digest now")
    (post,) = driver.slack.calls_to("chat.postMessage")
    for block in post.params["blocks"]:
        Block.parse(block).validate_json()
    text = _text(post.params["blocks"])
    with session_factory() as s:
        expected = python_totals(s, TEAM, None, as_of=now)
        names = {row.id: row.name for row in s.execute(select(Campaign.id, Campaign.name))}
    assert expected, "the demo data has active campaigns"
    for campaign_id, t in expected.items():
        section = text.split(f"*{names[campaign_id]}*", 1)[1]
        assert f"{fmt_money(t.spend_cents)} of {fmt_money(t.budget_cents)} spent" in section
        for shown in (f"{t.posts_live} live of {t.posts_planned} planned", f"impressions {fmt_count(t.impressions)}",
                      f"*Engagement* {fmt_count(t.engagements)}", f"CPE {fmt_money(t.cpe_cents)}",
                      f"EMV {fmt_money(t.emv_cents)}", f"ROAS {fmt_ratio(t.roas)}"):
            assert shown in section, (names[campaign_id], shown)
