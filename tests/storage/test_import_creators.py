"""`import creators FILE`: messy real-world exports in, the right creators and numbers out.

`session_factory` comes from tests/conftest.py: every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from influencer_bot.influence.errors import UserError
from influencer_bot.storage.creators.views import iter_views
from influencer_bot.storage.importers import CANONICAL, import_creators_file
from influencer_bot.storage.models import Creator, MetricSnapshot

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:10]  # unique, so a shared database needs no cleaning


def creators(factory, team_id):
    with factory() as session:
        return {(v.creator.platform, v.creator.handle): v for v in iter_views(session, team_id)}


def count(factory, team_id, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.team_id == team_id))


def write(tmp_path: Path, text: str, name: str = "creators.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- real exports

def test_kaggle_instagram_export_imports_every_valid_row_with_its_numbers(session_factory, team):
    report = import_creators_file(session_factory, team, FIXTURES / "messy_instagram_export.csv",
                                  platform="instagram")

    assert (report.created, report.updated, report.unchanged) == (8, 0, 0)
    assert sorted(report.rejected) == [
        (3, "same handle as line 13; the later line was used"),
        (8, "followers “abc” is not a number"),
        (9, "no handle"),
    ]
    found = creators(session_factory, team)
    assert {h for _, h in found} == {"cristiano", "kyliejenner", "leomessi", "selenagomez", "therock",
                                     "veganbakes_nyc", "kimkardashian", "mini.creator"}
    ronaldo = found[("instagram", "cristiano")]
    assert ronaldo.creator.followers == 475_800_000
    assert ronaldo.creator.posts_total == 3_300
    assert ronaldo.creator.country == "Spain"
    assert ronaldo.latest.avg_likes == pytest.approx(8_700_000)
    assert ronaldo.latest.reported_rate_pct == pytest.approx(1.39)
    # followers is #VALUE! in the first followers column: the duplicate #Followers column is used
    assert found[("instagram", "leomessi")].creator.followers == 357_300_000
    assert found[("instagram", "leomessi")].creator.country is None
    # hidden likes and N/A rate are unknown, never zero
    selena = found[("instagram", "selenagomez")]
    assert (selena.latest.avg_likes, selena.latest.reported_rate_pct) == (None, None)
    small = found[("instagram", "veganbakes_nyc")]
    assert (small.creator.followers, small.latest.avg_likes, small.latest.reported_rate_pct) == (12_400, None, 4.1)
    # the later of two lines for one handle wins
    assert found[("instagram", "kyliejenner")].creator.followers == 366_900_000


def test_tab_separated_youtube_export_infers_the_platform_and_rejects_display_names_as_handles(
        session_factory, team):
    # its only name column holds display names: those that cannot be YouTube handles are rejected
    report = import_creators_file(session_factory, team, FIXTURES / "youtube_top_export.tsv")

    assert report.created == 3
    display = "has a space, so it is a display name, not a YouTube handle"
    assert sorted(report.rejected) == [
        (4, f"“Cocomelon - Nursery Rhymes” {display}"), (5, f"“SET India” {display}"), (6, "no handle"),
        (7, f"“Kids Diana Show” {display}"), (9, f"“Like Nastya” {display}"),
        (10, "followers “ninety million” is not a number")]
    assert any("youtube" in note for note in report.notes)
    assert any("4 rows were rejected because “Youtuber” held no valid username" in n for n in report.notes)
    found = creators(session_factory, team)
    assert set(found) == {("youtube", "t-series"), ("youtube", "mrbeast"), ("youtube", "pewdiepie")}
    tseries = found[("youtube", "t-series")]
    assert tseries.creator.display_name == "T-Series"
    assert tseries.creator.followers == 245_000_000
    assert tseries.creator.posts_total == 20_082
    assert tseries.creator.category == "Music"
    assert tseries.latest.avg_views == pytest.approx(11_400_000)
    assert found[("youtube", "mrbeast")].creator.category == "Entertainment"  # #VALUE! skipped
    assert found[("youtube", "pewdiepie")].creator.followers == 111_000_000  # "111 M"
    assert "Video Views" in report.ignored_columns  # total views are not views per video


def test_semicolon_roster_reads_platforms_urls_prices_and_rejects_with_reasons(session_factory, team):
    report = import_creators_file(session_factory, team, FIXTURES / "agency_roster_semicolon.csv")

    assert report.created == 4
    assert sorted(report.rejected) == [
        (4, "platform “myspace” unknown (use instagram, tiktok or youtube)"),
        (5, "no handle"),
        (6, "email “not-an-email” is not an email address"),
    ]
    found = creators(session_factory, team)
    bakes = found[("instagram", "veganbakes")]
    assert bakes.creator.quoted_price_cents == 45_000
    assert bakes.creator.email == "hello@veganbakes.com"
    assert bakes.creator.topics == "#vegan #baking #plantbased"
    assert (bakes.latest.avg_likes, bakes.latest.posts_sampled, bakes.creator.following) == (2_150, 12, 612)
    dance = found[("tiktok", "danceking")]  # handle and platform from a profile URL
    assert (dance.creator.followers, dance.latest.avg_views) == (1_200_000, 610_000)
    assert found[("youtube", "techlinked")].creator.quoted_price_cents == 250_000
    unknown = found[("youtube", "budget.baker")]
    assert unknown.creator.followers is None and unknown.latest is None


# ---------------------------------------------------------------- numbers and junk

@pytest.mark.parametrize("cell", ["#VALUE!", "#VALOR!", "#N/A", "N/A", "NaN", "-", "", "  "])
def test_spreadsheet_junk_is_unknown_never_zero(session_factory, team, tmp_path, cell):
    path = write(tmp_path, f"handle,followers,avg_likes\nveganbakes,{cell},{cell}\n")
    report = import_creators_file(session_factory, team, path, platform="instagram")
    assert report.created == 1 and report.rejected == []
    view = creators(session_factory, team)[("instagram", "veganbakes")]
    assert view.creator.followers is None
    assert view.latest is None  # no numbers, no snapshot of zeros


@pytest.mark.parametrize(("cell", "followers"), [
    ("12.4M", 12_400_000), ("3.3k", 3_300), ("475.8m", 475_800_000), ('"1,234"', 1_234),
    ("409800000", 409_800_000), ("1.2e6", 1_200_000),
])
def test_follower_counts_as_exports_write_them(session_factory, team, tmp_path, cell, followers):
    path = write(tmp_path, f"handle,followers,engagement rate\nveganbakes,{cell},1.39%\n")
    import_creators_file(session_factory, team, path, platform="ig")
    view = creators(session_factory, team)[("instagram", "veganbakes")]
    assert view.creator.followers == followers
    assert view.latest.reported_rate_pct == pytest.approx(1.39)


@pytest.mark.parametrize(("handle_header", "followers_header"), [
    ("instagram name", "#Followers"), ("Username", "Followers count"), ("channel_info", "Subscribers"),
    ("Channel Name", "FOLLOWERS"), ("account", "followers "), ("@handle", "Number of followers"),
])
def test_real_world_header_names(session_factory, team, tmp_path, handle_header, followers_header):
    path = write(tmp_path, f"{handle_header},{followers_header},Category_1,Avg. Likes,ER,Price per post\n"
                           "veganbakes,12.4k,Food,500,4.2%,$300\n")
    import_creators_file(session_factory, team, path, platform="instagram")
    view = creators(session_factory, team)[("instagram", "veganbakes")]
    assert (view.creator.followers, view.creator.category, view.creator.quoted_price_cents) == (12_400, "Food", 30_000)
    assert (view.latest.avg_likes, view.latest.reported_rate_pct) == (500, 4.2)


def test_map_option_overrides_the_alias_table(session_factory, team, tmp_path):
    path = write(tmp_path, "Name,Insta,Fans (total),Subs\nVegan Bakes,veganbakes,12k,99\n")
    import_creators_file(session_factory, team, path, platform="instagram",
                         mapping=["handle=Insta", "followers=Fans (total)", "display_name=Name"])
    view = creators(session_factory, team)[("instagram", "veganbakes")]
    assert (view.creator.followers, view.creator.display_name) == (12_000, "Vegan Bakes")


@pytest.mark.parametrize("mapping", [["handle"], ["nonsense=Insta"], ["handle=No such column"]])
def test_a_bad_map_option_is_one_clear_error(session_factory, team, tmp_path, mapping):
    path = write(tmp_path, "Insta,followers\nveganbakes,12k\n")
    with pytest.raises(UserError, match="--map"):
        import_creators_file(session_factory, team, path, platform="instagram", mapping=mapping)
    assert count(session_factory, team, Creator) == 0


@pytest.mark.parametrize(("encoding", "text"), [
    ("utf-8-sig", "handle,followers,country\nveganbakes,1k,São Paulo\n"),
    ("latin-1", "handle,followers,country\nveganbakes,1k,São Paulo\n"),
    ("utf-16", "handle\tfollowers\tcountry\nveganbakes\t1k\tSão Paulo\n"),  # Excel "Unicode text"
])
def test_encodings_that_spreadsheets_write(session_factory, team, tmp_path, encoding, text):
    import_creators_file(session_factory, team, write(tmp_path, text, encoding=encoding), platform="instagram")
    assert creators(session_factory, team)[("instagram", "veganbakes")].creator.country == "São Paulo"


def test_a_title_line_above_the_header_is_skipped_and_lines_still_count(session_factory, team, tmp_path):
    path = write(tmp_path, "Top creators, March\n\nhandle,followers\nveganbakes,1k\nbad,lots\n")
    report = import_creators_file(session_factory, team, path, platform="instagram")
    assert report.created == 1 and report.rejected == [(5, "followers “lots” is not a number")]


def test_line_numbers_count_quoted_cells_that_span_lines(session_factory, team, tmp_path):
    path = write(tmp_path, 'handle,followers,bio\nveganbakes,1k,"Vegan baking.\nNYC.\nDMs open"\nbad,1O0,\n')
    report = import_creators_file(session_factory, team, path, platform="instagram")
    assert report.rejected == [(5, "followers “1O0” is not a number")]
    assert creators(session_factory, team)[("instagram", "veganbakes")].creator.bio == "Vegan baking.\nNYC.\nDMs open"


def test_a_bad_row_writes_nothing_of_that_creator(session_factory, team, tmp_path):
    path = write(tmp_path, "platform,handle,followers,avg_likes,price_usd\n"
                           "instagram,good,10k,300,\ninstagram,half,10k,300,-50\n")
    report = import_creators_file(session_factory, team, path)
    assert report.rejected == [(3, "price_usd “-50” is negative")]
    assert set(creators(session_factory, team)) == {("instagram", "good")}
    assert count(session_factory, team, MetricSnapshot) == 1


def test_rows_without_a_platform_are_rejected_when_others_have_one(session_factory, team, tmp_path):
    path = write(tmp_path, "platform,handle,followers\ntiktok,a,1k\n,b,2k\n")
    report = import_creators_file(session_factory, team, path)
    assert report.created == 1
    assert report.rejected == [(3, "no platform (add a platform column or use --platform)")]


# ---------------------------------------------------------------- idempotence and history

def test_reimporting_a_file_changes_nothing(session_factory, team):
    path = FIXTURES / "messy_instagram_export.csv"
    first = import_creators_file(session_factory, team, path, platform="instagram")
    snapshots = count(session_factory, team, MetricSnapshot)

    again = import_creators_file(session_factory, team, path, platform="instagram")

    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert again.rejected == first.rejected
    assert count(session_factory, team, MetricSnapshot) == snapshots


def test_a_changed_number_makes_exactly_one_new_snapshot(session_factory, team, tmp_path):
    rows = "handle,followers,avg_likes\nveganbakes,12k,400\nkeyclicks,8k,300\nbudgetbaker,2k,90\n"
    import_creators_file(session_factory, team, write(tmp_path, rows), platform="instagram")
    before = count(session_factory, team, MetricSnapshot)

    report = import_creators_file(session_factory, team, write(tmp_path, rows.replace("12k", "13k")),
                                  platform="instagram")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert count(session_factory, team, MetricSnapshot) == before + 1
    assert creators(session_factory, team)[("instagram", "veganbakes")].latest.followers == 13_000


def test_dry_run_reports_the_same_outcome_and_writes_nothing(session_factory, team, tmp_path):
    path = FIXTURES / "agency_roster_semicolon.csv"
    dry = import_creators_file(session_factory, team, path, dry_run=True)
    assert count(session_factory, team, Creator) == 0
    assert count(session_factory, team, MetricSnapshot) == 0
    assert "dry run" in dry.summary_lines()[0]

    real = import_creators_file(session_factory, team, path)
    assert (dry.created, dry.updated, dry.unchanged, dry.rejected) == (
        real.created, real.updated, real.unchanged, real.rejected)
    changed = write(tmp_path, path.read_text().replace("48.2K", "50K"))
    dry_again = import_creators_file(session_factory, team, changed, dry_run=True)
    assert (dry_again.created, dry_again.updated, dry_again.unchanged) == (0, 1, 3)
    assert creators(session_factory, team)[("instagram", "veganbakes")].creator.followers == 48_200


def test_more_rows_than_one_batch(session_factory, team, tmp_path):
    lines = "".join(f"creator{i},{1_000 + i},{i % 50}\n" for i in range(2_345))
    seen: list[tuple[int, int]] = []
    report = import_creators_file(session_factory, team, write(tmp_path, "handle,followers,avg_likes\n" + lines),
                                  platform="tiktok", progress=lambda done, total: seen.append((done, total)))
    assert report.created == 2_345
    assert seen[-1] == (2_345, 2_345) and len(seen) == 3
    assert count(session_factory, team, Creator) == 2_345


def test_progress_bar_on_stderr_when_asked(session_factory, team, tmp_path, capsys):
    path = write(tmp_path, "handle,followers\n" + "".join(f"c{i},{i}\n" for i in range(1_500)))
    import_creators_file(session_factory, team, path, platform="tiktok", progress=True)
    assert "Importing creators" in capsys.readouterr().err


# ---------------------------------------------------------------- whole-file errors write nothing

@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"  \n\n ", "is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00 excel", "Excel workbook"),
    (b"\x00\x01\x02binary\xff\xfe\x00", "binary data"),
    (b'[{"handle": "veganbakes", "followers": 1000}]', "JSON"),
    (b"<!DOCTYPE html><html><body>Sign in</body></html>", "web page"),
    (b"handle,followers\n", "no creator rows"),
    (b"Full name;Category\nVegan Bakes;food\n", "no handle column"),
    (b"handle,category\nveganbakes,food\n", "no follower column"),
    (b"just one line of prose without separators\n", "does not look like a CSV"),
])
def test_a_file_that_cannot_be_imported_is_one_error_and_writes_nothing(
        session_factory, team, tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as info:
        import_creators_file(session_factory, team, path, platform="instagram")
    assert "upload.csv" in info.value.message
    assert count(session_factory, team, Creator) == 0


def test_a_file_without_any_platform_asks_for_one(session_factory, team, tmp_path):
    path = write(tmp_path, (FIXTURES / "messy_instagram_export.csv").read_text(), "top_creators.csv")
    with pytest.raises(UserError, match="platform") as info:
        import_creators_file(session_factory, team, path)
    assert "--platform is needed" in info.value.message
    assert "--platform instagram" in str(info.value)
    assert count(session_factory, team, Creator) == 0


def test_a_missing_file_is_a_user_error(session_factory, team, tmp_path):
    with pytest.raises(UserError, match="no file"):
        import_creators_file(session_factory, team, tmp_path / "nope.csv")


# ---------------------------------------------------------------- what the terminal shows

def test_summary_lines_show_counts_then_each_rejected_row(session_factory, team):
    report = import_creators_file(session_factory, team, FIXTURES / "messy_instagram_export.csv",
                                  platform="instagram")
    lines = report.summary_lines()
    assert lines[0] == "messy_instagram_export.csv: 8 created, 0 updated, 0 unchanged, 3 rejected."
    assert lines[-3:] == ["  line 3: same handle as line 13; the later line was used",
                          "  line 8: followers “abc” is not a number",
                          "  line 9: no handle"]


def test_the_canonical_header_imports_as_is(session_factory, team, tmp_path):
    values = ["tiktok", "@veganbakes", "Vegan Bakes", "12k", "300", "420", "800", "40", "12", "30",
              "25000", "20", "4.5%", "vegan baking", "Food", "Bakes, vegan", "US", "en", "150", "a@b.co"]
    header = ",".join(CANONICAL)
    path = write(tmp_path, header + "\n" + ",".join(f'"{v}"' for v in values) + "\n")
    report = import_creators_file(session_factory, team, path)
    assert report.created == 1 and report.ignored_columns == []
    view = creators(session_factory, team)[("tiktok", "veganbakes")]
    c, s = view.creator, view.latest
    assert (c.display_name, c.followers, c.following, c.posts_total) == ("Vegan Bakes", 12_000, 300, 420)
    assert (s.avg_likes, s.avg_comments, s.avg_shares, s.avg_saves, s.avg_views) == (800, 40, 12, 30, 25_000)
    assert (s.posts_sampled, s.reported_rate_pct) == (20, 4.5)
    assert (c.topics, c.category, c.bio, c.country, c.language) == ("vegan baking", "Food", "Bakes, vegan", "US", "en")
    assert (c.quoted_price_cents, c.email) == (15_000, "a@b.co")
