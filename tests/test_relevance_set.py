"""The labelled relevance set (bench/relevance_set) and its benchmark (bench/relevance.py):
the set is deterministic, the written rule judges what a marketer would, every query has
enough relevant creators to measure, and the benchmark runs end to end through the product."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import relevance  # noqa: E402
from relevance_set.generate import Post, SynthCreator, generate  # noqa: E402
from relevance_set.queries import QUERIES, Query, belongs, relevant  # noqa: E402

from influencer_bot.influence.platforms import Platform  # noqa: E402


@pytest.fixture(scope="module")
def full_set() -> list[SynthCreator]:
    return generate(2400)  # the benchmark's default set


def _creator(*posts: str) -> SynthCreator:
    """Posts as `concept+concept` specs; tags do not matter to the judge."""
    return SynthCreator("hand-made", {"platform": Platform.INSTAGRAM, "handle": "x"},
                        tuple(Post(frozenset(p.split("+")), ("#instagood",)) for p in posts))


def test_the_same_seed_gives_the_same_creators_and_another_seed_others() -> None:
    first, again, other = generate(300, seed=5), generate(300, seed=5), generate(300, seed=6)
    assert first == again
    assert [c.record["handle"] for c in first] != [c.record["handle"] for c in other]
    assert len({c.key for c in first}) == 300  # handles unique per platform


def test_the_words_are_noisy_multilingual_and_hold_hard_negatives(full_set: list[SynthCreator]) -> None:
    creators = full_set
    topics = " ".join(str(c.record["topics"]) for c in creators).lower()
    for tag in ("#instagood", "#fyp", "#plantbaseddesserts", "#postresveganos", "#veganerkuchen", "#latteart",
                "#theartofslowliving", "#bookart", "#dessertinspo"):
        assert tag in topics, tag
    assert any("\u3040" <= ch <= "\u30ff" for ch in topics) and any("\uac00" <= ch <= "\ud7a3" for ch in topics)
    bios = [str(c.record["bio"]) for c in creators]
    assert any("🌱" in b for b in bios) and len({c.record["language"] for c in creators}) == 8
    assert any(any(ch.isupper() for ch in t) for c in creators for p in c.posts for t in p.tags)  # camelCase
    tiers = sorted(int(c.record["followers"]) for c in creators)  # type: ignore[call-overload]
    assert tiers[len(tiers) // 2] < 20_000 and tiers[-len(tiers) // 20] > 100_000  # mostly small, some big


def test_the_rule_wants_the_whole_niche_in_the_same_posts_more_than_once() -> None:
    desserts = Query("plant based desserts", 5000, frozenset({"plant_based", "dessert"}))
    latte = Query("coffee latte art", 3000, frozenset({"coffee", "latte_art"}))
    assert belongs(_creator("vegan+dessert+baking", "vegan+dessert", "vegan+cooking", "lifestyle"), desserts)
    # one plant-based meal and one gelato on a travel feed: both words, never together
    assert not belongs(_creator("plant_based+food", "europe+dessert", *["travel"] * 6), desserts)
    assert not belongs(_creator("vegan+dessert", *["vegan+cooking"] * 8), desserts)  # once is not a niche
    assert belongs(_creator("latte_art", "latte_art", "specialty_coffee"), latte)  # latte art implies coffee
    assert not belongs(_creator("slow_living", "coffee", "coffee", "home_decor"), latte)


def test_most_queries_have_at_least_ten_relevant_creators(full_set: list[SynthCreator]) -> None:
    creators = full_set
    sizes = {q.niche: len(relevant(creators, q)) for q in QUERIES}
    assert len(QUERIES) >= 25
    assert sum(n >= 10 for n in sizes.values()) >= 0.9 * len(QUERIES), sizes
    assert all(n < len(creators) / 10 for n in sizes.values()), sizes  # a niche, not everyone


@pytest.mark.bench
def test_the_benchmark_runs_end_to_end_on_a_small_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert relevance.main(["--creators", "300", "--queries", "3", "--worst", "2"]) == 0
    out = capsys.readouterr().out
    assert "| precision@10, mean over queries |" in out and "| current | naive |" in out
    for q in QUERIES[:3]:
        assert f"| {q.niche} |" in out
    assert "Worst 2 queries for `current`" in out
