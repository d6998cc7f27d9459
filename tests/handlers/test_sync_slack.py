"""Platform sync as Slack shows it: `/influencer sync status` after real runs, `/influencer creator …
refresh` (the ack first, the platform call after it), and the card's line saying where its
numbers came from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.handlers.services import Services
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.sync.jobs import Job, run_job
from sync_world import creator, instagram_stand_in, snapshots, world, yt  # noqa: F401  (fixtures)



@pytest.fixture
def slack_with_sync(world, yt, slack) -> Iterator[LocalDriver]:
    services = Services(sessions=world.factory, sync=world.platforms(youtube=yt))
    with LocalDriver(services, team_id=TEAM, slack=slack) as d:
        yield d


def reply_text(exchange) -> str:
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    blocks = reply["params"].get("blocks") or []
    parts = [reply["params"]["text"]]
    for b in blocks:
        if b["type"] == "context":
            parts += [e["text"] for e in b["elements"]]
        elif "text" in b:
            parts.append(b["text"]["text"] if isinstance(b["text"], dict) else b["text"])
    return "\n".join(parts)


def test_sync_status_tells_the_truth_after_runs(world, yt, slack_with_sync):
    before = reply_text(slack_with_sync.command("sync status"))
    assert "*YouTube* · 7 creators, 7 never synced" in before and "Creators: no run yet" in before
    assert "*Instagram*: not configured: set INSTAGRAM_ACCESS_TOKEN and INSTAGRAM_USER_ID" in before
    assert "*TikTok*: import-only." in before

    platforms = slack_with_sync.services.sync
    run_job(world.factory, platforms, Job("creators", "schedule", team_ids=[TEAM]), clock=world.clock)
    text = reply_text(slack_with_sync.command("sync"))
    assert "7 creators, 1 never synced" not in text  # a not-found creator was answered: it is synced
    assert "7 creators, 0 never synced · quota left today: " in text
    assert "Creators: done · " in text and "· by schedule · 6 refreshed, 1 failed (no such account 1)" in text
    assert "Campaign posts: no run yet" in text

    world.clock.advance(days=1)
    yt.fail_next(403, body={"error": {"code": 403, "message": "quota", "errors": [
        {"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}]}}, times=5)
    run_job(world.factory, platforms, Job("creators", "cli", team_ids=[TEAM], stale_after=timedelta(0)),
            clock=world.clock)
    text = reply_text(slack_with_sync.command("sync status"))
    assert "Creators: stopped: quota used up · " in text and "by cli · 0 refreshed" in text
    assert "quota of 10,000 units is used up; sync resumes after midnight Pacific time" in text
    assert "quota left today: 0 units" in text


def test_sync_with_an_unknown_word_is_answered_in_the_ack(slack_with_sync):
    exchange = slack_with_sync.command("sync now please")
    assert "I don't know “sync now please”" in exchange.ack["text"] and "/influencer sync status" in exchange.ack["text"]


def test_creator_refresh_acks_at_once_then_replies_with_the_updated_card(world, slack_with_sync):
    before = reply_text(slack_with_sync.command("creator kochenmitlea"))
    assert "Numbers from the CSV import of " in before
    exchange = slack_with_sync.command("creator @KochenMitLea youtube refresh")
    assert "Refreshing @kochenmitlea from the platform" in exchange.ack["text"]
    text = reply_text(exchange)
    assert "Refreshed from YouTube just now." in text and "123k" in text
    assert "Numbers from YouTube, synced just now" in text
    assert len(snapshots(world.factory, TEAM, "kochenmitlea", "youtube")) == 1
    assert creator(world.factory, TEAM, "kochenmitlea").sync_status == "ok"


def test_creator_refresh_says_what_the_platform_said_or_why_it_cannot(world, slack_with_sync):
    text = reply_text(slack_with_sync.command("creator ghost-channel refresh"))
    assert "YouTube gave no numbers for @ghost-channel: no such account. Its numbers stay as they were." in text
    assert "last YouTube sync: no such account" in text
    add(world.factory, TEAM, baker("lena.bakes", 40_000, 800), baker("lena.bakes", 9_000, 300,
                                                                      platform=Platform.TIKTOK, views=5_000))
    text = reply_text(slack_with_sync.command("creator lena.bakes refresh"))
    assert "Instagram: not configured: set INSTAGRAM_ACCESS_TOKEN" in text and "TikTok: import-only." in text
    assert "No creator" in reply_text(slack_with_sync.command("creator nobody.here refresh"))


def test_a_not_discoverable_instagram_account_is_reported_as_such(world, slack):
    add(world.factory, TEAM, baker("private.person", 5_000, 100))
    with instagram_stand_in() as ig:
        services = Services(sessions=world.factory, sync=world.platforms(instagram=ig))
        with LocalDriver(services, team_id=TEAM, slack=slack) as driver:
            text = reply_text(driver.command("creator private.person refresh"))
    assert "Instagram gave no numbers for @private.person: not discoverable" in text
