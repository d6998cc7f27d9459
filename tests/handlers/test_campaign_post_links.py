"""`/influencer campaign post <campaign> [handle] <url>`: the link says which post, on which platform,
and often whose; a repeated link is one post."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.campaigns import store
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import CampaignMember, Creator, Post

IG, TT, YT = Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE
REEL = "https://www.instagram.com/reel/C0abc123xyz/?igsh=MWQ1ZGUxMzBkMA=="
VIDEO = "https://youtu.be/dQw4w9WgXcQ?si=Qx7_AbCdEfGh12"
TIKTOK = "https://www.tiktok.com/@crumbs/video/7301234567890123456?is_from_webapp=1&sender_device=pc"


@pytest.fixture
def campaign(session_factory):
    """“Vegan baking launch”: crumbs on Instagram and TikTok, sift and knead on Instagram, tubey on YouTube."""
    add(session_factory, TEAM, baker("crumbs", 20_000, 800), baker("sift", 8_000, 400), baker("knead", 3_000, 150),
        baker("crumbs", 9_000, 500, platform=TT, views=12_000), baker("tubey", 40_000, 900, platform=YT, views=30_000))
    with transaction(session_factory) as s:
        c = store.create_campaign(s, TEAM, name="Vegan baking launch", budget_cents=500_000, owner_id="U1",
                                  channel_id="C1")
        s.flush()
        for creator in s.scalars(select(Creator).where(Creator.team_id == TEAM)):
            store.add_member(s, TEAM, c.id, creator.id, 50_000, "U1")
    return c


def _said(exchange) -> str:
    return " ".join([(exchange.ack or {}).get("text", "")] + [c["params"].get("text", "") for c in exchange.calls
                                                              if c["method"] == "response_url"])


def _posts(session_factory) -> list[tuple[str, str, str | None, str, str]]:
    """(creator handle, platform, post id, kind, url) of every post, oldest first."""
    with session_factory() as s:
        rows = s.execute(select(Creator.handle, Post.platform, Post.external_id, Post.kind, Post.url)
                         .join(CampaignMember, CampaignMember.id == Post.member_id)
                         .join(Creator, Creator.id == CampaignMember.creator_id).order_by(Post.id))
        return [tuple(r) for r in rows]


def test_the_link_alone_finds_the_only_member_on_its_platform(driver, session_factory, campaign):
    said = _said(driver.command(f'campaign post "Vegan baking launch" {VIDEO}'))
    assert "YouTube video by @tubey recorded for *Vegan baking launch*" in said
    assert _posts(session_factory) == [
        ("tubey", "youtube", "dQw4w9WgXcQ", "video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")]


def test_a_tiktok_link_names_its_creator(driver, session_factory, campaign):
    said = _said(driver.command(f"campaign post 'Vegan baking launch' {TIKTOK}"))
    assert "TikTok video by @crumbs recorded" in said
    assert _posts(session_factory) == [("crumbs", "tiktok", "7301234567890123456", "video",
                                        "https://www.tiktok.com/@crumbs/video/7301234567890123456")]


def test_several_members_on_the_platform_means_naming_the_handle(driver, session_factory, campaign):
    said = _said(driver.command(f'campaign post "Vegan baking launch" {REEL}'))
    assert "has 3 Instagram members (@crumbs, @knead, @sift)" in said and "giving their handle" in said
    assert f'/influencer campaign post "Vegan baking launch" <handle> https://www.instagram.com/p/C0abc123xyz/' in said
    assert _posts(session_factory) == []
    said = _said(driver.command(f'campaign post "Vegan baking launch" @Sift {REEL}'))
    assert "Instagram reel by @sift recorded" in said
    assert _posts(session_factory) == [("sift", "instagram", "C0abc123xyz", "reel",
                                        "https://www.instagram.com/p/C0abc123xyz/")]


def test_the_handle_may_come_after_the_link(driver, session_factory, campaign):
    assert "by @knead recorded" in _said(driver.command(f'campaign post "Vegan baking launch" {REEL} knead'))


def test_the_handle_picks_the_member_on_the_links_platform(driver, session_factory, campaign):
    # crumbs is a member on Instagram and on TikTok: the link says which
    assert "TikTok video by @crumbs" in _said(driver.command(f'campaign post "Vegan baking launch" crumbs {TIKTOK}'))
    assert "Instagram reel by @crumbs" in _said(driver.command(f'campaign post "Vegan baking launch" crumbs {REEL}'))
    assert [(h, p) for h, p, *_ in _posts(session_factory)] == [("crumbs", "tiktok"), ("crumbs", "instagram")]


@pytest.mark.parametrize("words, said", [
    (f"sift {TIKTOK}", "That link is a TikTok post, but @sift is an Instagram creator in “Vegan baking launch” "
                       "(TikTok members: @crumbs)"),
    (f"tubey {REEL}", "That link is an Instagram post, but @tubey is a YouTube creator"),
    ("sift https://www.tiktok.com/@sift/video/7301234567890123999", "@sift is an Instagram creator"),
    ("https://www.tiktok.com/@sift/video/7301234567890123999", "@sift is an Instagram creator"),
])
def test_a_link_of_another_platform_than_the_members_is_refused(driver, session_factory, campaign, words, said):
    assert said in _said(driver.command(f'campaign post "Vegan baking launch" {words}'))
    assert _posts(session_factory) == []


def test_a_tiktok_link_of_someone_not_in_the_campaign_says_so(driver, session_factory, campaign):
    said = _said(driver.command('campaign post "Vegan baking launch" '
                                'https://www.tiktok.com/@stranger/video/7301234567890123999'))
    assert "@stranger's TikTok post, but @stranger is not a TikTok member" in said and "TikTok members: @crumbs" in said
    assert _posts(session_factory) == []


def test_no_member_on_the_platform_lists_the_members(driver, session_factory, campaign):
    with transaction(session_factory) as s:
        other = store.create_campaign(s, TEAM, name="Keyboards", budget_cents=100_000, owner_id="U1", channel_id="C1")
        s.flush()
        tubey = s.scalar(select(Creator.id).where(Creator.handle == "tubey"))
        store.add_member(s, TEAM, other.id, tubey, 10_000, "U1")
    said = _said(driver.command(f"campaign post Keyboards {REEL}"))
    assert "“Keyboards” has no Instagram member for this Instagram post (members: @tubey (YouTube))" in said
    assert 'Try: `/influencer find vegan baking 2000 campaign:"Keyboards"`' in said  # how members join


def test_a_repeated_link_is_one_post_whatever_its_parameters(driver, session_factory, campaign):
    driver.command(f'campaign post "Vegan baking launch" {VIDEO}')
    for again in ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://m.youtube.com/shorts/dQw4w9WgXcQ",
                  "youtu.be/dQw4w9WgXcQ", VIDEO):
        assert "was already recorded" in _said(driver.command(f'campaign post "Vegan baking launch" {again}'))
    driver.command(f'campaign post "Vegan baking launch" sift {REEL}')
    said = _said(driver.command('campaign post "Vegan baking launch" knead '
                                'https://instagram.com/reels/C0abc123xyz/?igsh=OTHER'))
    assert "already recorded as another creator's" in said
    assert [(h, i) for h, _, i, *_ in _posts(session_factory)] == [("tubey", "dQw4w9WgXcQ"), ("sift", "C0abc123xyz")]


def test_the_old_form_with_a_handle_still_works(driver, session_factory, campaign):
    url = "https://www.instagram.com/p/C0abc123xyz/"
    assert "Instagram post by @crumbs recorded" in _said(driver.command(f'campaign post "Vegan baking launch" @crumbs {url}'))
    assert "not a member" in _said(driver.command(f'campaign post "Vegan baking launch" nobody {url}'))
    assert _posts(session_factory) == [("crumbs", "instagram", "C0abc123xyz", "feed", url)]


@pytest.mark.parametrize("words, said", [
    ("", "then the post's link"),
    ('"Vegan baking launch"', "then the post's link"),
    ('"Vegan baking launch" crumbs sift https://youtu.be/dQw4w9WgXcQ', "then the post's link"),
    ('"Vegan baking launch" https://vm.tiktok.com/ZMh1aBcDe/', "TikTok short link"),
    ('"Vegan baking launch" https://www.instagram.com/crumbs/', "@crumbs's profile?"),
    ('"Vegan baking launch" https://instagram.com.evil.io/p/C0abc123xyz/', "not a YouTube, Instagram or TikTok"),
    ('"Vegan baking launch" crumbs https://example.com/blog/my-vegan-cake', "not a YouTube, Instagram or TikTok"),
])
def test_bad_links_are_answered_in_the_ack_with_an_example(driver, session_factory, campaign, words, said):
    exchange = driver.command(f"campaign post {words}")
    assert said in exchange.ack["text"] and "Try: `/influencer campaign post" in exchange.ack["text"]
    assert not [c for c in exchange.calls if c["method"] == "response_url"] and _posts(session_factory) == []


def test_a_post_in_another_workspace_is_not_this_ones(driver, services, slack, session_factory, campaign):
    add(session_factory, OTHER_TEAM, baker("tubey", 40_000, 900, platform=YT, views=30_000))
    with transaction(session_factory) as s:
        c = store.create_campaign(s, OTHER_TEAM, name="Vegan baking launch", budget_cents=100_000, owner_id="U9",
                                  channel_id="C9")
        s.flush()
        tubey = s.scalar(select(Creator.id).where(Creator.team_id == OTHER_TEAM))
        store.add_member(s, OTHER_TEAM, c.id, tubey, 10_000, "U9")
    with LocalDriver(services, team_id=OTHER_TEAM, slack=slack) as elsewhere:
        assert "by @tubey recorded" in _said(elsewhere.command(f'campaign post "Vegan baking launch" {VIDEO}'))
    assert "YouTube video by @tubey recorded" in _said(driver.command(f'campaign post "Vegan baking launch" {VIDEO}'))
    with session_factory() as s:
        assert sorted(s.scalars(select(Post.team_id))) == sorted([TEAM, OTHER_TEAM])
