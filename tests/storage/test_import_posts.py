"""`influencer-bot import posts`: messy files in, posts and snapshots out, re-import a no-op."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot import cli
from influencer_bot.influence.errors import UserError
from influencer_bot.storage.campaigns import store
from influencer_bot.storage.db import transaction
from influencer_bot.storage.importers.posts_csv import import_posts_file
from influencer_bot.storage.models import Creator, Post, PostSnapshot

MESSY = """\ufeffCampaign Name;Creator;Post URL;Posted;Planned;As of;Impressions;Reach;Likes;Comments;Link clicks;Revenue;Notes
Vegan baking launch;@Crumbs;https://www.instagram.com/p/AAA/;2026-12-02;;2026-12-03;12.4k;;1,204;88;45;$1,250.50;great
vegan BAKING launch;crumbs;https://www.instagram.com/p/AAA/;2026-12-02;;2026-12-05;15k;;1,500;#VALUE!;60;1300;
Vegan baking launch;sift;https://www.instagram.com/stories/sift/1/;2026-12-04;;2026-12-05;N/A;2.1k;300;5;;;story
Vegan baking launch;sift;;;2026-12-20;;;;;;;;planned
Vegan baking launch;nobody;https://x.com/1;2026-12-02;;;10;;;;;;
Summer launch;crumbs;https://x.com/2;;;;10;;;;;;
Vegan baking launch;crumbs;https://www.instagram.com/p/BBB/;;;2026-12-05;lots;;;;;;
Vegan baking launch;crumbs;https://www.instagram.com/p/CCC/;yesterday;;;;;;;;;
Vegan baking launch;sift;;;;;;;;;;;no url, no plan
"""


@pytest.fixture
def campaign(session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800), baker("sift", 8_000, 400))
    with transaction(session_factory) as s:
        c = store.create_campaign(s, TEAM, name="Vegan baking launch", budget_cents=500_000, owner_id="U1",
                                  channel_id="C1")
        s.flush()
        for creator in s.scalars(select(Creator)):
            store.add_member(s, TEAM, c.id, creator.id, 50_000, "U1")
    return c


def _counts(factory):
    with factory() as s:
        return (s.scalar(select(func.count()).select_from(Post)),
                s.scalar(select(func.count()).select_from(PostSnapshot)))


def test_a_messy_file_imports_what_it_can_and_says_why_it_rejected_the_rest(session_factory, campaign, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(MESSY, encoding="utf-8")
    now = datetime(2026, 12, 6, tzinfo=UTC)
    report = import_posts_file(session_factory, TEAM, path, now=now)
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    reasons = dict(report.rejected)
    assert "@nobody is not a member of “Vegan baking launch”" in reasons[6]
    assert "No campaign “Summer launch”" in reasons[7]
    assert "“lots” is not a number" in reasons[8]
    assert "posted_at “yesterday” is not a date" in reasons[9]
    assert "needs a planned_date" in reasons[10]
    assert report.ignored_columns == ["Notes"]
    assert _counts(session_factory) == (3, 3)
    with session_factory() as s:
        story = s.scalar(select(Post).where(Post.kind == "story"))
        latest = s.scalar(select(PostSnapshot).where(PostSnapshot.post_id != story.id)
                          .order_by(PostSnapshot.captured_at.desc()).limit(1))
        planned = s.scalar(select(Post).where(Post.url.is_(None)))
    assert (latest.impressions, latest.likes, latest.comments, latest.clicks, latest.revenue_cents) == (
        15_000, 1_500, 88, 60, 130_000)  # a junk cell carries the earlier figure over, never 0
    assert planned.planned_date.isoformat() == "2026-12-20" and planned.posted_at is None
    again = import_posts_file(session_factory, TEAM, path, now=now)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert _counts(session_factory) == (3, 3)


def test_dry_run_writes_nothing(session_factory, campaign, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(MESSY, encoding="utf-8")
    report = import_posts_file(session_factory, TEAM, path, dry_run=True)
    assert report.created == 3 and "dry run" in report.summary_lines()[0]
    assert _counts(session_factory) == (0, 0)


def test_a_file_without_the_needed_columns_is_one_clear_error(session_factory, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("url,likes\nhttps://x.com/1,5\n", encoding="utf-8")
    with pytest.raises(UserError, match="no campaign or handle column"):
        import_posts_file(session_factory, TEAM, path)


def test_cli_import_posts(session_factory, campaign, tmp_path, monkeypatch, capsys, db_url):
    path = tmp_path / "posts.csv"
    path.write_text(MESSY, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert cli.main(["import", "posts", str(path), "--workspace", TEAM]) == 0
    out = capsys.readouterr().out
    assert "3 created" in out and "line 6:" in out


# the creator import's tolerance, through the same reader: BOM, a title line, tabs, a repeated
# column whose first copy is junk with a stray quote, decimal commas, a row cut short
TOLERANT = ("\ufeffKampagnenbericht, Dezember\n\n"
            "Campaign\tCreator\tPost URL\tAs of\tLikes\tLikes\tComments\tImpressions\tRevenue\n"
            "Vegan baking launch\t@crumbs\thttps://www.instagram.com/p/EEE/\t2026-12-03\tN/A'\t1.204\t88\t12,4k\t"
            "1.250,50\n"
            "Vegan baking launch\tsift\thttps://www.instagram.com/p/FFF/\t2026-12-03\t310\t\t5\t2.100\t\n"
            "Vegan baking launch\tsift\thttps://www.instagram.com/p/GGG/\t2026-12-03\t99\n")


def test_posts_get_the_creator_imports_tolerance(session_factory, campaign, tmp_path):
    path = tmp_path / "report.tsv"
    path.write_text(TOLERANT, encoding="utf-8")
    report = import_posts_file(session_factory, TEAM, path, now=datetime(2026, 12, 6, tzinfo=UTC))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.rejected == [(6, "only 5 of the header's 9 fields: the row is cut short")]
    with session_factory() as s:
        numbers = {p.url: s.scalar(select(PostSnapshot).where(PostSnapshot.post_id == p.id))
                   for p in s.scalars(select(Post))}
    crumbs = numbers["https://www.instagram.com/p/EEE/"]
    assert (crumbs.likes, crumbs.comments, crumbs.impressions, crumbs.revenue_cents) == (1_204, 88, 12_400, 125_050)
    assert numbers["https://www.instagram.com/p/FFF/"].impressions == 2_100


def test_posts_from_an_xlsx_workbook(session_factory, campaign, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["campaign", "handle", "url", "captured_at", "likes", "comments", "revenue"])
    book.active.append(["Vegan baking launch", "crumbs", "https://www.instagram.com/p/XLS/",
                        datetime(2026, 12, 3, 9, 30), 1_500, 42, 99.5])
    path = tmp_path / "posts.xlsx"
    book.save(path)
    report = import_posts_file(session_factory, TEAM, path)
    assert (report.created, report.rejected) == (1, [])
    with session_factory() as s:
        snap = s.scalar(select(PostSnapshot))
    assert (snap.likes, snap.comments, snap.revenue_cents) == (1_500, 42, 9_950)
    assert snap.captured_at.replace(tzinfo=UTC) == datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    assert _counts(session_factory) == (1, 1)
    again = import_posts_file(session_factory, TEAM, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
