"""`demo-data`: a synthetic workspace whose numbers tell DOMAIN.md's story, the same for a seed."""

from __future__ import annotations

import re
import statistics
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from influencer_bot.influence.benchmarks import benchmark
from influencer_bot.storage.demo.personas import NICHES
from influencer_bot.storage.demo.population import DemoCreator, generate_population
from influencer_bot.influence.engagement import Method
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.pricing import estimate
from influencer_bot.influence.profile import CreatorFacts, Profile, build_profile
from influencer_bot.influence.tiers import Tier
from influencer_bot.storage.creators.views import count_creators, find_by_handle, follower_history
from influencer_bot.storage.demo.creators import generate_records, load_demo_data
from influencer_bot.storage.models import Creator, MetricSnapshot
from influencer_bot.storage.creators.records import CreatorRecord, normalize_handle
from influencer_bot.storage.search import index as search_index

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POPULATION = 5_000


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:10]  # unique, so a shared database needs no cleaning


@pytest.fixture(scope="module")
def population() -> list[tuple[DemoCreator, Profile]]:
    """5,000 creators with their profiles, judged with their generated follower history."""
    out = []
    for c in generate_population(POPULATION, seed=7):
        record = CreatorRecord(**c.fields)
        history = [(NOW - timedelta(days=e.days_ago), e.followers) for e in c.history] + [(NOW, record.followers)]
        facts = CreatorFacts(record.platform, record.handle, record.metrics, record.quoted_price_cents, history)
        out.append((c, build_profile(facts)))
    return out


def test_same_seed_same_creators_and_another_seed_others():
    first = list(generate_records(400, seed=11))
    assert first == list(generate_records(400, seed=11))
    assert first[:100] == list(generate_records(100, seed=11))  # a longer run extends a shorter one
    other = list(generate_records(400, seed=12))
    assert sum(a.handle == b.handle for a, b in zip(first, other)) < 10
    assert [r.followers for r in first] != [r.followers for r in other]


def test_handles_are_unique_per_platform_and_look_real(population):
    keys = [(c.fields["platform"], c.fields["handle"]) for c, _ in population]
    assert len(set(keys)) == len(keys)
    handles = [h for _, h in keys]
    assert all(normalize_handle(h) == h and re.fullmatch(r"[a-z0-9._]{3,60}", h) for h in handles)
    assert any(".with." in h for h in handles) and any("_by_" in h for h in handles)
    by_handle = Counter(handles)
    assert 0 < sum(n > 1 for n in by_handle.values()) < len(by_handle) * 0.2  # some cross-post


def test_most_creators_are_nano_or_micro_in_the_published_proportions(population):
    tiers = Counter(p.tier for _, p in population)
    share = {t: tiers[t] / POPULATION for t in Tier}
    assert share[Tier.NANO] == pytest.approx(0.55, abs=0.025)
    assert share[Tier.MICRO] == pytest.approx(0.30, abs=0.025)
    assert share[Tier.EMERGING] == pytest.approx(0.10, abs=0.015)
    assert share[Tier.MACRO] == pytest.approx(0.045, abs=0.012)
    assert 0 < share[Tier.MEGA] < 0.015
    assert share[Tier.NANO] + share[Tier.MICRO] > 0.8
    platforms = Counter(c.fields["platform"] for c, _ in population)
    assert platforms[Platform.INSTAGRAM] > platforms[Platform.TIKTOK] > platforms[Platform.YOUTUBE] > 0.15 * POPULATION


@pytest.mark.parametrize("platform", list(Platform))
def test_engagement_scatters_around_the_platform_and_tier_median(population, platform):
    rates: dict[Tier, list[float]] = defaultdict(list)
    for c, p in population:
        if c.fields["platform"] is platform and p.engagement.rate is not None:
            assert p.engagement.method is (Method.BY_FOLLOWERS if platform is Platform.INSTAGRAM else Method.BY_VIEWS)
            rates[p.tier].append(p.engagement.rate * 100)
    for tier, tolerance in ((Tier.NANO, 0.12), (Tier.MICRO, 0.12), (Tier.MACRO, 0.3)):
        median = benchmark(platform, tier).median_pct
        assert statistics.median(rates[tier]) == pytest.approx(median, rel=tolerance), tier
    spread = statistics.quantiles(rates[Tier.NANO], n=10)
    assert spread[0] < 0.7 * benchmark(platform, Tier.NANO).median_pct < spread[4]  # noisy, not flat


def test_every_niche_has_creators_on_every_platform_described_in_words(population):
    tag_of = {name: tags.split()[0] for name, _, _, tags, _, _ in NICHES}
    seen = {(c.fields["topics"].split()[0], c.fields["platform"]) for c, _ in population}
    for name, tag in tag_of.items():
        for platform in Platform:
            assert (tag, platform) in seen, (name, platform)
    vegan = [c.fields for c, _ in population if c.fields["topics"].startswith("#veganbaking ")]
    assert all("vegan" in f["bio"].lower() for f in vegan)
    keebs = [c.fields for c, _ in population if c.fields["topics"].startswith("#mechanicalkeyboards ")]
    assert all("keyboard" in f["bio"].lower() for f in keebs)
    fields = [c.fields for c, _ in population]
    assert all(f["display_name"] and f["category"] and f["country"] and f["language"] for f in fields)
    assert all(f["topics"].count("#") >= 3 for f in fields)
    emails = [f["email"] for f in fields if f["email"]]
    assert 0.25 < len(emails) / POPULATION < 0.55
    assert all(re.fullmatch(r"[a-z0-9._]+@example\.(com|org|net)", e) for e in emails)  # reserved domains


@pytest.mark.parametrize("code, low, high", [
    ("low_engagement", 0.01, 0.06), ("high_engagement", 0.001, 0.01), ("follow_for_follow", 0.003, 0.03),
    ("few_posts", 0.02, 0.06), ("follower_spike", 0.002, 0.012), ("no_engagement_data", 0.01, 0.05),
])
def test_a_few_creators_trip_each_quality_flag(population, code, low, high):
    flagged = [p for _, p in population if any(f.code == code for f in p.flags)]
    assert low < len(flagged) / POPULATION < high
    if code == "high_engagement":
        assert all(p.tier in (Tier.MACRO, Tier.MEGA) for p in flagged)


def test_hidden_likes_and_views_are_where_the_platforms_put_them(population):
    ig = [c.fields for c, _ in population if c.fields["platform"] is Platform.INSTAGRAM]
    assert all(f["avg_views"] is None for f in ig)
    assert 0.02 < sum(f["avg_likes"] is None for f in ig) / len(ig) < 0.1
    video = [c.fields for c, _ in population if c.fields["platform"] is not Platform.INSTAGRAM]
    assert all(f["avg_views"] and f["avg_views"] >= 1 for f in video)


def test_prices_follow_the_rate_card(population):
    quoted = [(c, p) for c, p in population if c.fields["quoted_price_cents"]]
    assert 0.25 < len(quoted) / POPULATION < 0.35
    ratios = [p.price.cents / estimate(p.facts.platform, c.fields["followers"]).cents for c, p in quoted]
    assert 0.85 < statistics.median(ratios) < 1.15 and min(ratios) > 0.2 and max(ratios) < 5
    by_group: dict[tuple[Platform, Tier], list] = defaultdict(list)
    for c, p in population:
        if not c.fields["quoted_price_cents"]:
            assert p.price.is_estimate
            by_group[(p.facts.platform, p.tier)].append(p.price)
    for (platform, tier), prices in by_group.items():
        if tier in (Tier.NANO, Tier.MICRO, Tier.MACRO):
            median = statistics.median(pr.cents for pr in prices)
            low = statistics.median(pr.low_cents for pr in prices)
            high = statistics.median(pr.high_cents or median for pr in prices)
            assert low <= median <= high, (platform, tier)


def _counts(factory, team_id):
    with factory() as session:
        snaps = session.scalar(select(func.count()).select_from(MetricSnapshot).where(MetricSnapshot.team_id == team_id))
        updated = session.scalar(select(func.max(Creator.updated_at)).where(Creator.team_id == team_id))
        return count_creators(session, team_id), snaps, updated


def test_load_writes_creators_with_history_and_a_second_load_changes_nothing(session_factory, team):
    report = load_demo_data(session_factory, team, creators=800, seed=3, now=NOW)
    assert (report.creators, report.created, report.updated, report.unchanged) == (800, 800, 0, 0)
    assert sum(report.by_platform.values()) == sum(report.by_tier.values()) == 800
    assert report.by_tier["nano"] > report.by_tier["micro"] > report.by_tier["macro"]
    creators, snapshots, updated = _counts(session_factory, team)
    assert creators == 800 and snapshots >= 1_600
    with session_factory() as session:
        first = next(generate_records(1, seed=3))
        (view,) = find_by_handle(session, team, first.handle, first.platform)
        assert view.creator.followers == first.followers == view.latest.followers
        assert view.latest.captured_at == NOW and view.creator.bio == first.bio
        history = follower_history(session, team, view.creator.id)
        assert len(history) >= 2 and history[0][0] == NOW - timedelta(days=30)

    again = load_demo_data(session_factory, team, creators=800, seed=3, now=NOW + timedelta(days=1))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 800)
    assert _counts(session_factory, team) == (creators, snapshots, updated)


def test_a_follower_spike_shows_in_the_stored_history(session_factory, team):
    spikes = [i for i, c in enumerate(generate_population(POPULATION, seed=7)) if len(c.history) > 1]
    n = spikes[0] + 1
    load_demo_data(session_factory, team, creators=n, seed=7, now=NOW)
    spiking, calm = list(generate_records(n, seed=7))[spikes[0]], next(generate_records(1, seed=7))
    with session_factory() as session:
        for record, expected in ((spiking, True), (calm, False)):
            (view,) = find_by_handle(session, team, record.handle, record.platform)
            profile = build_profile(view.facts(follower_history(session, team, view.creator.id)))
            assert any(f.code == "follower_spike" for f in profile.flags) is expected
            # the search index was written after the history: a spike keeps the creator out of shortlists
            cols = search_index.columns(session, team, ["ids", "codes"])
            (code,) = cols["codes"][cols["ids"] == view.creator.id]
            assert bool(code & search_index.BLOCKED_BIT) is profile.blocked
            assert profile.blocked or not expected


def test_each_workspace_keeps_its_own_demo_data(session_factory, team):
    other = team + "x"
    load_demo_data(session_factory, team, creators=300, seed=5, now=NOW)
    report = load_demo_data(session_factory, other, creators=200, seed=5, now=NOW)
    assert report.created == 200  # the same creators in another workspace are new there
    only_here = list(generate_records(300, seed=5))[-1]
    with session_factory() as session:
        assert count_creators(session, team) == 300 and count_creators(session, other) == 200
        assert find_by_handle(session, other, only_here.handle, only_here.platform) == []
        assert len(find_by_handle(session, team, only_here.handle, only_here.platform)) == 1
        ids = set(session.scalars(select(Creator.id).where(Creator.team_id == team)))
        foreign = session.scalar(select(func.count()).select_from(MetricSnapshot).where(
            MetricSnapshot.team_id == other, MetricSnapshot.creator_id.in_(ids)))
        assert foreign == 0
