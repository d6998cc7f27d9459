"""Posts imported from a file get the platform's post id from their link when it parses, so the sync
can refresh them; a link it cannot read is still recorded, and re-importing stays a no-op."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.campaigns import store
from influencer_bot.storage.db import transaction
from influencer_bot.storage.importers.posts_csv import import_posts_file
from influencer_bot.storage.models import Creator, Post

FILE = """campaign,handle,platform,url,posted_at,planned_date,captured_at,likes
Launch,crumbs,instagram,https://www.instagram.com/reel/C0abc123xyz/?igsh=MWQ1ZGUxMzBkMA==,2026-12-02,,2026-12-03,120
Launch,crumbs,instagram,https://instagram.com/p/C0abc123xyz/,2026-12-02,,2026-12-05,150
Launch,tubey,youtube,https://youtu.be/dQw4w9WgXcQ?si=AbCd,2026-12-03,,2026-12-05,900
Launch,tubey,youtube,,,2026-12-20,,
Launch,crumbs,tiktok,https://vm.tiktok.com/ZMh1aBcDe/,2026-12-04,,2026-12-05,40
Launch,crumbs,instagram,https://www.instagram.com/stories/crumbs/3216549870123456789/,2026-12-04,,,
Launch,sift,instagram,https://example.com/blog/sift-bakes-for-launch,2026-12-05,,2026-12-06,10
"""
LIVE = """campaign,handle,platform,url,planned_date,likes
Launch,tubey,youtube,https://www.youtube.com/shorts/a-b_C1d2E3f?feature=share,2026-12-20,300
"""


@pytest.fixture
def campaign(session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800), baker("sift", 8_000, 400),
        baker("crumbs", 9_000, 500, platform=Platform.TIKTOK, views=12_000),
        baker("tubey", 40_000, 900, platform=Platform.YOUTUBE, views=30_000))
    with transaction(session_factory) as s:
        c = store.create_campaign(s, TEAM, name="Launch", budget_cents=500_000, owner_id="U1", channel_id="C1")
        s.flush()
        for creator in s.scalars(select(Creator)):
            store.add_member(s, TEAM, c.id, creator.id, 50_000, "U1")
    return c


def _posts(factory) -> list[tuple[str, str | None, str, str | None]]:
    with factory() as s:
        return [tuple(r) for r in s.execute(select(Post.platform, Post.external_id, Post.kind, Post.url)
                                            .order_by(Post.id))]


def test_imported_posts_get_their_post_id_and_a_repeat_link_is_one_post(session_factory, campaign, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(FILE, encoding="utf-8")
    report = import_posts_file(session_factory, TEAM, path)
    assert report.rejected == [] and (report.created, report.updated) == (6, 1)
    assert set(_posts(session_factory)) == {
        ("instagram", "C0abc123xyz", "reel", "https://www.instagram.com/p/C0abc123xyz/"),  # both rows: one post
        ("youtube", "dQw4w9WgXcQ", "video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("youtube", None, "feed", None),  # planned, no link yet
        ("tiktok", None, "video", "https://vm.tiktok.com/ZMh1aBcDe/"),  # a short link hides the id: kept as given
        ("instagram", "3216549870123456789", "story", "https://www.instagram.com/stories/crumbs/3216549870123456789/"),
        ("instagram", None, "feed", "https://example.com/blog/sift-bakes-for-launch"),
    }
    again = import_posts_file(session_factory, TEAM, path)
    assert (again.created, again.updated) == (0, 0) and len(_posts(session_factory)) == 6


def test_a_planned_post_going_live_gets_the_id_of_its_link(session_factory, campaign, tmp_path):
    (tmp_path / "plan.csv").write_text(FILE, encoding="utf-8")
    import_posts_file(session_factory, TEAM, tmp_path / "plan.csv")
    (tmp_path / "live.csv").write_text(LIVE, encoding="utf-8")
    report = import_posts_file(session_factory, TEAM, tmp_path / "live.csv")
    assert report.rejected == [] and report.created == 0
    assert ("youtube", "a-b_C1d2E3f", "feed", "https://www.youtube.com/watch?v=a-b_C1d2E3f") in _posts(session_factory)


def test_a_post_recorded_before_links_were_read_is_found_and_given_its_id(session_factory, campaign, tmp_path):
    raw = "https://www.instagram.com/p/C0abc123xyz/?igsh=OLD"
    with transaction(session_factory) as s:
        member = store.members(s, TEAM, campaign.id, handle="crumbs", platform="instagram")[0].member
        s.add(Post(team_id=TEAM, campaign_id=campaign.id, member_id=member.id, platform="instagram", url=raw,
                   kind="feed"))
    (tmp_path / "again.csv").write_text(f"campaign,handle,platform,url,likes\nLaunch,crumbs,instagram,{raw},99\n",
                                        encoding="utf-8")
    report = import_posts_file(session_factory, TEAM, tmp_path / "again.csv")
    assert report.created == 0 and report.updated == 1
    assert _posts(session_factory) == [("instagram", "C0abc123xyz", "feed", raw)]
