"""The YouTube client against the local Data API stand-in: what a sync would store for each
creator and campaign video, how few calls (and quota units) it takes, and how it behaves when
YouTube refuses, throttles, fails or hangs. Upload ids come from the stand-in's copy of the public
channel feed (no quota), with playlistItems.list when the feed fails."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from influencer_bot.bot.local.platforms.server import Request
from influencer_bot.bot.local.platforms.youtube import YouTubeStandIn
from influencer_bot.bot.local.platforms.youtube_feed import render_feed
from influencer_bot.storage.sync.fetched import (AuthRefused, CreatorRef, FetchedPost, FetchedProfile, Missing,
                                                 PostRef, QuotaExhausted)
from influencer_bot.storage.sync.http import HttpPolicy, make_client
from influencer_bot.storage.sync.quota import QuotaLedger
from influencer_bot.storage.sync.youtube import YouTubeCache, YouTubeClient
from influencer_bot.storage.sync.youtube_feed import open_feed

KEY = "AIzaSy-test-key-0123456789abcdef"
FAST = HttpPolicy(timeout_s=2.0, max_attempts=3, backoff_s=0.001, max_wait_s=0.01)
WIKI = "https://en.wikipedia.org/wiki/"


def cid(n: int) -> str:
    return f"UC{n:022d}"


class Counted:
    """A quota gate that only counts (the ledger itself is tested on the database below)."""

    def __init__(self) -> None:
        self.units = 0

    def spend(self, units: int) -> None:
        self.units += units


@pytest.fixture
def yt() -> Iterator[YouTubeStandIn]:
    with YouTubeStandIn(api_key=KEY) as api:
        api.add_channel(cid(1), "KochenMitLea", "Kochen mit Lea 🍲", subscribers=123_456, country="DE",
                        description="Vegane Rezepte jede Woche", topics=(WIKI + "Food", WIKI + "Lifestyle_(sociology)"))
        api.add_video(cid(1), "lea00000001", "2024-05-01T16:00:00Z", "Linsen-Dal in 20 Minuten",
                      description="Werbung: dank an @gewürzhaus #werbung", views=48_210, likes=2_101, comments=133)
        api.add_video(cid(1), "lea00000002", "2024-05-08T16:00:00Z", "Meal prep für die Woche",
                      views=39_877, likes=None, comments=97)  # likes hidden
        api.add_video(cid(1), "lea00000003", "2024-05-15T16:00:00Z", "Q&A 🙋", views=12_004, likes=900,
                      comments=None)  # comments disabled
        api.add_channel(cid(2), "yuki.travels", "ゆきの旅 Yuki", subscribers=8_740_000, hidden_subscribers=True,
                        topics=(WIKI + "Tourism",))
        api.add_video(cid(2), "yuk00000001", "2024-04-30T01:00:00Z", "京都の朝 | Kyoto morning", views=1_200_000,
                      likes=80_000, comments=2_300)
        api.add_channel(cid(3), "empty-channel", "Nothing yet", subscribers=12)
        yield api


def client(api: YouTubeStandIn, quota=None, *, policy: HttpPolicy = FAST, key: str = KEY, feed: bool = True,
           **kw) -> YouTubeClient:
    return YouTubeClient(key, make_client(api.url, policy), quota if quota is not None else Counted(),
                         feed=open_feed(api.feed_url, policy) if feed else None, **kw)


def calls(api: YouTubeStandIn, method: str) -> list[Request]:
    """The requests to one Data API method (`videos`, …) or to the feed (`feed`)."""
    path = "/feeds/videos.xml" if method == "feed" else f"/{method}"
    return [r for r in api.requests() if r.path == path]


def api_calls(api: YouTubeStandIn) -> list[Request]:
    """The Data API requests: every one but the feed's."""
    return [r for r in api.requests() if r.path != "/feeds/videos.xml"]


def profiles(c: YouTubeClient, *refs: CreatorRef) -> dict[int, FetchedProfile | Missing]:
    got = list(c.fetch_profiles(refs))
    assert [r for r, _ in got] == list(refs)  # each ref once, in order
    return {r.creator_id: p for r, p in got}


def test_a_profile_carries_what_youtube_shows_with_hidden_counts_as_none(yt) -> None:
    got = profiles(client(yt), CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, "yuki.travels"),
                   CreatorRef(3, cid(3)))
    lea, yuki, empty = got[1], got[2], got[3]
    assert isinstance(lea, FetchedProfile)
    assert (lea.platform_id, lea.handle, lea.display_name, lea.country) == (cid(1), "kochenmitlea", "Kochen mit Lea 🍲", "DE")
    assert lea.followers == 123_000  # YouTube rounds to three significant figures
    assert lea.topics == ("Food", "Lifestyle (sociology)") and lea.posts_total == 3
    assert [p.external_id for p in lea.recent_posts] == ["lea00000003", "lea00000002", "lea00000001"]  # newest first
    dal = lea.recent_posts[2]
    assert (dal.views, dal.likes, dal.comments, dal.shares) == (48_210, 2_101, 133, None)
    assert dal.caption.startswith("Linsen-Dal in 20 Minuten\n") and "#werbung" in dal.caption
    assert dal.published_at == datetime(2024, 5, 1, 16, tzinfo=timezone.utc)
    assert lea.recent_posts[1].likes is None and lea.recent_posts[0].comments is None  # hidden, not 0
    assert isinstance(yuki, FetchedProfile) and yuki.followers is None and yuki.platform_id == cid(2)
    assert isinstance(empty, FetchedProfile) and empty.recent_posts == () and empty.followers == 12


def test_unknown_creators_are_missing_and_the_rest_of_the_batch_is_kept(yt) -> None:
    got = profiles(client(yt), CreatorRef(1, "ghost_channel"), CreatorRef(2, cid(999)), CreatorRef(3, "KOCHENMITLEA"))
    assert got[1] == Missing("not_found", "YouTube has no channel @ghost_channel.")
    assert got[2].reason == "not_found" and cid(999) in got[2].detail
    assert got[3].platform_id == cid(1)


def test_ids_are_batched_fifty_a_call_and_handles_go_one_per_forhandle_call(yt) -> None:
    for n in range(100, 220):
        yt.add_channel(cid(n), f"creator_{n}", subscribers=1000 + n)
        for k in range(3):
            yt.add_video(cid(n), f"v{n:05d}{k:05d}", f"2024-03-0{k + 1}T12:00:00Z", views=n * 10 + k)
    quota = Counted()
    refs = [CreatorRef(n, f"creator_{n}", cid(n)) for n in range(100, 220)]
    refs += [CreatorRef(1, "@KochenMitLea"), CreatorRef(2, "yuki.travels")]
    got = profiles(client(yt, quota, recent_videos=2), *refs)
    assert all(isinstance(p, FetchedProfile) and len(p.recent_posts) in (0, 1, 2) for p in got.values())
    assert [p.views for p in got[150].recent_posts] == [1502, 1501]
    by_id = [r for r in calls(yt, "channels") if "id" in r.query]
    assert sorted(len(r.query["id"].split(",")) for r in by_id) == [20, 50, 50]
    assert sorted(r.query["forHandle"] for r in calls(yt, "channels") if "forHandle" in r.query) == \
        ["@KochenMitLea", "@yuki.travels"]
    assert all(len(r.query["id"].split(",")) <= 50 for r in calls(yt, "videos"))
    assert len(calls(yt, "videos")) == 5  # per 50 creators: 100, 100 and 43 recent uploads, 50 ids a call
    assert quota.units == len(api_calls(yt)) == yt.quota_used  # one unit per API call, spent before it
    assert len(calls(yt, "feed")) == 122 and not calls(yt, "playlistItems")  # uploads: one free feed each
    assert all("key" not in r.query and r.headers["x-goog-api-key"] == KEY for r in api_calls(yt))


def test_campaign_videos_fifty_a_call_and_a_deleted_one_is_marked_deleted(yt) -> None:
    for n in range(120):
        yt.add_video(cid(3), f"camp{n:07d}", "2024-06-01T10:00:00Z", views=n)
    yt.delete_video("camp0000007")
    refs = [PostRef(n, f"camp{n:07d}") for n in range(120)] + [PostRef(500, "lea00000002")]
    got = dict(client(yt).fetch_posts(refs))
    assert got[refs[7]] == Missing("deleted", "YouTube has no public video camp0000007 any more "
                                              "(deleted or made private).")
    assert got[refs[42]].views == 42 and got[refs[-1]].likes is None
    assert sorted(len(r.query["id"].split(",")) for r in calls(yt, "videos")) == [21, 50, 50]  # calls run concurrently


def test_etags_revalidate_channels_and_unchanged_uploads_are_not_listed_again(yt) -> None:
    cache = YouTubeCache()
    refs = (CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, "yuki.travels"))
    first = profiles(client(yt, cache=cache), *refs)
    assert len(calls(yt, "feed")) == 2
    yt.videos["lea00000001"].views = 50_000  # the numbers move, the uploads do not
    second = profiles(client(yt, cache=cache), *refs)
    channel_calls = calls(yt, "channels")[2:]
    assert all(r.headers.get("if-none-match") for r in channel_calls)
    assert len(calls(yt, "feed")) == 2  # no new listing: the video counts are unchanged
    assert second[1].recent_posts[2].views == 50_000 and second[2] == first[2]
    yt.add_video(cid(1), "lea00000004", "2024-05-22T16:00:00Z", "Neues Video")
    third = profiles(client(yt, cache=cache), *refs)
    assert third[1].recent_posts[0].external_id == "lea00000004" and third[1].posts_total == 4
    assert len(calls(yt, "feed")) == 3 and not calls(yt, "playlistItems")


def test_google_quota_exceeded_stops_the_platform_and_marks_the_day_used_up(yt, session_factory) -> None:
    ledger = QuotaLedger(session_factory, "youtube", KEY, 10_000)
    yt.daily_quota = 1  # Google's count is lower than ours: another app spends on the same project
    with pytest.raises(QuotaExhausted) as stopped:
        profiles(client(yt, ledger), CreatorRef(1, "kochenmitlea", cid(1)))
    assert "YouTube's daily quota of 10,000 units is used up" in stopped.value.message
    assert ledger.units_left() == 0  # every other process stops too, until midnight Pacific


def test_the_ledger_stops_the_sync_before_the_call_that_would_go_over(yt, session_factory) -> None:
    ledger = QuotaLedger(session_factory, "youtube", KEY, 1)
    with pytest.raises(QuotaExhausted):
        profiles(client(yt, ledger), CreatorRef(1, "kochenmitlea", cid(1)))
    assert [r.path for r in yt.requests()] == ["/channels", "/feeds/videos.xml"]  # videos.list never sent


@pytest.mark.parametrize("fault", [
    {"status": 429, "retry_after": 0, "body": {"error": {"code": 429, "message": "Too Many Requests",
                                                         "status": "RESOURCE_EXHAUSTED"}}},
    {"status": 500, "body": {"error": {"code": 500, "message": "Backend Error",
                                       "errors": [{"reason": "backendError", "domain": "global"}]}}},
    {"status": 503},
    {"status": 200, "hang_s": 1.5},  # longer than the client's timeout
], ids=["429-retry-after", "500", "503-no-body", "timeout"])
def test_throttling_server_errors_and_timeouts_are_retried(yt, fault) -> None:
    yt.fail_next(path="/videos", **fault)
    policy = HttpPolicy(timeout_s=0.5, max_attempts=3, backoff_s=0.001, max_wait_s=0.01)
    got = profiles(client(yt, policy=policy), CreatorRef(1, "kochenmitlea", cid(1)))
    assert [p.views for p in got[1].recent_posts] == [12_004, 39_877, 48_210]  # without a retry: Missing
    if not fault.get("hang_s"):  # a hung request is recorded only once it gives up hanging
        assert [r.failed for r in calls(yt, "videos")] == [True, False]


def test_a_call_that_keeps_failing_costs_only_its_creators(yt) -> None:
    yt.feed_down.add(cid(1))  # its uploads are listed through the API, where every attempt fails
    yt.fail_next(500, times=3, path_contains="/playlistItems")
    got = profiles(client(yt, workers=1), CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, "yuki.travels"))
    assert got[1] == Missing("error", "YouTube answered playlistItems.list with 500.")  # not a profile without posts
    assert isinstance(got[2], FetchedProfile) and len(got[2].recent_posts) == 1
    yt.fail_next(502, times=3, path="/videos")
    posts = dict(client(yt).fetch_posts([PostRef(1, "lea00000001")]))
    assert posts[PostRef(1, "lea00000001")].reason == "error"  # never "deleted" because of a 502


def test_a_refused_key_stops_the_platform_with_one_line_that_never_shows_the_key(yt) -> None:
    wrong = "AIzaSy-wrong-key-ffffffffffff"
    with pytest.raises(AuthRefused) as refused:
        profiles(client(yt, key=wrong), CreatorRef(1, "kochenmitlea"))
    assert refused.value.message == ("YouTube refused the API key (API_KEY_INVALID): check YOUTUBE_API_KEY and "
                                     "that the YouTube Data API v3 is enabled for its Google Cloud project.")
    assert wrong not in refused.value.message and "\n" not in refused.value.message
    assert all(wrong not in r.path and wrong not in str(r.query) for r in yt.requests())
    assert all("x-goog-api-key" not in r.headers for r in calls(yt, "feed"))  # the feed never sees a key
    with pytest.raises(AuthRefused):
        list(client(yt, key=wrong).fetch_posts([PostRef(1, "lea00000001")]))


# -- upload ids from the public feed ------------------------------------------------------------
def test_uploads_come_from_the_feed_at_no_quota_units(yt, session_factory) -> None:
    ledger = QuotaLedger(session_factory, "youtube", KEY, 10_000)
    c = client(yt, ledger)
    got = profiles(c, CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, "yuki.travels"), CreatorRef(3, cid(3)))
    assert [p.external_id for p in got[1].recent_posts] == ["lea00000003", "lea00000002", "lea00000001"]
    assert [p.views for p in got[2].recent_posts] == [1_200_000] and got[3].recent_posts == ()
    # channels.list by id (Lea and the empty channel), forHandle (Yuki), one videos.list; the feed is free
    assert 10_000 - ledger.units_left() == len(api_calls(yt)) == 3 and not calls(yt, "playlistItems")
    assert sorted(r.query["channel_id"] for r in calls(yt, "feed")) == [cid(1), cid(2)]  # none for 0 videos
    # The feed says starRating count="0" for hidden likes; the numbers come from videos.list, which says hidden.
    assert got[1].recent_posts[1].likes is None and got[1].recent_posts[0].comments is None
    assert c.feed_fallbacks == 0


JUNK_FEEDS = {
    "consent-page": "<!DOCTYPE html><html><head><meta charset=utf-8><title>Before you continue to YouTube</title>",
    "truncated": '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><yt:vid',
    "rss-not-atom": '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
    "entity-bomb": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                   '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>',
    "empty-200": "",
}


@pytest.mark.parametrize("failure", ["404", "500-after-retries", "another-channels-feed", *JUNK_FEEDS])
def test_a_failing_feed_falls_back_to_playlistitems_for_that_channel_only(yt, failure) -> None:
    if failure == "404":
        yt.feed_down.add(cid(1))
    elif failure == "500-after-retries":
        yt.fail_next(500, times=3, path="/feeds/videos.xml")  # every attempt FAST allows
    elif failure == "another-channels-feed":  # a proxy's mix-up: Yuki's entries for Lea's channel
        yt.fail_next(200, body=render_feed(yt.channels[cid(2)], [yt.videos["yuk00000001"]]), path="/feeds/videos.xml")
    else:
        yt.fail_next(200, body=JUNK_FEEDS[failure], path="/feeds/videos.xml")
    quota = Counted()
    c = client(yt, quota, workers=1)  # one thread: Lea's feed is fetched first and gets the failure
    got = profiles(c, CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, "yuki.travels"))
    assert [p.external_id for p in got[1].recent_posts] == ["lea00000003", "lea00000002", "lea00000001"]
    assert [r.query["playlistId"] for r in calls(yt, "playlistItems")] == ["UU" + cid(1)[2:]]  # Lea's only
    assert [p.external_id for p in got[2].recent_posts] == ["yuk00000001"]
    assert quota.units == len(api_calls(yt)) == 4  # channels.list x2, playlistItems.list, videos.list
    assert c.feed_fallbacks == 1


def test_feed_entries_beyond_recent_videos_are_ignored(yt) -> None:
    for day in range(1, 21):
        yt.add_video(cid(3), f"emp{day:08d}", f"2024-07-{day:02d}T09:30:00Z", f"Tag {day} 🎬", views=day)
    got = profiles(client(yt, recent_videos=5), CreatorRef(3, cid(3)))
    assert [p.views for p in got[3].recent_posts] == [20, 19, 18, 17, 16]
    assert [len(r.query["id"].split(",")) for r in calls(yt, "videos")] == [5] and not calls(yt, "playlistItems")


def test_a_feed_shorter_than_wanted_is_completed_by_playlistitems_unless_it_is_all_there_is(yt) -> None:
    for day in range(1, 31):  # 30 uploads: the feed shows the newest 15
        yt.add_video(cid(3), f"emp{day:08d}", f"2024-07-{day:02d}T09:30:00Z", views=day)
    got = profiles(client(yt, recent_videos=20), CreatorRef(3, cid(3)), CreatorRef(1, "kochenmitlea", cid(1)))
    assert [p.views for p in got[3].recent_posts] == list(range(30, 10, -1))
    assert [r.query["playlistId"] for r in calls(yt, "playlistItems")] == ["UU" + cid(3)[2:]]
    assert len(got[1].recent_posts) == 3  # Lea has 3 videos, all in her feed: no listing needed


def test_without_a_feed_every_channel_is_listed_through_the_api(yt) -> None:
    quota = Counted()
    got = profiles(client(yt, quota, feed=False), CreatorRef(1, "kochenmitlea", cid(1)), CreatorRef(2, cid(2)))
    assert len(got[1].recent_posts) == 3 and len(got[2].recent_posts) == 1
    assert len(calls(yt, "playlistItems")) == 2 and not calls(yt, "feed") and quota.units == 4
