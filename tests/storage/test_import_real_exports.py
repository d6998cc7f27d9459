"""Exports shaped like the ones analytics tools let teams download (HypeAuditor-style top-N lists,
European number formats, damaged files, Excel): the right handles, engagement from per-post
averages, numbers read by the file's conventions, broken rows rejected with line and reason.

Every account in the fixtures is made up. `session_factory` runs each test on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from influencer_bot.influence.errors import UserError
from influencer_bot.influence.handles import problem
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.profile import build_profile
from influencer_bot.storage.creators.views import iter_views
from influencer_bot.storage.importers import import_creators_file
from influencer_bot.storage.models import Creator, MetricSnapshot

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:10]


def creators(factory, team_id):
    with factory() as session:
        return {(v.creator.platform, v.creator.handle): v for v in iter_views(session, team_id)}


def snapshots(factory, team_id) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(MetricSnapshot)
                              .where(MetricSnapshot.team_id == team_id))


def rate_pct(view) -> float | None:
    return build_profile(view.facts()).engagement.rate_pct


def assert_handles_follow_platform_rules(found) -> None:
    for (platform, handle), view in found.items():
        if view.creator.platform_id:  # a YouTube channel id, stored in lower case for lookups
            assert view.creator.platform_id.lower() == handle and len(handle) == 24
        else:
            assert problem(handle, Platform(platform)) is None, handle


def import_twice(factory, team_id, path, **kwargs):
    """Import, then import again: the second time must change nothing."""
    first = import_creators_file(factory, team_id, path, **kwargs)
    count = snapshots(factory, team_id)
    again = import_creators_file(factory, team_id, path, **kwargs)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created + first.updated)
    assert again.rejected == first.rejected
    assert snapshots(factory, team_id) == count
    return first


# ---------------------------------------------------------------- HypeAuditor-style top lists

def test_instagram_top_list_with_usernames_under_name_imports_every_valid_row_right(session_factory, team):
    report = import_twice(session_factory, team, FIXTURES / "hypeauditor_instagram_top.csv")

    assert report.created == 16
    assert sorted(report.rejected) == [
        (14, "“DJ Nova Official” has a space, so it is a display name, not an Instagram username"),
        (18, "“chef.marco.rossi.official.account.it” has 36 characters; an Instagram username has at most 30"),
    ]
    assert any(note.startswith("Handles from column “name”") and "display names from column “instagram name”"
               in note for note in report.notes)
    found = creators(session_factory, team)
    assert_handles_follow_platform_rules(found)
    # three creators share the display name "Maya"; a fan account shares its star's: all stay apart
    assert {h for _, h in found if found[("instagram", h)].creator.display_name == "Maya"} == {
        "maya.bakes", "maya_travels", "mayarunsfar"}
    assert found[("instagram", "lumistarfield.fans")].creator.display_name == "Lumi Starfield ✨"
    assert found[("instagram", "lumi.starfield")].creator.followers == 412_500_000
    assert found[("instagram", "yamada_hanako")].creator.display_name == "山田花子"
    assert found[("instagram", "ngocanh.cooks")].creator.display_name is None  # username, no display name: fine
    assert ("instagram", "priya.sings") in found and ("instagram", "aroha.nz") in found  # `@X` and a profile URL
    bakes = found[("instagram", "maya.bakes")]
    assert (bakes.creator.category, bakes.creator.audience_country) == ("Food", "United States")
    assert found[("instagram", "sofia.rios.oficial")].creator.category == "Beauty"  # Category empty: Category_2
    # ER from whole engagements per post (no likes column): Eng. (Avg.) ÷ followers
    assert rate_pct(bakes) == pytest.approx(310_000 / 12_400_000 * 100)
    assert rate_pct(found[("instagram", "lumi.starfield")]) == pytest.approx(4_400_000 / 412_500_000 * 100)
    assert all(rate_pct(v) is not None for v in found.values())
    # authentic engagements: the `N/A'` in one copy of the column does not reject the row
    kai = found[("instagram", "kai.okonkwo")]
    assert kai.latest.avg_authentic_engagements == 2_900_000
    profile = build_profile(bakes.facts())
    assert profile.engagement.authentic_share == pytest.approx(150 / 310)
    assert "low_authentic_engagement" in {f.code for f in profile.flags}
    assert "low_authentic_engagement" not in {f.code for f in build_profile(kai.facts()).flags}


def test_tiktok_top_list_under_a_title_line_reads_tiktoker_name_as_the_handle(session_factory, team):
    report = import_twice(session_factory, team, FIXTURES / "hypeauditor_tiktok_top.csv")

    assert report.created == 9
    assert report.rejected == [
        (11, "“this.handle.is.way.too.long.for.tt” has 34 characters; a TikTok username has at most 24")]
    assert any("tiktok" in note and "column names" in note for note in report.notes)  # despite `Subscribers`
    found = creators(session_factory, team)
    assert {p for p, _ in found} == {"tiktok"}
    assert_handles_follow_platform_rules(found)
    kiki = found[("tiktok", "kiki.dances")]
    assert (kiki.creator.display_name, kiki.creator.followers) == ("Kiki 💃", 88_200_000)
    eng = build_profile(kiki.facts()).engagement
    assert eng.rate_pct == pytest.approx((1_400_000 + 12_100 + 9_800) / 12_500_000 * 100)
    assert eng.columns() == "by_views: avg_likes+avg_comments+avg_shares/avg_views"
    assert found[("tiktok", "lumi.starfield.fanclub")].creator.display_name == "Lumi Starfield ✨"
    assert found[("tiktok", "ana.lima")].creator.display_name is None


def test_youtube_top_list_without_views_gets_a_rate_by_subscribers(session_factory, team):
    report = import_twice(session_factory, team, FIXTURES / "hypeauditor_youtube_top.csv")

    assert report.created == 6
    assert sorted(report.rejected) == [
        (6, "“Nova Beats Official” has a space, so it is a display name, not a YouTube handle"),
        (8, "“ab” is too short for a YouTube handle (3 to 30 characters) or a channel id (UC…)"),
    ]
    found = creators(session_factory, team)
    assert_handles_follow_platform_rules(found)
    lumi = found[("youtube", "lumiplays")]
    profile = build_profile(lumi.facts())
    assert profile.engagement.rate_pct == pytest.approx((120_500 + 8_200) / 33_300_000 * 100)
    assert profile.engagement.how() == "(likes + comments) per post ÷ followers"
    assert profile.position is None  # not compared with the by-views median
    assert "low_engagement" not in {f.code for f in profile.flags}
    assert found[("youtube", "techtinkerer")].creator.display_name == "Tech Tinkerer"  # `@handle`
    assert ("youtube", "mia-sings") in found  # youtube.com/@Mia-Sings
    oma = found[("youtube", "uca1b2c3d4e5f6g7h8i9j0kl")]  # a channel id keeps its case for the API
    assert (oma.creator.platform_id, oma.creator.display_name) == ("UCa1B2c3D4e5F6g7H8i9J0kL", "Kochen mit Oma 👵")
    assert found[("youtube", "uczz9yy8xx7ww6vv5uu4tt3s")].creator.platform_id == "UCzz9Yy8Xx7Ww6Vv5Uu4Tt3S"
    assert rate_pct(found[("youtube", "kids.kingdom.tv")]) is None  # no likes at all: unknown, not zero


def test_the_same_creator_from_two_months_files_is_one_creator(session_factory, team, tmp_path):
    march = (FIXTURES / "hypeauditor_instagram_top.csv").read_text(encoding="utf-8")
    april = march.replace("12.4M,United States,150.0K", "12.6M,United States,150.0K")
    import_creators_file(session_factory, team, FIXTURES / "hypeauditor_instagram_top.csv")
    (tmp_path / "top_instagram_april.csv").write_text(april, encoding="utf-8")
    report = import_creators_file(session_factory, team, tmp_path / "top_instagram_april.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 15)
    assert creators(session_factory, team)[("instagram", "maya.bakes")].creator.followers == 12_600_000


# ---------------------------------------------------------------- numbers and rates

def test_european_number_formats_are_read_by_the_files_convention(session_factory, team):
    report = import_twice(session_factory, team, FIXTURES / "european_numbers.csv")

    assert report.created == 4
    assert report.rejected == [
        (5, "followers “12,3” is not a whole number (a count with decimals needs a unit, as in 12.3k)")]
    assert any("decimal comma" in note and "“followers”" in note for note in report.notes)
    found = creators(session_factory, team)
    assert_handles_follow_platform_rules(found)
    berlin = found[("instagram", "backstube.berlin")]
    assert (berlin.creator.followers, berlin.creator.following) == (1_234_567, 1_021)
    assert (berlin.latest.avg_likes, berlin.creator.quoted_price_cents) == (12_345, 125_050)
    assert (berlin.latest.reported_rate_pct, berlin.latest.rate_window_days) == (1.2, 30)
    assert berlin.creator.topics == "#backen #brot"
    chef = found[("tiktok", "le.petit.chef")]
    assert (chef.creator.followers, chef.latest.posts_sampled, chef.creator.topics) == (3_500, 2, "#cuisine #recette")
    flags = {f.code for f in build_profile(chef.facts()).flags}
    assert "few_posts" in flags and "low_engagement" not in flags
    ana = found[("youtube", "ciclismo-ana")]
    assert (ana.creator.followers, ana.latest.avg_likes, ana.latest.avg_comments) == (250_000, 8_100, 1_020)


def test_a_recent_window_rate_beats_lifetime_averages_and_a_2x_disagreement_is_reported(session_factory, team):
    report = import_creators_file(session_factory, team, FIXTURES / "european_numbers.csv")
    assert ("Engagement rate: 1 row report a rate more than 2× off the one their per-post averages give "
            "(line 6: 9.90% reported, 4.26% from averages); the recent-window rate was used.") in report.notes
    sam = creators(session_factory, team)[("instagram", "sauerteig.sam")]
    eng = build_profile(sam.facts()).engagement
    assert eng.rate_pct == pytest.approx(9.9) and eng.describe() == "9.9% as reported (30 days) over 10 posts"


def test_a_lifetime_rate_is_checked_but_the_averages_win(session_factory, team, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("handle,followers,avg likes,avg comments,ER\nbread.bee,10k,200,20,9.5%\nflour.fox,20k,500,10,2.6%\n")
    report = import_creators_file(session_factory, team, path, platform="instagram")
    assert any("line 2: 9.50% reported, 2.20% from averages); the rate from the averages was used" in n
               for n in report.notes)
    found = creators(session_factory, team)
    assert rate_pct(found[("instagram", "bread.bee")]) == pytest.approx(2.2)


@pytest.mark.parametrize(("cells", "followers", "likes"), [
    ("12.345;1.234,5", 12_345, 1_234.5),          # a decimal comma file
    ("1.234.567;3,5k", 1_234_567, 3_500),
    ("1,234,567;2.5k", 1_234_567, 2_500),         # a decimal point file
    ("12.345;12.4k", None, None),                 # dot-decimal file: 12.345 followers cannot be
])
def test_counts_are_never_truncated(session_factory, team, tmp_path, cells, followers, likes):
    path = tmp_path / "c.csv"
    path.write_text(f"handle;followers;avg_likes\nbread.bee;{cells}\n")
    report = import_creators_file(session_factory, team, path, platform="instagram")
    if followers is None:
        assert report.rejected == [(2, "followers “12.345” is not a whole number (a count with decimals needs a "
                                       "unit, as in 12.3k)")]
        return
    view = creators(session_factory, team)[("instagram", "bread.bee")]
    assert (view.creator.followers, view.latest.avg_likes) == (followers, likes)


# ---------------------------------------------------------------- damaged files

def test_broken_rows_are_rejected_with_line_and_reason_and_the_rest_imported(session_factory, team):
    report = import_twice(session_factory, team, FIXTURES / "broken_rows.csv")

    assert report.created == 4
    assert sorted(report.rejected) == [
        (3, "6 fields where the header has 5: a stray separator or an unquoted value (“20.1m”) shifted the row"),
        (4, "an opening quote (\") is never closed, so this row ran into the lines below it; it was skipped "
            "and reading went on with the next line"),
        (6, "only 4 of the header's 5 fields: the row is cut short"),
        (9, "the file ends in the middle of this row: “4” looks cut short (other rows write this column "
            "like “10.2m”)"),
    ]
    found = creators(session_factory, team)
    assert set(found) == {("instagram", "good.one"), ("instagram", "swallowed.one"), ("tiktok", "good.two"),
                          ("youtube", "good.three")}
    assert found[("instagram", "swallowed.one")].creator.display_name == "Swallowed One"  # not inside a quote


def test_a_file_broken_throughout_is_refused_whole(session_factory, team, tmp_path):
    path = tmp_path / "mixed.csv"
    rows = "".join(f"creator{i};{i}k;{i * 10}\n" for i in range(1, 9))
    path.write_text("handle,followers,avg_likes\nfine.one,2k,30\n" + rows)
    with pytest.raises(UserError, match="broken throughout: 8 of its 9 rows") as info:
        import_creators_file(session_factory, team, path, platform="tiktok")
    assert "line 3:" in info.value.message
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Creator).where(Creator.team_id == team)) == 0


def test_platform_from_the_file_name_else_platform_is_required(session_factory, team, tmp_path):
    text = "handle,followers\nbread.bee,10k\n"
    (tmp_path / "top-100-tiktokers-may.csv").write_text(text)
    report = import_creators_file(session_factory, team, tmp_path / "top-100-tiktokers-may.csv")
    assert "Platform: tiktok (from the file name; use --platform to change it)." in report.notes
    assert ("tiktok", "bread.bee") in creators(session_factory, team)
    (tmp_path / "roster.csv").write_text(text)
    with pytest.raises(UserError, match="--platform is needed"):
        import_creators_file(session_factory, team, tmp_path / "roster.csv")


# ---------------------------------------------------------------- Excel

def test_an_xlsx_export_is_read_like_its_csv(session_factory, team, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Top creators"
    sheet.append(["Top Instagram creators, made up for tests"])
    sheet.append([])
    sheet.append(["#", "name", "instagram name", "Followers", "Eng. (Avg.)", "Eng. (Auth.)", "ER 60 days",
                  "n_sampled_posts", "Hashtags", "followees"])
    sheet.append([1, "crumb.queen", "Crumb Queen 👑", 48_200, 1_900.5, 1_700, None, 12, "#bread #sourdough", 310])
    sheet.append([2, "Crumb Queen Fans", "Crumb Queen 👑", 2_100, 80, 60, None, 3, None, 15])
    sheet.append([3, "hefe.held", "Hefe Held", 12_000, 500, 480, 0.052, 9, None, 200])
    sheet.cell(row=6, column=7).number_format = "0.00%"
    path = tmp_path / "top_creators.xlsx"
    book.save(path)

    report = import_twice(session_factory, team, path, platform="instagram")

    assert report.created == 2
    assert report.rejected == [
        (5, "“Crumb Queen Fans” has a space, so it is a display name, not an Instagram username")]
    found = creators(session_factory, team)
    queen = found[("instagram", "crumb.queen")]
    assert (queen.creator.display_name, queen.creator.followers, queen.creator.following) == (
        "Crumb Queen 👑", 48_200, 310)
    assert (queen.latest.avg_engagements, queen.latest.posts_sampled, queen.creator.topics) == (
        1_900.5, 12, "#bread #sourdough")
    assert rate_pct(queen) == pytest.approx(1_900.5 / 48_200 * 100)
    held = found[("instagram", "hefe.held")]
    assert (held.latest.reported_rate_pct, held.latest.rate_window_days) == (pytest.approx(5.2), 60)


def test_a_reimport_keeps_synced_activity_and_a_new_rate_brings_its_own_window(session_factory, team, tmp_path):
    """Posting frequency and sponsored share come only from a platform sync: a later import's
    snapshot keeps them. A rate reported without a window is not given the old rate's window."""
    first = tmp_path / "june.csv"
    first.write_text("handle,followers,ER 60 days,posts sampled\nrye.ruth,20k,3.1%,12\n")
    import_creators_file(session_factory, team, first, platform="instagram")
    with session_factory.begin() as session:
        snap = session.scalars(select(MetricSnapshot).where(MetricSnapshot.team_id == team)).one()
        assert snap.rate_window_days == 60
        snap.posts_per_week, snap.sponsored_share = 2.5, 0.3  # as a sync leaves them
    second = tmp_path / "july.csv"
    second.write_text("handle,followers,engagement rate,posts sampled\nrye.ruth,21k,2.4%,12\n")
    import_creators_file(session_factory, team, second, platform="instagram")
    with session_factory() as session:
        latest = session.scalars(select(MetricSnapshot).where(MetricSnapshot.team_id == team)
                                 .order_by(MetricSnapshot.id.desc())).first()
    assert (latest.followers, latest.reported_rate_pct) == (21_000, 2.4)
    assert latest.rate_window_days is None
    assert (latest.posts_per_week, latest.sponsored_share) == (2.5, 0.3)


# ---------------------------------------------------------------- exports joined, localised, dirty

def test_exports_joined_one_after_another_skip_the_repeated_header(session_factory, team, tmp_path):
    header = "platform,handle,display_name,followers,avg_likes,avg_comments\r\n"
    path = tmp_path / "may_and_june.csv"
    path.write_text(header + "instagram,first.one,First One,10K,500,20\r\ninstagram,second.one,Second One,20K,800,40\r\n"
                    + header.upper() + "\r\n" + "instagram,third.one,Third One,30K,900,45\r\n", encoding="utf-8")
    report = import_twice(session_factory, team, path)
    assert (report.created, report.rejected) == (3, [])
    assert any("header repeated on line 4" in note for note in report.notes)


def test_a_spanish_export_in_cp1252_with_decimal_commas(session_factory, team, tmp_path):
    path = tmp_path / "heepsy.csv"
    path.write_bytes(("Heepsy export;;;;;;\r\n"
                      "Nombre;Usuario;Plataforma;Seguidores;Engagement;Likes promedio;Comentarios promedio\r\n"
                      "José Pérez;@jose.perez;Instagram;12.345;3,45 %;410;16\r\n"
                      "Café Crème;cafe.creme;Instagram;1.234.567;1,2 %;14.100;410\r\n"
                      "Señora Ñandú;senora.nandu;TikTok;45,6k;8,1 %;3.600;98\r\n").encode("cp1252"))
    report = import_twice(session_factory, team, path)
    assert (report.created, report.rejected) == (3, [])
    found = creators(session_factory, team)
    jose = found[("instagram", "jose.perez")]
    assert (jose.creator.display_name, jose.creator.followers) == ("José Pérez", 12_345)
    assert rate_pct(jose) == pytest.approx((410 + 16) / 12_345 * 100)
    assert found[("instagram", "cafe.creme")].creator.followers == 1_234_567
    assert found[("tiktok", "senora.nandu")].creator.followers == 45_600


def test_handles_with_what_spreadsheets_add_around_them(session_factory, team, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("Platform,Username,Name,Followers,Avg Likes,Avg Comments\n"
                    "IG,lumi.bakes ,Lumi Bakes,48.2K,2150,85\n"
                    "Instagram,\u200bzero.width\u200b,Zero Width,10K,300,10\n"
                    "TikTok,＠fullwidth_tt,Full Width,200K,20K,300\n"
                    "YT,@NiceChannel\u00a0,Nice Channel,1.5M,30K,1K\n"
                    "tiktok,\ufeffbom.handle,Bom Handle,50K,5K,100\n", encoding="utf-8")
    report = import_twice(session_factory, team, path)
    assert (report.created, report.rejected) == (5, [])
    found = creators(session_factory, team)
    assert_handles_follow_platform_rules(found)
    assert set(found) == {("instagram", "lumi.bakes"), ("instagram", "zero.width"), ("tiktok", "fullwidth_tt"),
                          ("youtube", "nicechannel"), ("tiktok", "bom.handle")}
