"""Creator sync runs against the platform stand-ins, on SQLite and PostgreSQL: what a run writes,
what it keeps when some creators fail, what a re-run does not write, how the day's quota stops a
run and the next day resumes it, and that one workspace's sync never touches another's."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import OTHER_TEAM, TEAM
from influencer_bot.influence.engagement import engagement
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.creators.views import find_by_handle
from influencer_bot.storage.models import MetricSnapshot
from influencer_bot.storage.sync.jobs import Job, run_job
from sync_world import (YOUTUBE_HANDLES, World, cid, count, creator, instagram_stand_in, seed_many, snapshots,
                        sync_runs, world, yt)  # noqa: F401  (fixtures)



def sync(world: World, platforms, **job) -> list:
    job.setdefault("team_ids", [TEAM])
    return run_job(world.factory, platforms, Job("creators", "cli", **job), clock=world.clock)


def test_a_run_writes_snapshots_updates_creators_and_counts_what_failed(world, yt):
    (report,) = sync(world, world.platforms(youtube=yt))
    assert (report.status, report.refreshed, report.failures) == ("done", 6, {"not_found": 1})
    lea = creator(world.factory, TEAM, "kochenmitlea")
    assert (lea.followers, lea.display_name, lea.country, lea.platform_id, lea.sync_status) == (
        123_000, "Kochen mit Lea 🍲", "DE", cid(1), "ok")
    assert lea.synced_at == world.clock.now
    assert lea.topics == "#vegan #rezepte Food"  # the import's hashtags stay, YouTube's topic joins them
    (snap,) = snapshots(world.factory, TEAM, "kochenmitlea", "youtube")
    assert snap.captured_at == world.clock.now and snap.followers == 123_000
    ghost = creator(world.factory, TEAM, "ghost-channel")
    assert ghost.sync_status == "not_found" and ghost.followers == 10_006  # its imported numbers are kept
    (run,) = sync_runs(world.factory, TEAM)
    assert (run.kind, run.trigger, run.status, run.refreshed, run.failed) == ("creators", "cli", "done", 6, 1)
    assert json.loads(run.failures) == {"not_found": 1} and run.finished_at == world.clock.now
    # hidden subscriber count: unknown, never zero; the imported figure stays on the creator
    yuki = creator(world.factory, TEAM, "yuki.travels")
    assert yuki.followers == 10_001 and snapshots(world.factory, TEAM, "yuki.travels", "youtube")[0].followers is None


def test_er_posting_frequency_and_sponsored_share_equal_the_hand_computed_values(world, yt):
    sync(world, world.platforms(youtube=yt))
    (snap,) = snapshots(world.factory, TEAM, "kochenmitlea", "youtube")
    # Lea's three videos (views, likes, comments): (48,000, 2,100, 130) 20 days ago with "#werbung",
    # (40,000, hidden, 90) 13 days ago, (12,000, 900, 60) 6 days ago
    assert snap.posts_sampled == 3
    assert snap.avg_likes == pytest.approx((2_100 + 900) / 2)  # the hidden-likes video does not count as 0
    assert snap.avg_comments == pytest.approx((130 + 90 + 60) / 3)
    assert snap.avg_views == pytest.approx((48_000 + 40_000 + 12_000) / 3)
    assert snap.posts_per_week == pytest.approx(3 / 20 * 7, abs=1e-3)  # 3 posts since the oldest, 20 days ago
    assert snap.sponsored_share == pytest.approx(1 / 3)  # "#werbung" is a disclosure
    with world.factory() as s:
        (view,) = find_by_handle(s, TEAM, "kochenmitlea", Platform.YOUTUBE)
        rate = engagement(Platform.YOUTUBE, view.facts().metrics).rate
    assert rate == pytest.approx((1_500 + 280 / 3) / (100_000 / 3))  # (likes + comments) per video ÷ views


def test_instagram_by_followers_with_sponsored_captions(world):
    from factories import add, baker

    add(world.factory, TEAM, baker("lena.bakes", 40_000, 800), baker("private.person", 5_000, 100))
    with instagram_stand_in() as ig:
        (report,) = sync(world, world.platforms(instagram=ig))
    assert (report.refreshed, report.failures) == (1, {"not_discoverable": 1})
    (snap,) = snapshots(world.factory, TEAM, "lena.bakes", "instagram")
    likes = [1000, 1100, 1200, 1300, 1400]
    comments = [40, 39, 38, 37, 36]
    assert (snap.followers, snap.following, snap.posts_sampled) == (48_210, 312, 5)
    assert snap.avg_likes == pytest.approx(sum(likes) / 5) and snap.avg_comments == pytest.approx(sum(comments) / 5)
    assert snap.sponsored_share == pytest.approx(2 / 5)  # [Werbung] and #ad; #adventure is not an ad
    assert snap.posts_per_week == pytest.approx(5 / 13 * 7, abs=1e-3)  # oldest post 13 days ago
    with world.factory() as s:
        (view,) = find_by_handle(s, TEAM, "lena.bakes", Platform.INSTAGRAM)
        rate = engagement(Platform.INSTAGRAM, view.facts().metrics).rate
    assert rate == pytest.approx((sum(likes) + sum(comments)) / 5 / 48_210)
    assert creator(world.factory, TEAM, "private.person", "instagram").sync_status == "not_discoverable"


def test_a_rerun_over_unchanged_data_writes_no_snapshot_but_a_change_does(world, yt):
    platforms = world.platforms(youtube=yt)
    sync(world, platforms)
    before = count(world.factory, MetricSnapshot)
    world.clock.advance(hours=5)
    (again,) = sync(world, platforms, stale_after=timedelta(0))
    assert again.refreshed == 6 and count(world.factory, MetricSnapshot) == before  # posts per week drifted a little
    assert creator(world.factory, TEAM, "kochenmitlea").synced_at == world.clock.now  # but it was synced
    yt.channels[cid(3)].subscribers = 75_000
    world.clock.advance(hours=5)
    sync(world, platforms, stale_after=timedelta(0))
    assert count(world.factory, MetricSnapshot) == before + 1
    assert [s.followers for s in snapshots(world.factory, TEAM, "ahmed.cooks")][-2:] == [60_000, 75_000]


def test_a_batch_with_failures_keeps_the_good_results(world, yt):
    # no channel's feed answers, so uploads are listed through the API, where every playlist call of
    # one channel fails for good (500 past the retries): that creator is an error
    yt.feed_down.update(yt.channels)
    yt.fail_next(500, times=10, path_contains="playlistItems")
    platforms = world.platforms(youtube=yt)
    (report,) = sync(world, platforms)
    assert report.status == "done" and report.failures.get("not_found") == 1
    errors = report.failures.get("error", 0)
    assert errors >= 1 and report.refreshed == 6 - errors
    good = [h for h in YOUTUBE_HANDLES if creator(world.factory, TEAM, h).sync_status == "ok"]
    assert len(good) == report.refreshed and all(snapshots(world.factory, TEAM, h, "youtube") for h in good)
    bad = [h for h in YOUTUBE_HANDLES if h not in good]
    assert all(creator(world.factory, TEAM, h).synced_at is None for h in bad)  # retried first next time
    (run,) = sync_runs(world.factory, TEAM)
    assert json.loads(run.failures)["error"] == errors


def test_quota_stops_a_run_and_the_next_day_resumes_with_the_creators_it_did_not_reach(world, yt):
    handles = list(YOUTUBE_HANDLES) + ["ghost-channel"] + seed_many(yt, world.factory, 60)
    # a first batch of 50 costs about 51 units: 50 forHandle lookups and a videos.list (feeds are free)
    platforms = world.platforms(youtube=yt, quota=60)
    (first,) = sync(world, platforms)
    assert first.status == "quota" and "quota of 60 units is used up" in first.message
    assert first.quota_left < 5 and 40 <= first.refreshed < 66
    synced = {h for h in handles if creator(world.factory, TEAM, h).synced_at is not None}
    assert len(synced) == first.refreshed + sum(first.failures.values())  # the batch it finished is kept
    (run,) = sync_runs(world.factory, TEAM)
    assert (run.status, run.refreshed, run.message) == ("quota", first.refreshed, first.message)
    # the same day: still stopped, and nothing more is asked of YouTube
    calls = len(yt.requests())
    (same_day,) = sync(world, platforms)
    assert (same_day.status, same_day.refreshed) == ("quota", 0) and len(yt.requests()) == calls
    world.clock.advance(days=1)
    (second,) = sync(world, platforms)
    assert second.status == "done" and second.quota_left > 0
    resumed = {h for h in handles if creator(world.factory, TEAM, h).synced_at == world.clock.now}
    assert resumed == set(handles) - synced  # the ones it had not reached, not the fresh ones again
    for handle in synced - {"ghost-channel"}:
        assert len(snapshots(world.factory, TEAM, handle, "youtube")) == 1


def test_one_workspaces_sync_never_touches_anothers_creators(world, yt):
    sync(world, world.platforms(youtube=yt))
    other = creator(world.factory, OTHER_TEAM, "kochenmitlea")
    assert other.synced_at is None and other.followers == 99_000
    assert snapshots(world.factory, OTHER_TEAM, "kochenmitlea", "youtube") == []
    assert sync_runs(world.factory, OTHER_TEAM) == []
    # without a workspace, each workspace gets its own run and its own numbers
    reports = run_job(world.factory, world.platforms(youtube=yt), Job("creators", "schedule"), clock=world.clock)
    assert {(r.team_id, r.refreshed) for r in reports} == {(TEAM, 0), (OTHER_TEAM, 1)}
    assert creator(world.factory, OTHER_TEAM, "kochenmitlea").followers == 123_000


def test_limit_and_order_never_synced_first(world, yt):
    platforms = world.platforms(youtube=yt)
    (report,) = sync(world, platforms, limit=2)
    assert report.refreshed == 2
    world.clock.advance(days=8)
    (report,) = sync(world, platforms, limit=5)
    # the five never synced come before the two synced 8 days ago
    fresh = [h for h in YOUTUBE_HANDLES + ("ghost-channel",)
             if creator(world.factory, TEAM, h).synced_at == world.clock.now]
    assert len(fresh) == 5 and report.refreshed + sum(report.failures.values()) == 5


def test_the_first_sync_after_an_import_is_no_follower_spike_but_a_synced_jump_is(world, yt):
    """An export's figure is rounded and of unknown date: the platform's exact count minutes
    later is a different measurement, not 100k followers gained in a day. Between two syncs it is."""
    from influencer_bot.influence.profile import build_profile
    from influencer_bot.storage.creators.views import follower_history

    def spike_flags() -> list[str]:
        with world.factory() as s:
            (view,) = find_by_handle(s, TEAM, "kochenmitlea", Platform.YOUTUBE)
            profile = build_profile(view.facts(follower_history(s, TEAM, view.creator.id)))
            return [f.message for f in profile.flags if f.code == "follower_spike"]

    sync(world, world.platforms(youtube=yt))  # imported 10,000 → YouTube says 123,000
    assert spike_flags() == []
    world.clock.advance(days=1)
    yt.channels[cid(1)].subscribers += 40_000
    sync(world, world.platforms(youtube=yt), stale_after=timedelta(hours=1))
    (message,) = spike_flags()
    assert "gained 40,000 followers a day" in message
