"""Campaign posts refreshed on their cadence (a clock the test moves), a deleted post keeping its
last numbers, a refused token stopping Instagram with one message, and the sync_runs claim that
keeps two processes from running the same sync."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import TEAM
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import Campaign, CampaignMember, Post, PostSnapshot
from influencer_bot.storage.sync import runs
from influencer_bot.storage.sync.jobs import BUSY, Job, run_job
from sync_world import IG_TOKEN, World, creator, instagram_stand_in, sync_runs, world, yt  # noqa: F401  (fixtures)


def add_post(world: World, external_id: str | None, *, posted_hours_ago: float, url: str, kind: str = "video") -> int:
    lea = creator(world.factory, TEAM, "kochenmitlea")
    with transaction(world.factory) as s:
        campaign = s.scalar(select(Campaign).where(Campaign.team_id == TEAM))
        if campaign is None:
            campaign = Campaign(team_id=TEAM, name="Vegan launch", name_key="vegan launch", budget_cents=500_000,
                                owner_id="U1")
            s.add(campaign)
            s.flush()
            s.add(CampaignMember(team_id=TEAM, campaign_id=campaign.id, creator_id=lea.id, agreed_price_cents=40_000,
                                 added_by="U1"))
            s.flush()
        member = s.scalar(select(CampaignMember).where(CampaignMember.campaign_id == campaign.id))
        post = Post(team_id=TEAM, campaign_id=campaign.id, member_id=member.id, platform="youtube", url=url,
                    kind=kind, external_id=external_id,
                    posted_at=world.clock.now - timedelta(hours=posted_hours_ago))
        s.add(post)
        s.flush()
        return post.id


def post_snapshots(world: World, post_id: int) -> list[PostSnapshot]:
    with world.factory() as s:
        return list(s.scalars(select(PostSnapshot).where(PostSnapshot.post_id == post_id).order_by(PostSnapshot.id)))


def refresh(world: World, platforms) -> int:
    """Run the posts job; how many posts YouTube was asked about."""
    (report,) = run_job(world.factory, platforms, Job("posts", "schedule"), clock=world.clock)
    return report.refreshed + sum(report.failures.values())


def test_posts_are_refreshed_hourly_then_daily_then_never_and_a_deleted_one_keeps_its_numbers(world, yt):
    platforms = world.platforms(youtube=yt)
    fresh = add_post(world, "lea00000003", posted_hours_ago=1, url="https://youtu.be/lea00000003")
    older = add_post(world, "lea00000001", posted_hours_ago=24 * 20, url="https://www.youtube.com/watch?v=lea00000001")
    add_post(world, None, posted_hours_ago=2, url="https://example.com/not-a-platform-post")  # no id: never asked
    add_post(world, "lea00000003", posted_hours_ago=3, url="https://youtu.be/lea00000003?story", kind="story")

    assert refresh(world, platforms) == 2  # the story is never asked: no API reads another account's stories
    (snap,) = post_snapshots(world, fresh)
    assert (snap.source, snap.views, snap.likes, snap.comments) == ("youtube", 12_000, 900, 60)
    world.clock.advance(minutes=30)
    assert refresh(world, platforms) == 0  # nothing is due half an hour later
    world.clock.advance(minutes=30)
    assert refresh(world, platforms) == 1  # the young post, hourly; numbers unchanged: no new snapshot
    assert len(post_snapshots(world, fresh)) == 1
    yt.videos["lea00000003"].views = 15_500
    world.clock.advance(hours=1)
    assert refresh(world, platforms) == 1
    assert [s.views for s in post_snapshots(world, fresh)] == [12_000, 15_500]

    world.clock.advance(hours=47)  # the young post is past 48 h: daily now, like the older one
    assert refresh(world, platforms) == 2
    world.clock.advance(hours=2)
    assert refresh(world, platforms) == 0
    world.clock.advance(hours=22)
    assert refresh(world, platforms) == 2

    yt.delete_video("lea00000003")
    world.clock.advance(days=1)
    refresh(world, platforms)
    with world.factory() as s:
        gone, kept = s.get(Post, fresh), s.get(Post, older)
    assert gone.status == "deleted" and kept.status == "live"
    assert post_snapshots(world, fresh)[-1].views == 15_500  # its last numbers stay
    world.clock.advance(days=1)
    assert refresh(world, platforms) == 1  # a deleted post is not asked for again

    world.clock.advance(days=9)  # the older post is now 31 days old: its last snapshot is final
    assert refresh(world, platforms) == 0
    (run,) = [r for r in sync_runs(world.factory, TEAM) if r.status == "done" and r.failed][:1]
    assert '"deleted": 1' in run.failures


def test_a_refused_instagram_token_stops_the_run_with_one_message_and_keeps_it_secret(world, caplog):
    from factories import add, baker

    add(world.factory, TEAM, baker("lena.bakes", 40_000, 800), baker("anna.cakes", 9_000, 300),
        baker("bo.bread", 12_000, 200))
    with instagram_stand_in() as ig, caplog.at_level(logging.INFO):
        ig.token_expired = True
        (report,) = run_job(world.factory, world.platforms(instagram=ig), Job("creators", "cli", team_ids=[TEAM]),
                            clock=world.clock)
        asked = len(ig.requests())
    assert report.status == "auth" and report.refreshed == 0 and asked == 1  # one call, not one per creator
    assert "token" in report.message.lower() and IG_TOKEN not in report.message
    (run,) = [r for r in sync_runs(world.factory, TEAM) if r.platform == "instagram"]
    assert (run.status, run.message) == ("auth", report.message)
    assert IG_TOKEN not in caplog.text
    assert creator(world.factory, TEAM, "lena.bakes", "instagram").synced_at is None  # tried again next run


def test_two_processes_never_hold_the_same_sync_and_a_dead_ones_claim_is_taken_over(world, yt):
    now = world.clock.now
    with transaction(world.factory) as s:
        held = runs.claim(s, TEAM, "youtube", runs.CREATORS, "schedule", now=now)
    with transaction(world.factory) as s:
        assert runs.claim(s, TEAM, "youtube", runs.CREATORS, "cli", now=now) is None
        assert runs.claim(s, TEAM, "youtube", runs.POSTS, "cli", now=now) is not None  # another kind is free
    (busy,) = run_job(world.factory, world.platforms(youtube=yt), Job("creators", "cli", team_ids=[TEAM]),
                      clock=world.clock)
    assert busy.status == BUSY and yt.requests() == []
    later = now + runs.LEASE + timedelta(minutes=1)  # its process died: no heartbeat since
    with transaction(world.factory) as s:
        taken = runs.claim(s, TEAM, "youtube", runs.CREATORS, "schedule", now=later)
    assert taken is not None and taken != held
    dead = next(r for r in sync_runs(world.factory, TEAM) if r.id == held)
    assert dead.status == "failed" and "stopped" in dead.message


def test_the_scheduler_replicas_run_a_period_once_between_them(world, yt):
    platforms = world.platforms(youtube=yt)
    job = Job("creators", "schedule", not_since=timedelta(hours=24 * 0.9))
    first = run_job(world.factory, platforms, job, clock=world.clock)
    world.clock.advance(minutes=20)  # the second replica's timer fires a little later
    second = run_job(world.factory, platforms, job, clock=world.clock)
    assert {r.status for r in first} == {"done"} and {r.status for r in second} == {BUSY}
    world.clock.advance(hours=24)
    assert {r.status for r in run_job(world.factory, platforms, job, clock=world.clock)} == {"done"}


def test_ctrl_c_mid_run_releases_the_claim_so_the_next_run_does_not_wait_for_the_lease(world):
    """Ctrl-C while a call is in flight: the run is closed as failed at once (not left `running` for
    the 30-minute lease, which made `/influencer sync status` say running and every run skip)."""
    import _thread

    from influencer_bot.bot.local.platforms.youtube import YouTubeStandIn
    from sync_world import YT_KEY, seed_youtube

    class InterruptedOnce(YouTubeStandIn):
        def answer(self, request):  # the user presses Ctrl-C while the first call is answered
            if not self.requests("channels")[1:]:
                _thread.interrupt_main()
            return super().answer(request)

    with InterruptedOnce(api_key=YT_KEY) as api:
        seed_youtube(api)
        with pytest.raises(KeyboardInterrupt):
            run_job(world.factory, world.platforms(youtube=api), Job("creators", "cli", team_ids=[TEAM]),
                    clock=world.clock)
        (stopped,) = sync_runs(world.factory, TEAM)
        assert stopped.status == "failed" and "interrupted" in stopped.message.lower()
        assert stopped.finished_at is not None
        (again,) = run_job(world.factory, world.platforms(youtube=api), Job("creators", "cli", team_ids=[TEAM]),
                           clock=world.clock)
    assert again.status == "done" and again.refreshed == 6
