"""Post links as people paste them: platform, post id, whose, and one canonical URL per post."""

from __future__ import annotations

import pytest

from influencer_bot.influence.errors import UserError
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.post_urls import PostUrlError, parse_post_url

YT, IG, TT = Platform.YOUTUBE, Platform.INSTAGRAM, Platform.TIKTOK
VID = "dQw4w9WgXcQ"
CODE = "C0abc123xyz"
TTID = "7301234567890123456"


@pytest.mark.parametrize("url, platform, post_id, kind, handle", [
    # YouTube: watch, short links, shorts, live, mobile and music hosts, extra parameters anywhere
    (f"https://www.youtube.com/watch?v={VID}", YT, VID, "video", None),
    (f"https://youtube.com/watch?feature=shared&v={VID}&t=42s", YT, VID, "video", None),
    (f"https://m.youtube.com/watch?v={VID}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=3", YT, VID, "video", None),
    (f"http://www.youtube.com/watch?app=desktop&v={VID}#comments", YT, VID, "video", None),
    (f"https://youtu.be/{VID}", YT, VID, "video", None),
    (f"https://youtu.be/{VID}?si=Qx7_AbCdEfGh12&t=10", YT, VID, "video", None),
    (f"youtu.be/{VID}", YT, VID, "video", None),  # pasted without the scheme
    (f"https://www.youtube.com/shorts/{VID}?feature=share", YT, VID, "video", None),
    (f"https://youtube.com/shorts/{VID}", YT, VID, "video", None),
    (f"https://www.youtube.com/live/{VID}?si=abc", YT, VID, "video", None),
    (f"https://www.youtube.com/embed/{VID}?start=30", YT, VID, "video", None),
    (f"https://music.youtube.com/watch?v={VID}&feature=share", YT, VID, "video", None),
    (f"https://WWW.YouTube.com/watch?v={VID}", YT, VID, "video", None),  # hosts are case-blind, ids are not
    (f"https://www.youtube.com/watch?v=a-b_C1d2E3f", YT, "a-b_C1d2E3f", "video", None),
    # Instagram: posts, reels, IGTV, with or without www, share parameters, the newer /<user>/p/ form, stories
    (f"https://www.instagram.com/p/{CODE}/", IG, CODE, "feed", None),
    (f"https://instagram.com/p/{CODE}", IG, CODE, "feed", None),
    (f"https://www.instagram.com/p/{CODE}/?igsh=MWQ1ZGUxMzBkMA==", IG, CODE, "feed", None),
    (f"https://www.instagram.com/p/{CODE}/?utm_source=ig_web_copy_link&igshid=MzRlODBiNWFlZA==", IG, CODE, "feed",
     None),
    (f"https://www.instagram.com/reel/{CODE}/?igsh=NTc4MTIwNjQ2YQ%3D%3D", IG, CODE, "reel", None),
    (f"https://www.instagram.com/reels/{CODE}/", IG, CODE, "reel", None),
    (f"https://www.instagram.com/tv/{CODE}/", IG, CODE, "video", None),
    (f"https://m.instagram.com/p/{CODE}/embed/", IG, CODE, "feed", None),
    (f"https://www.instagram.com/p/{CODE}/c/17890123456789012/", IG, CODE, "feed", None),  # a comment's link
    (f"https://instagr.am/p/{CODE}/", IG, CODE, "feed", None),
    (f"https://www.instagram.com/Vegan.Bakes/p/{CODE}/", IG, CODE, "feed", "vegan.bakes"),
    (f"https://www.instagram.com/veganbakes/reel/{CODE}/?hl=de", IG, CODE, "reel", "veganbakes"),
    ("https://www.instagram.com/stories/sift_bakes/3216549870123456789/", IG, "3216549870123456789", "story",
     "sift_bakes"),
    (f"<https://www.instagram.com/reel/{CODE}/|Crumbs' reel>", IG, CODE, "reel", None),  # Slack's link markup
    # TikTok: videos and photo posts under @user, mobile and embed forms
    (f"https://www.tiktok.com/@crumbs/video/{TTID}", TT, TTID, "video", "crumbs"),
    (f"https://www.tiktok.com/@Crumbs.Bakes_/video/{TTID}?is_from_webapp=1&sender_device=pc&web_id=7", TT, TTID,
     "video", "crumbs.bakes_"),
    (f"https://tiktok.com/@crumbs/video/{TTID}?_r=1&_t=8hXyZ", TT, TTID, "video", "crumbs"),
    (f"https://m.tiktok.com/@crumbs/video/{TTID}", TT, TTID, "video", "crumbs"),
    (f"https://www.tiktok.com/@crumbs/photo/{TTID}", TT, TTID, "feed", "crumbs"),
    (f"https://m.tiktok.com/v/{TTID}.html", TT, TTID, "video", None),
    (f"https://www.tiktok.com/embed/v2/{TTID}", TT, TTID, "video", None),
    (f"  https://www.tiktok.com/@crumbs/video/{TTID}/  ", TT, TTID, "video", "crumbs"),
])
def test_real_shaped_links_give_platform_post_and_creator(url, platform, post_id, kind, handle):
    link = parse_post_url(url)
    assert (link.platform, link.post_id, link.kind, link.handle) == (platform, post_id, kind, handle)
    again = parse_post_url(link.url)  # canonical: reads back as itself, without tracking parameters
    assert (again.url, again.post_id) == (link.url, post_id) and "&" not in link.url and "#" not in link.url


@pytest.mark.parametrize("first, second", [
    (f"https://www.youtube.com/watch?v={VID}", f"https://youtu.be/{VID}?si=AbCd"),
    (f"https://www.youtube.com/shorts/{VID}", f"https://m.youtube.com/watch?v={VID}&t=3s"),
    (f"https://www.instagram.com/p/{CODE}/", f"https://instagram.com/p/{CODE}/?igsh=MWQ1ZGUx"),
    (f"https://www.instagram.com/reel/{CODE}/", f"https://www.instagram.com/veganbakes/p/{CODE}/"),
    (f"https://www.tiktok.com/@crumbs/video/{TTID}", f"https://www.tiktok.com/@Crumbs/video/{TTID}?lang=en"),
])
def test_one_post_whatever_the_link_form_has_one_canonical_url(first, second):
    a, b = parse_post_url(first), parse_post_url(second)
    assert (a.platform, a.post_id, a.url) == (b.platform, b.post_id, b.url)


@pytest.mark.parametrize("url, said", [
    # other sites, and hosts that only look like the platforms
    ("https://x.com/veganbakes/status/1790000000000000000", "not a YouTube, Instagram or TikTok"),
    ("https://www.facebook.com/watch/?v=123456789012345", "not a YouTube, Instagram or TikTok"),
    (f"https://instagram.com.evil.io/p/{CODE}/", "not a YouTube, Instagram or TikTok"),
    (f"https://www.instagram.com.evil.io/reel/{CODE}/", "not a YouTube, Instagram or TikTok"),
    (f"https://notyoutube.com/watch?v={VID}", "not a YouTube, Instagram or TikTok"),
    (f"https://youtube.co/watch?v={VID}", "not a YouTube, Instagram or TikTok"),
    (f"https://evil-tiktok.com/@crumbs/video/{TTID}", "not a YouTube, Instagram or TikTok"),
    (f"https://instagram.com@evil.io/p/{CODE}/", "not a YouTube, Instagram or TikTok"),  # userinfo trick
    (f"https://youtube.com.phish.example/watch?v={VID}", "not a YouTube, Instagram or TikTok"),
    # not web addresses at all
    ("veganbakes", "not a web address"),
    ("ftp://x.y/z", "not a web address"),
    ("javascript:alert(1)", "not a web address"),
    ("https://", "not a web address"),
    ("https://localhost/p/abc", "not a web address"),
    (f"https://www.youtube.com:99999/watch?v={VID}", "not a web address"),
    ("https://www.instagram.com/p/" + "a" * 600, "too long"),
    (f"https://www.youtube.com/watch?v={VID} and more", "contains spaces"),
    # the platforms, but not one post
    ("https://www.youtube.com/@veganbakes", "not a video"),
    ("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "not a video"),
    ("https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "not a video"),
    ("https://www.youtube.com/watch?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "no complete YouTube video id"),
    ("https://www.youtube.com/watch?v=dQw4w9", "no complete YouTube video id"),  # cut short when copied
    ("https://youtu.be/", "no complete YouTube video id"),
    ("https://www.instagram.com/veganbakes/", "@veganbakes's profile?"),
    ("https://www.instagram.com/reels/", "not a post"),
    ("https://www.instagram.com/explore/tags/veganbaking/", "not a post"),
    ("https://www.instagram.com/p/", "not a post"),
    ("https://www.instagram.com/p/ab/", "no complete Instagram post code"),
    ("https://www.instagram.com/stories/highlights/17912345678901234/", "not a complete Instagram story"),
    ("https://www.tiktok.com/@crumbs", "not a video"),
    ("https://www.tiktok.com/@crumbs/video/", "no complete TikTok video id"),
    ("https://www.tiktok.com/@crumbs/video/12ab", "no complete TikTok video id"),
    ("https://www.tiktok.com/tag/veganbaking", "not a video"),
    # short links hide the video id: refused with how to get the full one
    ("https://vm.tiktok.com/ZMh1aBcDe/", "TikTok short link"),
    ("https://vt.tiktok.com/ZSFxyz12/", "TikTok short link"),
    ("https://www.tiktok.com/t/ZTRabc123/", "TikTok short link"),
])
def test_anything_else_is_refused_with_the_reason_and_a_link_that_works(url, said):
    with pytest.raises(PostUrlError) as caught:
        parse_post_url(url)
    assert said in caught.value.message
    assert isinstance(caught.value, UserError) and parse_post_url(caught.value.example).platform is Platform.TIKTOK


def test_a_refused_link_is_quoted_back_without_markup():
    with pytest.raises(PostUrlError) as caught:
        parse_post_url("https://evil.io/<!channel>&x")
    assert "<!channel>" not in caught.value.message and "&lt;!channel&gt;" in caught.value.message
