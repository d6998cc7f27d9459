"""A niche read as concepts (influence/concepts.py), repeated mentions (synonyms.repeated), and the
whole-first choice (pool_choice.choose_whole_first): examples of their own, not the relevance set's."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from influencer_bot.influence.concepts import niche_concepts
from influencer_bot.influence.pool_choice import choose_whole_first
from influencer_bot.influence.synonyms import BUILTIN, REPEATED, Synonyms, parse_pair, repeated, with_groups
from influencer_bot.influence.terms import creator_terms, mentions, phrase_term


def _df(table: dict[str, int]):
    return lambda terms: {t: table.get(t, 0) for t in terms}


def _read(niche: str, df: dict[str, int], creators: int = 1_000, synonyms: Synonyms = BUILTIN):
    return niche_concepts(niche, _df(df), creators, synonyms)


def test_a_frequent_pair_is_one_concept_and_a_rare_one_two():
    df = {phrase_term("cold brew"): 40, "cold": 60, "brew": 45, "recip": 200, phrase_term("ceramic mugs"): 1}
    concepts = _read("cold brew recipes", df)
    assert [c.label for c in concepts] == ["cold brew", "recipes"]
    assert "cold" not in concepts[0].alternatives and "brew" not in concepts[0].alternatives
    assert [c.label for c in _read("ceramic mugs", df)] == ["ceramic", "mugs"]  # one creator: not a phrase


def test_overlapping_pairs_keep_the_more_frequent_phrase():
    df = {phrase_term("iced matcha"): 4, phrase_term("matcha latte"): 30}
    assert [c.label for c in _read("iced matcha latte", df)] == ["iced", "matcha latte"]


def test_filler_and_generic_words_carry_no_concept():
    df = {"instagood": 700, "potteri": 30}
    assert [c.label for c in _read("Lisbon based pottery", {"lisbon": 5, **df})] == ["lisbon", "pottery"]
    assert [c.label for c in _read("instagood pottery", df)] == ["pottery"]  # 70% of the workspace
    assert [c.label for c in _read("based", df)] == ["based"]  # nothing else: kept


def test_a_broader_builtin_synonym_does_not_satisfy_a_narrow_word():
    espresso = _read("espresso", {"espresso": 40, "coffe": 500, "barista": 30})[0]
    assert "coffe" not in espresso.alternatives and "barista" in espresso.alternatives
    coffee = _read("coffee", {"espresso": 40, "coffe": 500, "barista": 30})[0]
    assert coffee.alternatives == {"coffe", "~coffe"}  # every member is narrower: the group's one term


def test_an_added_synonym_always_counts():
    table = BUILTIN.with_pairs([parse_pair("stoneware = pottery")])
    (concept,) = _read("pottery", {"potteri": 30, "stonewar": 900}, synonyms=table)
    assert "stonewar" in concept.alternatives


def test_a_term_counts_as_repeated_only_in_two_mentions():
    def marked(topics: str, bio: str = "") -> set[str]:
        terms = with_groups(creator_terms(topics, None, bio))
        return {t.removeprefix(REPEATED) for t in repeated(terms, mentions(topics, None, bio))}

    once = marked("#roadtrip #vanlife #sourdoughstarter #campfire")
    assert "sourdough" not in once and "vanlif" not in once
    assert "sourdough" in marked("#sourdough #sourdoughstarter #campfire")
    assert "sourdough" in marked("#sourdoughbread", bio="Sourdough every Sunday")  # a tag and the bio
    assert "~bake" in marked("#bakery #pastry")  # two words of one built-in group


def _brute(prices, values, whole, budget, k):
    """The lexicographic optimum by enumeration: best whole-match value, then best total."""
    best = None
    n = len(prices)
    for r in range(k + 1):
        for s in itertools.combinations(range(n), r):
            if sum(prices[i] for i in s) > budget:
                continue
            w = round(sum(values[i] for i in s if whole[i]), 6)
            t = round(sum(values[i] for i in s), 6)
            if best is None or (w, t) > best:
                best = (w, t)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_whole_first_is_exact_for_its_objective(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 9)
    prices = np.array([rng.randint(1, 50) * 100 for _ in range(n)], dtype=np.int64)
    values = np.array([rng.uniform(1, 100) for _ in range(n)])
    whole = np.array([rng.random() < 0.5 for _ in range(n)])
    budget, k = rng.randint(100, 8_000), rng.randint(1, 4)
    sel, _ = choose_whole_first(np.arange(n, dtype=np.uint32), prices, values, whole, budget, k)
    chosen = [int(key) for key in sel.keys]
    assert sel.optimal and sum(prices[chosen]) <= budget and len(chosen) <= k
    got = (round(sum(values[i] for i in chosen if whole[i]), 6), round(sum(values[chosen]), 6))
    assert got == _brute(prices.tolist(), values.tolist(), whole.tolist(), budget, k)
    left = budget - sum(prices[chosen])
    assert len(chosen) == k or not any(whole[i] and prices[i] <= left for i in range(n) if i not in chosen)
