"""`influencer-bot sync` from the terminal and the sync jobs of the scheduler process, end to end
against the stand-ins, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from conftest import OTHER_TEAM, TEAM
from influencer_bot.bot import cli
from influencer_bot.bot.local.platforms.youtube import YouTubeStandIn
from influencer_bot.bot.scheduler import scheduler_from_settings
from influencer_bot.bot.slack_client import make_web_client
from influencer_bot.bot.sync_cli import parse_duration
from influencer_bot.bot.sync_schedule import CREATORS_JOB, POSTS_JOB, SyncSchedule
from influencer_bot.handlers.services import Services
from influencer_bot.influence.errors import UserError
from influencer_bot.storage.sync.jobs import BUSY
from sync_world import YT_KEY, World, creator, seed_creators, seed_youtube, snapshots, sync_runs

SETTINGS = ("YOUTUBE_API_KEY", "YOUTUBE_API_URL", "YOUTUBE_FEED_URL", "INSTAGRAM_ACCESS_TOKEN", "INSTAGRAM_USER_ID",
            "TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET", "SYNC_STALE_AFTER_DAYS")


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SYNC_MAX_ATTEMPTS", "2")
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def yt(env) -> YouTubeStandIn:
    with YouTubeStandIn(api_key=YT_KEY) as api:
        seed_youtube(api)
        env.setenv("YOUTUBE_API_KEY", YT_KEY)
        env.setenv("YOUTUBE_API_URL", api.url)
        env.setenv("YOUTUBE_FEED_URL", api.feed_url)
        yield api


def test_sync_creators_from_the_terminal_prints_a_summary_and_writes_the_numbers(env, yt, session_factory, capsys):
    seed_creators(session_factory)
    assert cli.main(["sync", "creators", "--workspace", TEAM]) == 0
    out = capsys.readouterr().out
    assert f"YouTube creators · {TEAM}: 6 refreshed, 1 failed (not_found 1); quota left today: " in out
    assert "Instagram: not configured: set INSTAGRAM_ACCESS_TOKEN and INSTAGRAM_USER_ID" in out
    assert "TikTok: import-only." in out and YT_KEY not in out
    assert snapshots(session_factory, TEAM, "kochenmitlea", "youtube")
    assert creator(session_factory, OTHER_TEAM, "kochenmitlea").synced_at is None  # --workspace scopes it
    (run,) = sync_runs(session_factory, TEAM)
    assert (run.trigger, run.status, run.refreshed) == ("cli", "done", 6)

    assert cli.main(["sync", "creators", "--workspace", TEAM, "--platform", "yt"]) == 0
    assert "Nothing to refresh: every YouTube creator was synced in the last 7 days." in capsys.readouterr().out
    assert cli.main(["sync", "creators", "--workspace", TEAM, "--stale-after", "0m", "--limit", "3"]) == 0
    assert f"YouTube creators · {TEAM}: 3 refreshed" in capsys.readouterr().out
    assert len(snapshots(session_factory, TEAM, "kochenmitlea", "youtube")) == 1  # same numbers, no new snapshot


def test_sync_posts_from_the_terminal(env, yt, session_factory, capsys):
    seed_creators(session_factory)
    assert cli.main(["sync", "posts"]) == 0
    assert "YouTube: nothing to sync: no campaign posts on YouTube in any workspace." in capsys.readouterr().out


def test_without_credentials_nothing_runs_and_the_missing_settings_are_named(env, capsys):
    assert cli.main(["sync", "creators"]) == 2
    out = capsys.readouterr().out
    assert "YouTube: not configured: set YOUTUBE_API_KEY" in out and "nothing to sync" in out
    assert cli.main(["sync", "creators", "--platform", "tiktok"]) == 2
    assert "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET" in capsys.readouterr().out


@pytest.mark.parametrize("args, says", [
    (["--stale-after", "7x"], "“7x” is not a duration"),
    (["--stale-after", "week"], "e.g. 7d, 12h or 30m"),
    (["--limit", "0"], "--limit takes a number of creators, 1 or more"),
    (["--platform", "myspace"], "I don't know the platform “myspace”"),
])
def test_bad_options_are_refused_with_an_example(env, capsys, args, says):
    assert cli.main(["sync", "creators", *args]) == 2
    err = capsys.readouterr().err
    assert says in err and "influencer-bot sync creators" in err


def test_durations_read_as_people_write_them():
    assert parse_duration("7d") == timedelta(days=7) and parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("30m") == timedelta(minutes=30) and parse_duration("1.5 h") == timedelta(hours=1.5)
    with pytest.raises(UserError):
        parse_duration("-3d")


def test_the_scheduler_process_syncs_on_its_own_cadence_once_across_replicas(yt, session_factory):
    seed_creators(session_factory)
    world = World(session_factory)
    services = Services(sessions=session_factory, sync=world.platforms(youtube=yt))
    every = timedelta(hours=24)
    one = SyncSchedule(services, every=every, stale_after=timedelta(days=7), clock=world.clock)
    other = SyncSchedule(services, every=every, stale_after=timedelta(days=7), clock=world.clock)
    reports = one.creators_tick()
    assert {(r.team_id, r.status) for r in reports} == {(TEAM, "done"), (OTHER_TEAM, "done")}
    assert {r.status for r in other.creators_tick()} == {BUSY}  # the other replica's timer: already done
    assert creator(session_factory, TEAM, "kochenmitlea").sync_status == "ok"
    assert {r.trigger for r in sync_runs(session_factory)} == {"schedule"}
    assert one.posts_tick() == []  # no campaign posts yet


def test_the_scheduler_registers_the_sync_jobs_and_keeps_them_through_digest_syncs(env, yt):
    from influencer_bot.bot.runtime import build_services
    from influencer_bot.bot.settings import Settings
    from influencer_bot.storage.db import make_engine

    env.setenv("SYNC_EVERY_HOURS", "6")
    settings = Settings()
    scheduler = scheduler_from_settings(settings, build_services(settings, make_engine(settings.database_url)),
                                        make_web_client("xoxb-test", "http://127.0.0.1:9/"))
    jobs = {j.id: j for j in scheduler.scheduler.get_jobs()}
    assert jobs[CREATORS_JOB].trigger.interval == timedelta(hours=6)
    assert jobs[POSTS_JOB].trigger.interval == timedelta(hours=1)
    scheduler.sync()  # the digest job sync removes digest jobs only
    assert {CREATORS_JOB, POSTS_JOB} <= {j.id for j in scheduler.scheduler.get_jobs()}
