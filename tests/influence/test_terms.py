"""Text to terms, synonyms and relevance: the pure half of niche matching."""

from __future__ import annotations

import pytest

from influencer_bot.influence.errors import UserError
from influencer_bot.influence.scoring import relevance
from influencer_bot.influence.segment import split_compound
from influencer_bot.influence.synonyms import BUILTIN, Synonyms, parse_lines, parse_pair, with_groups
from influencer_bot.influence.terms import creator_terms, niche_words, phrase_term


def terms_of(topics=None, category=None, bio=None):
    return set(creator_terms(topics, category, bio))


@pytest.mark.parametrize("text", ["#veganbaking", "#veganbakingrecipes", "vegan bakes", "Baking VEGAN cakes",
                                  "#VeganBaking", "végan bäking"])
def test_every_spelling_of_vegan_baking_yields_both_words(text):
    assert {"vegan", "bake"} <= terms_of(topics=text)


def test_compound_hashtags_split_into_known_words_and_stay_whole():
    assert split_compound("veganbakingrecipes") == ["vegan", "baking", "recipes"]
    assert split_compound("mechanicalkeyboards") == ["mechanical", "keyboards"]
    assert split_compound("wanderlust") == ["wanderlust"]  # a word in its own right stays whole
    assert split_compound("keebs") == ["keebs"]  # nothing sensible to split
    assert "veganbak" in terms_of(topics="#veganbaking")


def test_hyphens_spaces_and_hashtags_join_into_one_term():
    assert phrase_term("plant-based") == phrase_term("plant based") == phrase_term("#PlantBased") == "plantbas"
    assert "plantbas" in terms_of(bio="Plant-based desserts")
    assert "plantbas" in terms_of(topics="#plantbasedrecipes")
    assert [w.term for w in niche_words("plant-based desserts")] == ["plantbas", "dessert"]


def test_fields_keep_their_best_weight():
    terms = creator_terms("#vegan", "Food & Drink", "vegan food in Leeds")
    assert terms["vegan"] == 100 and terms["food"] == 80 and terms["leed"] == 60


def test_niche_words_drop_stop_words_and_repeats():
    assert [w.term for w in niche_words("the Baking of baking")] == ["bake"]


def test_synonyms_work_both_ways_one_hop():
    table = Synonyms.of([parse_pair("plant-based = vegan"), parse_pair("vegan = dairy free")])
    assert table.expand("vegan") == {"vegan", "plantbas", "dairyfre"}
    assert table.expand("plantbas") == {"plantbas", "vegan"}  # not on to dairy free


def test_builtin_groups_are_one_indexed_term():
    assert BUILTIN.expand("bake") == BUILTIN.expand("dessert") == {"~bake"}
    assert BUILTIN.expand("vegan") == {"vegan"}
    terms = with_groups(creator_terms("#vegandesserts", None, "I love baking"))
    assert terms["~bake"] == 100 and terms["bake"] == 60


@pytest.mark.parametrize("text, message", [
    ("vegan", "joined by"), ("= vegan", "joined by"), ("vegan = vegans", "already the same word"),
    ("a = b = c", "one “=”"), ("x" * 70 + " = vegan", "too long"),
])
def test_bad_synonyms_say_what_is_wrong(text, message):
    with pytest.raises(UserError, match=message):
        parse_pair(text)


def test_synonym_file_lines():
    pairs = parse_lines(["# comment", "", "vegan = plant-based, plantbased  # same thing", "keto = low carb"])
    assert {(p.term, p.synonym_term) for p in pairs} == {("vegan", "plantbas"), ("keto", "lowcarb")}
    with pytest.raises(ValueError, match="line 1"):
        parse_lines(["no equals sign"])


def test_relevance_ranks_all_words_above_some_whatever_the_field():
    all_in_bio = relevance([60, 60])
    some_in_topics = relevance([100, 0])
    assert 0.5 <= all_in_bio < relevance([100, 80]) < relevance([100, 100]) == 1.0
    assert some_in_topics < 0.5 <= all_in_bio
    assert relevance([100, 100, 0]) < relevance([60, 60, 60])
    assert relevance([]) == 0.0
