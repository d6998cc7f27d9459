"""`/influencer why @handle` and the shortlist's "Why not…?" button, through signed requests.

The creators' numbers are chosen so each answer can be checked by hand: a baker's expected
engagements are its likes + comments a post (12 posts sampled: no shrinking, no flags), and a
creator tagged #veganbaking matches both words of "vegan baking" in its topics (relevance 1).
"""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of
from influencer_bot.influence.platforms import Platform

# a and b are the best pair for $2,000 and two places (5,000 for $1,790); x is worse in either place
A = baker("apricot", 20_000, 2_590, price_usd=790)  # 2,600 expected engagements
B = baker("brioche", 20_000, 2_390, price_usd=1_000)  # 2,400
X = baker("xanthan", 20_000, 1_890, price_usd=800)  # 1,900


def _answer(exchange) -> str:
    """The private answer: the ack's text, or what came back through the response_url (blocks validated)."""
    parts = [exchange.ack.get("text", "")] if exchange.ack else []
    for call in exchange.calls:
        if call["method"] in ("response_url", "chat.postEphemeral"):
            params = call["params"]
            assert params.get("response_type", "ephemeral") == "ephemeral"
            for block in params.get("blocks") or []:
                Block.parse(block).validate_json()
                parts.append(block.get("text", {}).get("text", "") if block["type"] != "context"
                             else block["elements"][0]["text"])
            parts.append(params.get("text", ""))
    return "\n".join(parts)


def _shortlist(driver, text: str) -> dict:
    driver.command(f"find {text}")
    message = driver.messages()[-1]
    assert message.get("blocks"), f"no shortlist for {text!r}: {message}"
    return message


def test_the_swap_that_kept_it_out_with_both_sides_numbers(driver, session_factory):
    add(session_factory, TEAM, A, B, X)
    _shortlist(driver, "vegan baking 2000 max:2")
    said = _answer(driver.command("why @xanthan"))
    assert "*@xanthan* (Instagram) is not on it: a better set fits the budget without it." in said
    assert "Adding it breaks the limit of 2 creators and the budget (it costs $800; $210 is left)." in said
    # the pick it could replace at the least loss: brioche (2,400), not apricot (2,600)
    assert ("@xanthan gives 1,900 expected engagements for $800; the pick it would replace, @brioche, "
            "gives 2,400 for $1,000.") in said
    # exactly: xanthan + the best single creator within $1,200 (apricot) = 4,500, against 5,000
    assert "The best shortlist with @xanthan gives 4,500 expected engagements; the best without it, 5,000 (500 more)." in said


def test_no_single_swap_fits_the_budget(driver, session_factory):
    add(session_factory, TEAM, A, B, baker("xanthan", 20_000, 1_890, price_usd=1_300))
    _shortlist(driver, "vegan baking 2000 max:3")
    said = _answer(driver.command("why xanthan"))
    assert "Adding it breaks the budget (it costs $1,300; $210 is left)." in said
    assert ("No single swap fits the budget: even in place of the priciest pick, @brioche ($1,000), $1,210 "
            "would be left, short of its $1,300.") in said
    # with it, $700 is left for two places, and neither other creator fits: 1,900 against 5,000
    assert "gives 1,900 expected engagements; the best without it, 5,000 (3,100 more)." in said


def test_a_partial_match_is_behind_the_whole_matches_that_fill_the_list(driver, session_factory):
    add(session_factory, TEAM, A, B, baker("yeasty", 20_000, 7_590, price_usd=800, topics="#baking #bread #baking",
                                            bio="Bread every day"))
    _shortlist(driver, "vegan baking 2000 max:3")
    said = _answer(driver.command("why @yeasty"))
    # far more engagements than either pick, but only "baking": the two whole matches come first
    assert ("It is a partial match of “vegan baking”: only “baking” (a part counts once a creator mentions it at "
            "least twice). Whole matches come first: the best 2 take $1,790, leaving $210 and 1 place for partial "
            "matches.") in said
    assert "Adding it breaks the budget (it costs $800; $210 is left)." in said
    assert "What the whole matches leave cannot include @yeasty: `match:any` ranks every creator together." in said


def test_with_match_any_a_partial_match_shows_its_relevance_arithmetic(driver, session_factory):
    add(session_factory, TEAM, A, B, baker("yeasty", 20_000, 7_590, price_usd=800, topics="#baking #bread",
                                            bio="Bread every day"))
    _shortlist(driver, "vegan baking 2000 max:2 match:any")
    said = _answer(driver.command("why @yeasty"))
    # baking only, in its topics: 0.5 × (0 + 100) / 200 = 0.25 of its 7,600
    assert ("It matches only “baking” of “vegan baking”, so it counts at relevance 0.25: "
            "7,600 expected engagements a post × 0.25 = 1,900.") in said
    assert "@yeasty gives 1,900 expected engagements for $800" in said


def test_not_in_the_niche_shows_its_nearest_terms(driver, session_factory):
    add(session_factory, TEAM, A, baker("keebs", 30_000, 900, price_usd=200, topics="#mechanicalkeyboards #keebs",
                                        bio="Keyboards, switches and keycaps"))
    _shortlist(driver, "vegan baking 2000")
    said = _answer(driver.command("why @keebs"))
    assert "*@keebs* (Instagram) doesn't match “vegan baking”: its topics, category and bio say none of “vegan”" in said
    assert "nor “baking”" in said
    assert "Its nearest terms" not in said  # nothing comes close
    assert "Its top terms: #mechanicalkeyboards, #keebs." in said


def test_a_near_miss_in_another_language_is_shown_as_nearest(driver, session_factory):
    add(session_factory, TEAM, A, baker("dulcevegano", 20_000, 900, price_usd=200, topics="#vegano #reposteria #postres",
                                        bio="Recetas sin huevo ni leche"))
    _shortlist(driver, "vegan baking 2000")
    said = _answer(driver.command("why @dulcevegano"))
    assert "Its nearest terms: #vegano (close in spelling, not the same word" in said
    assert "Its top terms: #vegano, #reposteria, #postres." in said


@pytest.mark.parametrize("creator, find, expected", [
    (baker("pricey", 20_000, 5_000, price_usd=6_000), "vegan baking 2000",
     "*@pricey* (Instagram) costs $6,000 (quoted), above the whole budget of $2,000."),
    (baker("tiny", 640, 100, price_usd=50), "vegan baking 2000",
     "has 640 followers, under 1,000: emerging creators are left out unless a search asks for `tier:emerging`."),
    (baker("bots", 20_000, 20, price_usd=100, comments=10), "vegan baking 2000",
     "has a blocking quality flag, which keeps it off every shortlist:\n• :no_entry: engagement 0.15% is 0.05× the "
     "micro median (2.8%)"),
    (baker("silent", 20_000, None, price_usd=100, comments=None), "vegan baking 2000",
     "has no usable metrics: no engagement numbers (likes, comments or views)."),
    (baker("lukewarm", 20_000, 390, price_usd=100), "vegan baking 2000 min-er:5",
     "engages 2.00% of its audience, below this shortlist's `min-er:5`."),
    (baker("bigbake", 150_000, 3_000, price_usd=900), "vegan baking 2000 tier:micro",
     "is macro (150,000 followers), and this shortlist asked for `tier:micro`."),
    (baker("toktok", 20_000, 800, price_usd=100, platform=Platform.TIKTOK), "vegan baking 2000 platform:instagram",
     "*@toktok* (TikTok) is on TikTok, and this shortlist asked for `platform:instagram`."),
])
def test_each_exclusion_is_said_with_its_numbers(driver, session_factory, creator, find, expected):
    add(session_factory, TEAM, A, creator)
    _shortlist(driver, find)
    said = _answer(driver.command(f"why @{creator.handle}"))
    assert expected in said


def test_a_recent_rejection_names_who_when_and_until(driver, session_factory):
    add(session_factory, TEAM, A, X)
    first = _shortlist(driver, "vegan baking 5000")
    reject = next(b for b in buttons_of(first, driver.channel_id) if b.text == "Reject" and "xanthan" in str(
        next(bl for bl in first["blocks"] if bl.get("block_id") == b.block_id.replace(".actions", ""))))
    driver.reject(reject, user_id="UMANAGER")
    _shortlist(driver, "vegan baking 5000")
    said = _answer(driver.command("why @xanthan"))
    assert "*@xanthan* (Instagram) was rejected (off-brand) by <@UMANAGER> · <!date^" in said
    assert "for “vegan baking”: creators rejected for “off-brand” are left out for 90 days (this one until <!date^" in said


def test_a_creator_on_the_list_is_said_to_be_there_with_its_status(driver, session_factory):
    add(session_factory, TEAM, A, X)
    message = _shortlist(driver, "vegan baking 5000")
    approve = next(b for b in buttons_of(message, driver.channel_id) if b.text == "Approve")  # the first: apricot
    driver.click(approve, user_id="UMANAGER")
    assert "*@apricot* (Instagram) is on this shortlist (#1), approved by <@UMANAGER>" in _answer(
        driver.command("why @apricot"))
    assert "*@xanthan* (Instagram) is on this shortlist (#2), waiting for Approve or Reject." in _answer(
        driver.command("why not @xanthan"))


def test_no_shortlist_in_the_channel_and_unknown_handles_say_what_works(driver, session_factory):
    add(session_factory, TEAM, A, X)
    said = _answer(driver.command("why @apricot"))
    assert "There is no shortlist in this channel yet" in said and "Try: `/influencer find vegan baking 2000`" in said
    _shortlist(driver, "vegan baking 5000")
    said = _answer(driver.command("why @apricott"))
    assert "No creator @apricott in this workspace. Did you mean @apricot?" in said
    assert "Try: `/influencer why @apricot`" in said
    # another channel of the same workspace has its own latest shortlist: none
    assert "There is no shortlist in this channel yet" in _answer(driver.command("why @apricot", channel_id="C0OTHER"))


def test_another_workspaces_shortlist_in_the_same_channel_is_never_used(driver, services, slack, session_factory):
    add(session_factory, OTHER_TEAM, A, X)
    with LocalDriver(services, team_id=OTHER_TEAM, slack=slack) as other:
        other.command("find vegan baking 5000")
    add(session_factory, TEAM, baker("apricot", 20_000, 800, price_usd=50))
    said = _answer(driver.command("why @apricot"))
    assert "There is no shortlist in this channel yet" in said
    _shortlist(driver, "vegan baking 5000")
    assert "No creator @xanthan in this workspace." in _answer(driver.command("why @xanthan"))


@pytest.mark.parametrize("text, expected", [
    ("why", "Which creator? Give a handle."),
    ("why @a b c", "A handle is one word"),
    ("why @apricot myspace", "“myspace” is not a platform"),
    ("why @<script>", "is not a valid handle"),
])
def test_bad_input_is_answered_in_the_ack_with_an_example(driver, text, expected):
    exchange = driver.command(text)
    assert expected in exchange.ack["text"] and "Try: `/influencer why @veganbakes" in exchange.ack["text"]
    assert [c["method"] for c in exchange.calls if c["method"] != "auth.test"] == []


def _why_not_button(message, channel):
    (button,) = [b for b in buttons_of(message, channel) if b.text == "Why not…?"]
    return button


def _submit(driver, view, typed: str):
    return driver.submit_view(view, {"why_not.handle": {"why_not.handle": {"type": "plain_text_input",
                                                                           "value": typed}}})


def test_the_button_opens_a_modal_whose_answer_comes_privately_in_the_channel(driver, session_factory):
    add(session_factory, TEAM, A, B, X)
    message = _shortlist(driver, "vegan baking 2000 max:2")
    driver.click(_why_not_button(message, driver.channel_id))
    (view,) = driver.opened_views()
    View(**view).validate_json()
    assert view["callback_id"] == "shortlist.why_not" and "vegan baking" in view["blocks"][0]["text"]["text"]
    done = _submit(driver, view, " @Xanthan  instagram ")
    assert done.status == 200 and not done.ack  # the modal closes
    (answer,) = [c for c in done.calls if c["method"] == "chat.postEphemeral"]
    assert answer["params"]["channel"] == driver.channel_id and answer["params"]["user"] == driver.user_id
    said = _answer(done)
    assert "the pick it would replace, @brioche, gives 2,400 for $1,000." in said


def test_the_modal_shows_bad_input_on_its_field(driver, session_factory):
    add(session_factory, TEAM, A, X)
    message = _shortlist(driver, "vegan baking 5000")
    driver.click(_why_not_button(message, driver.channel_id))
    (view,) = driver.opened_views()
    for typed, expected in [("", "Which creator?"), ("two words here", "A handle is one word"),
                            ("@xanthan myspace", "is not a platform"), ("@xanthn", "Did you mean @xanthan?")]:
        done = _submit(driver, view, typed)
        assert done.ack["response_action"] == "errors", typed
        assert expected in done.ack["errors"]["why_not.handle"], typed
        assert not [c for c in done.calls if c["method"] == "chat.postEphemeral"]


def test_a_forged_modal_for_another_workspaces_shortlist_is_refused(driver, services, slack, session_factory):
    add(session_factory, OTHER_TEAM, A, X)
    with LocalDriver(services, team_id=OTHER_TEAM, slack=slack) as other:
        other.command("find vegan baking 5000")
        other.click(_why_not_button(other.messages()[-1], other.channel_id))
        (view,) = other.opened_views()
    done = _submit(driver, view, "@xanthan")  # submitted as a user of TEAM
    assert done.ack["response_action"] == "errors" and "no longer valid" in done.ack["errors"]["why_not.handle"]


def test_room_freed_by_a_rejection_is_said_with_what_is_left(driver, session_factory):
    add(session_factory, TEAM, A, B, X)
    message = _shortlist(driver, "vegan baking 2000 max:2")
    reject = [b for b in buttons_of(message, driver.channel_id) if b.text == "Reject"][1]  # brioche, #2
    driver.reject(reject, user_id="UMANAGER")
    said = _answer(driver.command("why @xanthan"))
    assert ("It fits in what is left ($1,210, 1 free place): rejections have freed room since: "
            "*Replace rejected* would consider it.") in said


def test_a_partial_match_when_whole_matches_fill_every_place(driver, session_factory):
    add(session_factory, TEAM, A, B, baker("yeasty", 20_000, 7_590, price_usd=100, topics="#baking #bread #baking",
                                            bio="Bread every day"))
    _shortlist(driver, "vegan baking 5000 max:2")
    said = _answer(driver.command("why @yeasty"))
    assert "Whole matches come first: the best 2 take $1,790, leaving no room for partial matches." in said
    assert "gives" not in said.split("Whole matches come first")[1]  # no swap offered across the two groups
