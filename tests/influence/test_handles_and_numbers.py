"""Platform username rules, profile URLs, decimal conventions and engagement from per-post averages."""

from __future__ import annotations

import pytest

from influencer_bot.influence.engagement import Metrics, Method, engagement, rate_disagreement
from influencer_bot.influence.handles import BadHandle, read_handle, username_like
from influencer_bot.influence.numbers import BadNumber, decimal_evidence, parse_count, parse_number
from influencer_bot.influence.platforms import Platform

IG, TT, YT = Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE


@pytest.mark.parametrize(("raw", "platform", "handle", "from_url"), [
    ("@Lumi.Bakes", IG, "lumi.bakes", None),
    ("https://www.instagram.com/lumi.bakes/?hl=en", TT, "lumi.bakes", IG),  # the URL names the platform
    ("instagram.com/lumi_bakes", IG, "lumi_bakes", IG),
    ("https://www.tiktok.com/@Kiki.Dances/video/7301", IG, "kiki.dances", TT),
    ("youtube.com/@Mia-Sings", YT, "mia-sings", YT),
    ("https://m.youtube.com/c/KochenMitOma", YT, "kochenmitoma", YT),
    ("a" * 30, IG, "a" * 30, None),
    ("x", TT, "x", None),
    ("ñandú_viajes", YT, "ñandú_viajes", None),  # YouTube handles may use other scripts
    # what spreadsheets add: zero-width spaces, a BOM, a direction mark, no-break spaces, full-width forms
    ("\u200bzero.width\u200b", IG, "zero.width", None),
    ("\ufeffbom.handle", TT, "bom.handle", None),
    ("\u200e@lumi.bakes ", IG, "lumi.bakes", None),
    ("@NiceChannel\u00a0", YT, "nicechannel", None),
    ("＠ｋｉｋｉ．ｄａｎｃｅｓ", TT, "kiki.dances", None),
    ("https://www.tiktok.com/@kiki\u200b.dances", IG, "kiki.dances", TT),
])
def test_usernames_and_profile_urls(raw, platform, handle, from_url):
    found = read_handle(raw, platform)
    assert (found.value, found.platform, found.channel_id) == (handle, from_url, None)


def test_a_channel_id_keeps_its_case():
    found = read_handle("https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL", IG)
    assert (found.value, found.platform, found.channel_id) == (
        "uca1b2c3d4e5f6g7h8i9j0kl", YT, "UCa1B2c3D4e5F6g7H8i9J0kL")


@pytest.mark.parametrize(("raw", "platform", "reason"), [
    ("Lumi Starfield", IG, "has a space, so it is a display name, not an Instagram username"),
    ("a" * 31, IG, "has 31 characters; an Instagram username has at most 30"),
    ("a" * 25, TT, "has 25 characters; a TikTok username has at most 24"),
    ("lumi-bakes", IG, "has “-”, which an Instagram username cannot contain"),
    ("café.lumi", TT, "has “é”, which a TikTok username cannot contain"),
    ("ab", YT, "is too short for a YouTube handle"),
    ("https://www.instagram.com/p/C0ffee/", IG, "is a link to a post"),
    ("https://youtu.be/dQw4w9WgXcQ", YT, "is a link to a post"),
    ("@", IG, "no handle"),
])
def test_what_cannot_be_a_username(raw, platform, reason):
    with pytest.raises(BadHandle) as info:
        read_handle(raw, platform)
    assert reason in info.value.reason


def test_username_like_on_any_platform():
    assert username_like("mia-sings", None) and not username_like("mia-sings", IG)
    assert not username_like("Maya Bakes", None)


@pytest.mark.parametrize(("cell", "mark"), [
    ("3,5k", ","), ("1.234.567", ","), ("1.234,5", ","), ("4,25", ","), ("0,5", ","),
    ("12.4k", "."), ("1,234,567", "."), ("1,234.5", "."), ("0.5", "."), ("1234.567", "."),
    ("1,234", None), ("12.345", None), ("1200", None), ("N/A", None), ("lots", None),
])
def test_decimal_evidence(cell, mark):
    assert decimal_evidence(cell) == mark


@pytest.mark.parametrize(("cell", "decimal", "value"), [
    ("12.345", ",", 12_345), ("1.234.567", None, 1_234_567), ("3,5k", None, 3_500), ("2,1 Mio", ",", 2_100_000),
    ("1,234", None, 1_234), ("1'234'567", None, 1_234_567), ("12.3k", ".", 12_300), ("1.2e6", None, 1_200_000),
])
def test_counts_by_convention(cell, decimal, value):
    assert parse_count(cell, decimal) == value


@pytest.mark.parametrize(("cell", "decimal", "message"), [
    ("12.3", None, "is not a whole number"),
    ("12,3", ",", "is not a whole number"),
    ("1.234", None, "could be 1,234 or 1.234"),
    ("3,5k", ".", "this file writes decimals with a point"),
    ("1.234.567", ".", "this file writes decimals with a point"),
    ("12,34,567", None, "is not a number"),
])
def test_counts_that_are_refused_never_truncated(cell, decimal, message):
    with pytest.raises(BadNumber, match=message):
        parse_count(cell, decimal)


def test_amounts_with_currency_in_either_convention():
    assert parse_number("€1.250,50") == 1_250.5 and parse_number("$1,250.50") == 1_250.5


@pytest.mark.parametrize(("platform", "metrics", "rate", "method", "basis"), [
    (IG, Metrics(followers=12_400_000, avg_engagements=310_000), 0.025, Method.BY_FOLLOWERS,
     ("avg_engagements", "followers")),
    (IG, Metrics(followers=10_000, avg_likes=300, avg_comments=20, avg_engagements=900), 0.032, Method.BY_FOLLOWERS,
     ("avg_likes", "avg_comments", "followers")),  # likes and comments beat a whole figure
    (YT, Metrics(followers=1_000_000, avg_likes=9_000, avg_comments=1_000), 0.01, Method.BY_FOLLOWERS,
     ("avg_likes", "avg_comments", "followers")),  # no views: by subscribers
    (YT, Metrics(followers=1_000_000, avg_likes=9_000, avg_comments=1_000, avg_views=200_000), 0.05,
     Method.BY_VIEWS, ("avg_likes", "avg_comments", "avg_views")),
    (TT, Metrics(followers=5_000, avg_likes=100, reported_rate_pct=7.5, rate_window_days=60), 0.075,
     Method.REPORTED, ("reported_rate_pct",)),  # a recent window beats lifetime averages
])
def test_engagement_from_per_post_averages(platform, metrics, rate, method, basis):
    eng = engagement(platform, metrics)
    assert (eng.rate, eng.method, eng.basis) == (pytest.approx(rate), method, basis)


def test_authentic_share_and_rate_disagreement():
    m = Metrics(followers=100_000, avg_engagements=4_000, avg_authentic_engagements=2_600, reported_rate_pct=1.5)
    eng = engagement(IG, m)
    assert eng.authentic_share == pytest.approx(0.65) and eng.rate == pytest.approx(0.04)
    assert rate_disagreement(IG, m) == (1.5, pytest.approx(4.0))
    assert rate_disagreement(IG, Metrics(followers=100_000, avg_engagements=4_000, reported_rate_pct=3.0)) is None
