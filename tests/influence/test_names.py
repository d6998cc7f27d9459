"""Names people give things must show something, within their length: one rule, pure."""

from __future__ import annotations

import pytest

from influencer_bot.influence.errors import UserError
from influencer_bot.influence.names import NameRule, name_key, visible_name
from influencer_bot.influence.synonyms import parse_pair
from influencer_bot.storage.campaigns.store import MAX_NAME, NAME_RULE

RULE = NameRule("A campaign name", 20, '/influencer campaign new "Vegan baking launch" 5000', forbidden="<>*`")

INVISIBLE = {
    "one zero-width space": "\u200b",
    "spaces of several kinds": " \u00a0\u2003\u3000 ",
    "a word joiner and a BOM": "\u2060\ufeff",
    "a Hangul filler": "\u3164",
    "a braille blank between spaces": " \u2800 ",
    "a lone combining accent": "\u0301",
    "a right-to-left override and a zero-width joiner": "\u202e\u200d",
    "a soft hyphen": "\u00ad",
    "a tab and a newline": "\t\n",
}


@pytest.mark.parametrize("text", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_of_invisible_characters_is_refused_with_an_example(text):
    with pytest.raises(UserError) as err:
        visible_name(text, RULE)
    assert err.value.example == RULE.example
    assert "visible" in err.value.message or "empty" in err.value.message


@pytest.mark.parametrize("text, stored", [
    ("  Vegan   baking\u200b launch ", "Vegan baking launch"),  # spaces collapse, the zero-width space goes
    ("Café ☕ week", "Café ☕ week"),
    ("Рождество 2026", "Рождество 2026"),
    ("家族👨\u200d👩\u200d👧", "家族👨\u200d👩\u200d👧"),  # the joiner that builds the emoji stays
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian needs its zero-width non-joiner
    ("Q4 — 50%!", "Q4 — 50%!"),
    ("\u3164Launch\u3164", "Launch"),
])
def test_visible_names_are_kept_as_written_once_blanks_are_tidied(text, stored):
    assert visible_name(text, RULE) == stored


@pytest.mark.parametrize("text, says", [
    ("a\x00b", "control"),
    ("bell\x07", "control"),
    ("private \ue000", "control or private"),
    ("x" * 21, "at most 20 characters"),
    ("<script>", "can't contain < > * `"),
])
def test_other_bad_names_say_what_is_wrong(text, says):
    with pytest.raises(UserError) as err:
        visible_name(text, RULE)
    assert says in err.value.message


def test_the_length_counts_what_is_stored_not_invisible_padding():
    assert visible_name("\u200b" * 50 + "x" * 20, RULE) == "x" * 20


def test_names_differing_only_by_case_or_invisible_characters_share_a_key():
    assert name_key("Vegan  Baking\u200b") == name_key("vegan baking") == "vegan baking"


def test_campaigns_and_synonyms_use_the_rule():
    with pytest.raises(UserError, match="visible"):
        visible_name("\u200b", NAME_RULE)
    assert NAME_RULE.max_chars == MAX_NAME
    with pytest.raises(UserError, match="visible"):
        parse_pair("\u200b\u200b = vegan")
    with pytest.raises(UserError, match="at most 60"):
        parse_pair("x" * 61 + " = vegan")
    assert parse_pair("plant\u200b-based = vegan").phrase == "plant-based"
