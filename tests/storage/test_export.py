"""`export creators`: every creator, with the numbers Slack shows, unknowns left empty.

`session_factory` comes from tests/conftest.py: every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from influencer_bot.influence.errors import UserError
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.profile import build_profile
from influencer_bot.influence.tiers import TierThresholds
from influencer_bot.storage.creators.views import iter_views
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.db import transaction
from influencer_bot.storage.creators.export import COLUMNS, write_export
from influencer_bot.storage.importers import import_creators_file
from influencer_bot.storage.creators.records import CreatorRecord
from influencer_bot.storage.workspaces import ensure_workspace

REQUIRED = ("platform", "handle", "followers", "tier", "engagement_rate_pct", "engagement_method",
            "posts_sampled", "benchmark_median_pct", "benchmark_ratio", "price_usd", "price_source", "flags",
            "display_name", "following", "price_low_usd", "price_high_usd", "topics", "category", "country")


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:10]


def add(factory, team_id, *records, now=None):
    with transaction(factory) as session:
        ensure_workspace(session, team_id)
        upsert_creators(session, team_id, list(records), source="test", now=now)


def export(factory, team_id, fmt="csv", **kwargs):
    out = io.StringIO()
    written = write_export(factory, team_id, out, fmt, **kwargs)
    text = out.getvalue()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    assert written == len(rows)
    return {r["handle"]: r for r in rows}, text


QUOTED = CreatorRecord(Platform.INSTAGRAM, "veganbakes", display_name="Vegan Bakes", followers=48_200,
                       following=612, avg_likes=2_150, avg_comments=85, posts_sampled=12,
                       quoted_price_cents=45_050, topics="#vegan #baking", category="Food", country="US")
ESTIMATED = CreatorRecord(Platform.TIKTOK, "danceking", followers=25_000, avg_likes=900, avg_comments=100,
                          avg_views=20_000, posts_sampled=2)
UNKNOWN = CreatorRecord(Platform.YOUTUBE, "mystery")


def test_csv_has_the_documented_columns_and_labels_estimates(session_factory, team):
    add(session_factory, team, QUOTED, ESTIMATED, UNKNOWN)
    rows, text = export(session_factory, team)

    assert text.splitlines()[0].split(",") == list(COLUMNS)
    assert set(REQUIRED) <= set(COLUMNS)
    quoted = rows["veganbakes"]
    assert (quoted["platform"], quoted["display_name"], quoted["followers"], quoted["following"]) == (
        "instagram", "Vegan Bakes", "48200", "612")
    assert (quoted["tier"], quoted["engagement_method"], quoted["posts_sampled"]) == (
        "micro", "by_followers: avg_likes+avg_comments/followers", "12")
    assert float(quoted["engagement_rate_pct"]) == pytest.approx((2_150 + 85) / 48_200 * 100, abs=1e-3)
    assert float(quoted["benchmark_median_pct"]) == 2.8
    assert float(quoted["benchmark_ratio"]) == pytest.approx((2_150 + 85) / 48_200 * 100 / 2.8, abs=0.01)
    assert (quoted["price_usd"], quoted["price_source"], quoted["price_low_usd"], quoted["price_high_usd"]) == (
        "450.5", "quoted", "", "")
    assert (quoted["topics"], quoted["category"], quoted["country"], quoted["flags"]) == (
        "#vegan #baking", "Food", "US", "")

    estimate = rows["danceking"]
    assert estimate["price_source"] == "estimate"
    assert float(estimate["price_low_usd"]) <= float(estimate["price_usd"]) <= float(estimate["price_high_usd"])
    assert estimate["engagement_method"].startswith("by_views: avg_likes")
    assert estimate["flags"] == "few_posts"

    unknown = rows["mystery"]  # nothing known: empty cells, never zeros
    for column in ("followers", "tier", "engagement_rate_pct", "engagement_method", "posts_sampled",
                   "benchmark_ratio", "price_usd", "price_source", "display_name"):
        assert unknown[column] == "", column
    assert unknown["flags"] == "no_engagement_data"


def test_jsonl_uses_null_for_unknown_and_numbers_for_numbers(session_factory, team):
    add(session_factory, team, QUOTED, UNKNOWN)
    rows, _ = export(session_factory, team, "jsonl")
    assert list(rows["veganbakes"]) == list(COLUMNS)
    assert rows["veganbakes"]["followers"] == 48_200
    assert rows["veganbakes"]["price_usd"] == 450.5
    assert rows["mystery"]["followers"] is None
    assert rows["mystery"]["price_usd"] is None
    assert rows["mystery"]["tier"] is None


def test_values_are_the_ones_build_profile_gives_slack(session_factory, team):
    add(session_factory, team, QUOTED, ESTIMATED)
    thresholds = TierThresholds(nano=1_000, micro=30_000, macro=100_000, mega=1_000_000)
    rows, _ = export(session_factory, team, "jsonl", thresholds=thresholds)
    with session_factory() as session:
        for view in iter_views(session, team):
            profile = build_profile(view.facts(), thresholds)
            row = rows[view.creator.handle]
            assert row["tier"] == profile.tier.value
            assert row["engagement_rate_pct"] == pytest.approx(profile.engagement.rate_pct, abs=1e-3)
            assert row["price_usd"] * 100 == profile.price.cents
            assert row["flags"] == (";".join(f.code for f in profile.flags) or None)
    assert rows["danceking"]["tier"] == "nano"  # the thresholds given, not the defaults


def test_flags_come_from_follower_history_too(session_factory, team):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    add(session_factory, team, CreatorRecord(Platform.INSTAGRAM, "bought", followers=10_000, following=9_500,
                                             avg_likes=20, posts_sampled=1), now=start)
    add(session_factory, team, CreatorRecord(Platform.INSTAGRAM, "bought", followers=90_000), now=start + timedelta(days=1))
    rows, _ = export(session_factory, team)
    # one post sampled: uncertain, so not called low engagement (0.2% would be, over more posts)
    assert rows["bought"]["flags"].split(";") == ["follower_spike", "few_posts"]


def test_only_this_workspace_and_every_creator_across_pages(session_factory, team):
    add(session_factory, team, *[CreatorRecord(Platform.TIKTOK, f"c{i}", followers=1_000 + i) for i in range(2_600)])
    add(session_factory, "TOTHER", QUOTED)
    rows, _ = export(session_factory, team, "jsonl")
    assert len(rows) == 2_600 and "veganbakes" not in rows
    assert rows["c2599"]["followers"] == 3_599


def test_spreadsheet_formulas_in_text_are_defused_in_csv(session_factory, team):
    add(session_factory, team, CreatorRecord(Platform.INSTAGRAM, "sneaky", display_name="=HYPERLINK(\"x\")"))
    rows, _ = export(session_factory, team)
    assert rows["sneaky"]["display_name"] == "'=HYPERLINK(\"x\")"


def test_unknown_format_is_a_user_error(session_factory, team):
    with pytest.raises(UserError, match="csv or jsonl"):
        write_export(session_factory, team, io.StringIO(), "xlsx")


def test_an_export_reimports_without_turning_estimates_into_quotes(session_factory, team, tmp_path):
    add(session_factory, team, QUOTED, ESTIMATED)
    _, text = export(session_factory, team)
    path = tmp_path / "export.csv"
    path.write_text(text)
    copy = "T" + uuid.uuid4().hex[:10]

    report = import_creators_file(session_factory, copy, path)

    assert (report.created, report.rejected) == (2, [])
    with session_factory() as session:
        quotes = {v.creator.handle: v.creator.quoted_price_cents for v in iter_views(session, copy)}
    assert quotes == {"veganbakes": 45_050, "danceking": None}
