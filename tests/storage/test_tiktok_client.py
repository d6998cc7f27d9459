"""TikTokClient against the Research API stand-in: the client token's life, profile and video
shapes, private and unknown users, rate limits and failures retried or reported, campaign
videos in windowed batches, and the key, secret and tokens kept out of messages and logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from influencer_bot.bot.local.platforms.tiktok import RATE_LIMITED, TikTokStandIn, TtUser, TtVideo, video_id_at
from influencer_bot.influence.activity import RecentPost, posts_per_week, sponsored_share
from influencer_bot.storage.sync.fetched import AuthRefused, CreatorRef, FetchedProfile, Missing, PostRef, Throttled
from influencer_bot.storage.sync.http import HttpPolicy, make_client
from influencer_bot.storage.sync.tiktok import IMPORT_ONLY_NOTE, TikTokClient, video_date

KEY, SECRET = "awk-test-key-7f3a", "tt-secret-Zq81-never-shown"
TODAY = date(2024, 6, 15)
NOON = datetime(2024, 6, 15, 12, tzinfo=UTC)


def _video(days_ago: float, serial: int, caption: str | None, likes: int, **counts: int) -> TtVideo:
    created = NOON - timedelta(days=days_ago)
    return TtVideo(id=video_id_at(created, serial), create_time=int(created.timestamp()), video_description=caption,
                   like_count=likes, **counts)


def _world() -> list[TtUser]:
    nadia = TtUser(username="nadia.moves", display_name="Nadia ✨ Tanz", bio_description="choreo · Berlin",
                   follower_count=1_204_330, following_count=211, likes_count=30_555_000, videos=[
                       _video(1, 11, "new routine 💃 #fyp", 81_000, view_count=900_000, comment_count=1_200,
                              share_count=3_400),
                       _video(3, 12, "mit @sportmarke #anzeige", 20_000, view_count=310_000),
                       _video(8, 13, None, 15_500, view_count=190_000),
                       _video(15, 14, "tutorial pt. 2 #adventure", 9_000, view_count=88_000),
                       _video(22, 15, "(sponsored) studio tour", 12_000, view_count=140_000),
                       _video(29, 16, "first day back", 7_000, view_count=70_000),
                       _video(31, 17, "older than the window", 1, view_count=10),
                       _video(60, 18, "much older", 1, view_count=10)])
    chef = TtUser(username="chef_lucia", display_name="Lucía cocina", follower_count=8_420, videos=[
        _video(2, 21, "tortilla de patatas #publi", 640, view_count=9_900, comment_count=31, share_count=12),
        _video(90, 22, "from March", 50, view_count=700)])
    return [nadia, chef, TtUser(username="quietcook", private=True, follower_count=10)]


@pytest.fixture
def api() -> Iterator[TikTokStandIn]:
    with TikTokStandIn(client_key=KEY, client_secret=SECRET, users=_world()) as server:
        yield server


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _client(api: TikTokStandIn, http, clock: Clock, secret: str = SECRET) -> TikTokClient:
    return TikTokClient(KEY, secret, http, clock=clock, today=lambda: TODAY)


@pytest.fixture
def http(api: TikTokStandIn):
    with make_client(api.url, HttpPolicy(timeout_s=0.5, max_attempts=3, backoff_s=0.001, max_wait_s=0.01)) as client:
        yield client


@pytest.fixture
def client(api, http, clock) -> TikTokClient:
    return _client(api, http, clock)


def _profiles(client: TikTokClient, *handles: str) -> list[FetchedProfile | Missing]:
    return [result for _, result in client.fetch_profiles([CreatorRef(i, h) for i, h in enumerate(handles)])]


def test_a_profile_and_its_last_30_days_of_videos(client, api):
    [profile] = _profiles(client, "@nadia.moves")
    assert isinstance(profile, FetchedProfile)
    assert (profile.handle, profile.display_name, profile.bio) == ("nadia.moves", "Nadia ✨ Tanz", "choreo · Berlin")
    assert (profile.followers, profile.following, profile.posts_total) == (1_204_330, 211, 8)
    assert [p.likes for p in profile.recent_posts] == [81_000, 20_000, 15_500, 9_000, 12_000, 7_000]
    newest = profile.recent_posts[0]
    assert (newest.views, newest.comments, newest.shares) == (900_000, 1_200, 3_400)
    assert newest.published_at == NOON - timedelta(days=1)
    assert newest.url == f"https://www.tiktok.com/@nadia.moves/video/{newest.external_id}"
    recent = [RecentPost(p.published_at, p.caption) for p in profile.recent_posts]
    assert sponsored_share(recent) == pytest.approx(2 / 6)  # #anzeige and (sponsored); not #adventure
    assert posts_per_week(recent, NOON) == pytest.approx(6 / 29 * 7)
    [token] = api.requests("oauth/token")
    assert token.body == {"client_key": KEY, "client_secret": SECRET, "grant_type": "client_credentials"}
    [info] = api.requests("user/info")
    assert info.body == {"username": "nadia.moves"} and info.headers["authorization"] == "Bearer clt.stand-in-1"
    assert info.query["fields"].split(",")[:3] == ["display_name", "bio_description", "is_verified"]
    [query] = api.requests("video/query")
    assert query.body == {"query": {"and": [{"operation": "EQ", "field_name": "username",
                                             "field_values": ["nadia.moves"]}]},
                          "start_date": "20240517", "end_date": "20240615", "max_count": 12}
    assert query.query["fields"] == ("id,create_time,username,region_code,video_description,like_count,"
                                     "comment_count,share_count,view_count")


def test_the_client_token_is_reused_until_it_nearly_expires(client, api, clock):
    _profiles(client, "nadia.moves", "chef_lucia")
    clock.now += 7200 - 61
    _profiles(client, "chef_lucia")
    assert len(api.requests("oauth/token")) == 1
    clock.now += 2
    _profiles(client, "chef_lucia")
    assert len(api.requests("oauth/token")) == 2


def test_an_invalid_token_is_renewed_once_and_the_sync_goes_on(client, api):
    first = _profiles(client, "nadia.moves")
    api.revoke_tokens()
    second = _profiles(client, "chef_lucia")
    assert isinstance(first[0], FetchedProfile) and isinstance(second[0], FetchedProfile)
    assert second[0].followers == 8_420 and len(second[0].recent_posts) == 1
    assert len(api.requests("oauth/token")) == 2
    assert [r.headers["authorization"] for r in api.requests("research/")][-2:] == ["Bearer clt.stand-in-2"] * 2


def test_a_token_refused_again_stops_tiktok_and_nothing_else_is_called(client, api):
    api.refuse_new_tokens = True
    with pytest.raises(AuthRefused) as refused:
        _profiles(client, "nadia.moves", "chef_lucia", "quietcook")
    assert "access_token_invalid" in refused.value.message and refused.value.reason == "auth"
    assert len(api.requests("user/info")) == 2  # the first try and the one after a fresh token
    assert len(api.requests()) == 4


def test_wrong_credentials_are_refused_without_showing_them(api, http, clock):
    with pytest.raises(AuthRefused) as refused:
        _profiles(_client(api, http, clock, secret="typo-" + SECRET), "nadia.moves")
    assert "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET (invalid_client)" in refused.value.message
    assert SECRET not in refused.value.message and KEY not in refused.value.message
    assert api.requests("research/") == []


def test_private_and_unknown_users_are_missing_and_the_batch_goes_on(client):
    results = _profiles(client, "quietcook", "no_such_user_1", "chef_lucia")
    assert results[0].reason == "private" and "@quietcook" in results[0].detail
    assert results[1].reason == "not_found"
    assert isinstance(results[2], FetchedProfile) and results[2].recent_posts[0].caption == "tortilla de patatas #publi"


def test_rate_limit_with_retry_after_is_retried(client, api):
    api.fail_next(429, body=RATE_LIMITED, retry_after=0, path_contains="video/query")
    [profile] = _profiles(client, "chef_lucia")
    assert isinstance(profile, FetchedProfile) and len(api.requests("video/query")) == 2


def test_a_rate_limit_that_does_not_lift_stops_tiktok(client, api):
    api.fail_next(429, body=RATE_LIMITED, retry_after=0, times=3, path_contains="user/info")
    with pytest.raises(Throttled, match="rate_limit_exceeded"):
        _profiles(client, "chef_lucia", "nadia.moves")
    assert api.requests("video/query") == []


@pytest.mark.parametrize("fault", [dict(status=500, body={"error": {"code": "internal_error", "message": "",
                                                                     "log_id": "x"}}),
                                   dict(status=200, hang_s=1.5)], ids=["500", "timeout"])
def test_server_errors_and_timeouts_are_retried(client, api, fault):
    api.fail_next(**fault, path_contains="user/info")
    [profile] = _profiles(client, "chef_lucia")
    assert isinstance(profile, FetchedProfile) and profile.followers == 8_420


def test_a_creator_that_keeps_failing_is_missing_and_the_others_are_fetched(client, api):
    api.fail_next(500, times=3, path_contains="user/info")
    results = _profiles(client, "nadia.moves", "chef_lucia")
    assert results[0] == Missing("error", "TikTok answered HTTP 500 for @nadia.moves")
    assert isinstance(results[1], FetchedProfile)


def test_campaign_videos_are_refreshed_in_windowed_batches(client, api):
    nadia, chef = api.users["nadia.moves"], api.users["chef_lucia"]
    api.delete_video(nadia.videos[2].id)
    refs = [PostRef(1, nadia.videos[0].id), PostRef(2, chef.videos[1].id), PostRef(3, nadia.videos[4].id),
            PostRef(4, nadia.videos[2].id), PostRef(5, "not-a-video"), PostRef(6, chef.videos[0].id)]
    results = {ref.post_id: result for ref, result in client.fetch_posts(refs)}
    assert (results[1].likes, results[1].views, results[1].shares) == (81_000, 900_000, 3_400)
    assert results[2].caption == "from March" and results[2].views == 700
    assert results[3].caption == "(sponsored) studio tour"
    assert results[4].reason == "deleted"
    assert results[5].reason == "not_found" and "tiktok.com/@name/video/" in results[5].detail
    assert results[6].likes == 640
    queries = [r.body for r in api.requests("video/query")]
    assert [(q["start_date"], q["end_date"], len(q["query"]["and"][0]["field_values"])) for q in queries] == [
        ("20240316", "20240318", 1), ("20240523", "20240615", 4)]
    assert queries[1]["query"]["and"][0]["operation"] == "IN"


def test_a_video_id_carries_its_creation_day():
    assert video_date(video_id_at(datetime(2023, 11, 2, 23, 59, tzinfo=UTC), 99)) == date(2023, 11, 2)
    assert video_date("12345") is None and video_date("7301234567890123456789") is None


def test_the_import_only_note_names_what_is_missing():
    assert IMPORT_ONLY_NOTE.startswith("TikTok numbers come from imports")
    assert "TIKTOK_CLIENT_KEY" in IMPORT_ONLY_NOTE


def test_key_secret_and_tokens_appear_in_no_message_and_no_log_line(api, http, clock, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the app quiets httpx; this test wants every line
    client = _client(api, http, clock)
    api.fail_next(500, times=3, path_contains="user/info")
    texts = [str(r) for r in _profiles(client, "nadia.moves", "quietcook", "chef_lucia")]
    api.revoke_tokens()
    texts += [str(r) for _, r in client.fetch_posts([PostRef(1, api.users["chef_lucia"].videos[0].id)])]
    api.refuse_new_tokens = True
    with pytest.raises(AuthRefused) as refused:
        _profiles(client, "chef_lucia")
    texts.append(str(refused.value))
    with pytest.raises(AuthRefused) as wrong:
        _profiles(_client(api, http, clock, secret="bad-" + SECRET), "chef_lucia")
    texts.append(str(wrong.value))
    secrets = [KEY, SECRET, "clt.stand-in-"]
    logged = [r.getMessage() for r in caplog.records]
    assert any("HTTP Request" in line for line in logged)
    assert not [t for t in texts + logged if any(s in t for s in secrets)]
