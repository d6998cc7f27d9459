"""InstagramClient against the Graph API stand-in: shapes, hidden likes, personal accounts,
code 190, throttling and usage headers, retried failures, campaign posts by shortcode, and the
token kept out of every message and log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from influencer_bot.bot.local.platforms.instagram import IgAccount, IgMedia, InstagramStandIn
from influencer_bot.influence.activity import RecentPost, sponsored_share
from influencer_bot.storage.sync.fetched import AuthRefused, CreatorRef, FetchedProfile, Missing, PostRef, Throttled
from influencer_bot.storage.sync.graph_pacing import GraphPacer, read_usage
from influencer_bot.storage.sync.http import HttpPolicy, make_client
from influencer_bot.storage.sync.instagram import InstagramClient

TOKEN = "IGQVJ-secret-0123456789abcdef"
T0 = datetime(2024, 5, 20, 18, 30, tzinfo=UTC)


def _lena() -> IgAccount:
    captions = [
        "Neues Rezept: Zimtschnecken 🍥 [Werbung] mit @muehle_nord",
        "Sonntagsbrot. No ad, just bread.",
        "Matcha-Törtchen #ad #matcha",
        None,  # a post with no caption at all
        "Croissant lamination, step by step 🥐 #adventure",  # not an ad: #adventure
    ]
    media = [IgMedia(id=f"1789{i}", shortcode=f"C7lena{i}xYz", timestamp=T0 - timedelta(days=3 * i),
                     caption=c, like_count=1000 + 100 * i, comments_count=40 - i)
             for i, c in enumerate(captions)]
    media[0].media_product_type, media[0].media_type, media[0].view_count = "REELS", "VIDEO", 52_310
    return IgAccount(username="lena.bakes", id="17841400000000001", name="Lena Bäckt 🍰",
                     biography="Brot, Kuchen & Geduld · DE/EN", followers_count=48_210, follows_count=312,
                     media=media)


def _world() -> list[IgAccount]:
    hidden = IgAccount(username="quiet_gallery", id="17841400000000002", name="Quiet Gallery", followers_count=9_050,
                       likes_hidden=True, media=[IgMedia(id="1790", shortcode="Cquiet0", timestamp=T0,
                                                         caption="Salle 3 · #広告", like_count=777, comments_count=5)])
    friend = IgAccount(username="my.cousin", id="17841400000000003", business=False)
    prolific = IgAccount(username="daily.frames", id="17841400000000004", followers_count=120_000, media=[
        IgMedia(id=f"18{i:03d}", shortcode=f"DF{i:03d}", timestamp=T0 - timedelta(hours=6 * i), like_count=i)
        for i in range(200)])
    small = IgAccount(username="tiny.studio", id="17841400000000005", followers_count=800, media=[
        IgMedia(id=f"19{i}", shortcode=f"TS{i}", timestamp=T0 - timedelta(days=i), like_count=10 + i)
        for i in range(4)])
    return [_lena(), hidden, friend, prolific, small]


@pytest.fixture
def api() -> Iterator[InstagramStandIn]:
    with InstagramStandIn(access_token=TOKEN, accounts=_world()) as server:
        yield server


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def client(api: InstagramStandIn, pauses: list[float]) -> Iterator[InstagramClient]:
    policy = HttpPolicy(timeout_s=0.5, max_attempts=3, backoff_s=0.001, max_wait_s=0.01)
    with make_client(api.url, policy) as http:
        yield InstagramClient(TOKEN, api.ig_user_id, http, pacer=GraphPacer(sleep=pauses.append))


def _one(client: InstagramClient, handle: str) -> FetchedProfile | Missing:
    [(_, result)] = list(client.fetch_profiles([CreatorRef(1, handle)]))
    return result


def test_a_business_account_reads_as_its_profile_and_recent_posts(client, api):
    profile = _one(client, "@Lena.Bakes")
    assert isinstance(profile, FetchedProfile)
    assert (profile.handle, profile.platform_id, profile.display_name) == ("lena.bakes", "17841400000000001",
                                                                           "Lena Bäckt 🍰")
    assert (profile.followers, profile.following, profile.posts_total) == (48_210, 312, 5)
    assert profile.bio == "Brot, Kuchen & Geduld · DE/EN"
    newest = profile.recent_posts[0]
    assert newest.external_id == "C7lena0xYz" and newest.url == "https://www.instagram.com/reel/C7lena0xYz/"
    assert (newest.views, newest.likes, newest.comments, newest.published_at) == (52_310, 1000, 40, T0)
    assert [p.likes for p in profile.recent_posts] == [1000, 1100, 1200, 1300, 1400]
    assert profile.recent_posts[3].caption is None and newest.paid_partnership is None
    # captions carry the disclosures: [Werbung] and #ad, not "No ad" nor #adventure: 2 of 5
    recent = [RecentPost(p.published_at, p.caption, p.paid_partnership) for p in profile.recent_posts]
    assert sponsored_share(recent) == pytest.approx(0.4)
    [call] = api.requests()
    assert call.path == f"/{api.ig_user_id}" and call.query["access_token"] == TOKEN
    assert call.query["fields"].startswith("business_discovery.username(Lena.Bakes){id,username,")
    assert "media.limit(12){id,caption,comments_count,like_count," in call.query["fields"]


def test_hidden_like_counts_are_unknown_not_zero(client):
    profile = _one(client, "quiet_gallery")
    assert isinstance(profile, FetchedProfile)
    [post] = profile.recent_posts
    assert post.likes is None and post.comments == 5 and post.caption == "Salle 3 · #広告"


def test_personal_unknown_and_malformed_accounts_are_missing_and_the_batch_goes_on(client, api):
    refs = [CreatorRef(1, "my.cousin"), CreatorRef(2, "nobody.here_42"), CreatorRef(3, "Lena Bakes"),
            CreatorRef(4, "lena.bakes")]
    results = dict((ref.creator_id, result) for ref, result in client.fetch_profiles(refs))
    assert results[1] == Missing("not_discoverable", "@my.cousin is not an Instagram business or creator account "
                                                     "(or does not exist): only those can be looked up")
    assert results[2].reason == "not_discoverable"
    assert results[3].reason == "not_found" and "e.g. @blue.bottle" in results[3].detail
    assert isinstance(results[4], FetchedProfile) and results[4].followers == 48_210
    assert len(api.requests()) == 3  # the malformed handle never reached the API


def test_an_expired_token_stops_instagram_with_one_line_and_no_further_calls(client, api):
    api.token_expired = True
    results = client.fetch_profiles([CreatorRef(i, h) for i, h in enumerate(["lena.bakes", "quiet_gallery", "x"])])
    with pytest.raises(AuthRefused) as refused:
        list(results)
    assert "code 190" in refused.value.message and "INSTAGRAM_ACCESS_TOKEN" in refused.value.message
    assert "\n" not in refused.value.message and TOKEN not in refused.value.message
    assert len(api.requests()) == 1


def test_throttling_code_4_and_a_busy_usage_header_slow_down_then_succeed(client, api, pauses):
    api.throttle_next(4, regain_minutes=2)
    api.app_usage = {"call_count": 90, "total_cputime": 20, "total_time": 31}
    profile = _one(client, "tiny.studio")
    assert isinstance(profile, FetchedProfile) and profile.followers == 800
    # 2 minutes as Meta estimated; then 90% used: (90-75)/25 of the 60 s pause at 100%
    assert pauses == [120.0, pytest.approx(36.0)]
    assert len(api.requests()) == 2


def test_throttling_without_an_estimate_backs_off_and_quiet_usage_does_not_pause(client, api, pauses):
    api.throttle_next(17, times=2)
    api.app_usage = {"call_count": 40, "total_cputime": 12, "total_time": 50}
    assert isinstance(_one(client, "tiny.studio"), FetchedProfile)
    assert pauses == [15.0, 30.0]


def test_throttling_beyond_the_bound_stops_instagram(client, api, pauses):
    api.throttle_next(80002, times=10)
    with pytest.raises(Throttled) as stopped:
        _one(client, "tiny.studio")
    assert "code 80002" in stopped.value.message and stopped.value.reason == "throttled"
    assert len(pauses) == 3 and len(api.requests()) == 4


def test_a_lockout_longer_than_the_bound_stops_at_once(client, api, pauses):
    api.throttle_next(613, regain_minutes=45)
    with pytest.raises(Throttled, match="about 45 minutes"):
        _one(client, "tiny.studio")
    assert pauses == []


def test_business_use_case_header_is_read_per_entry():
    headers = {"x-business-use-case-usage": '{"123": [{"type": "instagram", "call_count": 12, "total_cputime": 96,'
                                            ' "total_time": 3, "estimated_time_to_regain_access": 0}]}',
               "x-app-usage": "not json"}
    assert read_usage(headers).percent == 96 and read_usage(headers).regain_s == 0
    assert read_usage({}).percent == 0


@pytest.mark.parametrize("fault", [dict(status=429, retry_after=0), dict(status=500), dict(status=503, times=2),
                                   dict(status=200, hang_s=1.5)], ids=["429", "500", "503x2", "timeout"])
def test_transient_failures_are_retried(client, api, fault):
    api.fail_next(**fault)
    profile = _one(client, "tiny.studio")
    assert isinstance(profile, FetchedProfile) and [p.likes for p in profile.recent_posts] == [10, 11, 12, 13]
    assert len(api.requests(include_failed=False)) == 1


def test_a_creator_that_keeps_failing_is_missing_and_the_others_are_fetched(client, api):
    api.fail_next(500, times=3)
    results = [r for _, r in client.fetch_profiles([CreatorRef(1, "quiet_gallery"), CreatorRef(2, "tiny.studio")])]
    assert results[0] == Missing("error", "Instagram answered HTTP 500 for @quiet_gallery")
    assert isinstance(results[1], FetchedProfile)


def test_a_creator_that_keeps_timing_out_is_missing(client, api):
    api.fail_next(200, hang_s=1.5, times=3)
    [(_, result)] = list(client.fetch_profiles([CreatorRef(1, "tiny.studio")]))
    assert result == Missing("error", "Instagram did not answer for @tiny.studio (timed out), even after retries")


def test_campaign_posts_are_found_by_shortcode_among_their_owners_media(client, api):
    api.delete_media("TS2")
    refs = [PostRef(1, "DF003", "daily.frames"), PostRef(2, "DF170", "@Daily.Frames"), PostRef(3, "TS1", "tiny.studio"),
            PostRef(4, "TS2", "tiny.studio"), PostRef(5, "Cxyz", "my.cousin"), PostRef(6, "Cabc", None)]
    results = {ref.post_id: result for ref, result in client.fetch_posts(refs)}
    assert (results[1].external_id, results[1].likes, results[1].url) == ("DF003", 3,
                                                                         "https://www.instagram.com/p/DF003/")
    assert results[2].reason == "not_recent" and "150 most recent posts" in results[2].detail
    assert results[3].likes == 11
    assert results[4].reason == "deleted" and "3 posts" in results[4].detail
    assert results[5].reason == "not_discoverable"
    assert results[6].reason == "not_found"
    fields = [r.query["fields"] for r in api.requests()]
    assert len(fields) == 5  # three pages of daily.frames, one of tiny.studio, one for my.cousin
    assert "media.after(cur50).limit(50){" in fields[1] and "followers_count" not in fields[0]


def test_the_token_appears_in_no_message_and_no_log_line(api, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the CLI quiets httpx; a CLI test earlier must not hide its lines
    api.fail_next(500, times=3)
    api.fail_next(200, hang_s=1.5, times=3)
    seen: list[str] = []
    policy = HttpPolicy(timeout_s=0.5, max_attempts=3, backoff_s=0.001, max_wait_s=0.01)
    with make_client(api.url, policy) as http:
        client = InstagramClient(TOKEN, api.ig_user_id, http, pacer=GraphPacer(sleep=lambda s: None))
        for _, result in client.fetch_profiles([CreatorRef(i, h) for i, h in
                                                enumerate(["lena.bakes", "tiny.studio", "my.cousin"])]):
            seen.append(str(result))
        api.token_expired = True
        with pytest.raises(AuthRefused) as refused:
            list(client.fetch_posts([PostRef(1, "TS1", "tiny.studio")]))
        seen.append(str(refused.value))
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log its request lines
    assert all(TOKEN not in text for text in seen + [r.getMessage() for r in caplog.records])
