"""Every button (and the campaign modal) reads its value through one typed reference, re-read in the
clicker's workspace: a stale, forged or malformed value gets the same private answer, and changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from conftest import OTHER_TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import Button, LocalDriver, buttons_of
from influencer_bot.handlers import button_values
from influencer_bot.handlers.button_values import STALE, ItemRef, ShortlistRef
from influencer_bot.handlers.ids import ActionId, BlockId
from influencer_bot.storage.models import CampaignMember, Decision, Shortlist, ShortlistItem, ShortlistRound

BUTTONS = [ActionId.APPROVE, ActionId.REJECT, ActionId.REPLACE_REJECTED, ActionId.ADD_TO_CAMPAIGN]
MODAL = "modal"  # the add-to-campaign modal's private_metadata
EVERY_LISTENER = [*BUTTONS, MODAL]
PICK = BlockId.CAMPAIGN_PICK.value


def _malformed(real: str) -> dict[str, str | None]:
    """Bad values shaped like `real` (a genuine value): each id replaced, or no JSON object at all."""
    keys = list(json.loads(real))

    def each(bad: object) -> str:
        return json.dumps({k: bad for k in keys})

    return {
        "missing": None, "empty": "", "not JSON": "not json", "JSON null": "null", "a bare id": "7",
        "a list": "[7]", "a string id": each("7"), "negative": each(-7), "zero": each(0), "boolean": each(True),
        "float": each(7.0), "2^63": each(2**63), "huge": each(10**30), "infinity": each(float("inf")),
        "an object": each({"id": 7}), "too deep for the parser": "[" * 1000 + "]" * 1000,
        "deeply nested id": '{"%s":%s%s}' % (keys[-1], "[" * 900, "]" * 900),
        "too long": json.dumps({**json.loads(real), "padding": "x" * 2_000}),
    }


def _world(driver, session_factory) -> None:
    """A shortlist with every button on it: one creator proposed, one rejected, and
    a campaign to pick that the shortlist is not attached to yet."""
    add(session_factory, driver.team_id, baker("top", 20_000, 1_600, price_usd=900),
        baker("second", 20_000, 1_200, price_usd=800), baker("third", 20_000, 1_000, price_usd=700))
    driver.command('campaign new "Vegan baking launch" 5000')
    driver.command("find vegan baking 2000 max:2")
    reject = [b for b in _buttons(driver) if b.action_id == ActionId.REJECT][-1]
    driver.reject(reject)


def _buttons(driver) -> list[Button]:
    message = next(m for m in reversed(driver.messages()) if m.get("text", "").startswith("Shortlist"))
    return buttons_of(message, driver.channel_id)


def _button(driver, action_id: str) -> Button:
    return next(b for b in _buttons(driver) if b.action_id == action_id)


def _state(session_factory) -> dict[str, list]:
    """Everything a click could change, in every workspace."""
    with session_factory() as s:
        return {
            "decisions": s.execute(select(Decision.team_id, Decision.shortlist_item_id, Decision.decision)).all(),
            "items": s.execute(select(ShortlistItem.id, ShortlistItem.team_id, ShortlistItem.status)
                               .order_by(ShortlistItem.id)).all(),
            "rounds": s.execute(select(ShortlistRound.shortlist_id, ShortlistRound.round)).all(),
            "campaigns": s.execute(select(Shortlist.id, Shortlist.campaign_id).order_by(Shortlist.id)).all(),
            "members": s.execute(select(CampaignMember.id)).all(),
        }


def _modal(driver) -> dict:
    """The add-to-campaign modal, opened with a genuine click."""
    before = len(driver.opened_views())
    driver.click(_button(driver, ActionId.ADD_TO_CAMPAIGN))
    (view,) = driver.opened_views()[before:]
    return view


def _submit(driver, view: dict, metadata: str | None):
    sent = {k: v for k, v in view.items() if k != "private_metadata"}
    if metadata is not None:
        sent["private_metadata"] = metadata
    option = view["blocks"][1]["element"]["options"][0]
    return driver.submit_view(sent, {PICK: {ActionId.PICK_CAMPAIGN.value: {"selected_option": option}}})


def _use(driver, listener: str, value: str | None):
    """Click `listener`'s button (or submit its modal) in `driver`'s workspace, carrying `value`."""
    if listener == MODAL:
        return _submit(driver, _modal(driver), value)
    return driver.click(replace(_button(driver, listener), value=value))


def _genuine(driver, listener: str) -> str:
    return _modal(driver)["private_metadata"] if listener == MODAL else _button(driver, listener).value


def _assert_stale_answer(listener: str, exchange) -> None:
    assert exchange.status == 200
    if listener == MODAL:
        assert exchange.ack == {"response_action": "errors", "errors": {PICK: STALE}}
        assert exchange.calls == []
        return
    (reply,) = exchange.calls  # one private reply, and nothing else sent: no update, no modal
    assert reply["method"] == "response_url"
    assert reply["params"] == {"text": f":warning: {STALE}", "response_type": "ephemeral",
                               "replace_original": False}


@pytest.mark.parametrize("listener", EVERY_LISTENER)
def test_malformed_values_get_the_stale_answer_and_change_nothing(driver, session_factory, listener):
    _world(driver, session_factory)
    before = _state(session_factory)
    for case, bad in _malformed(_genuine(driver, listener)).items():
        exchange = _use(driver, listener, bad)
        try:
            _assert_stale_answer(listener, exchange)
        except AssertionError as failure:
            raise AssertionError(f"{case}: {bad!r:.80}: {exchange}") from failure
        assert _state(session_factory) == before, case


@pytest.fixture
def two_workspaces(driver, services, session_factory, slack):
    """Our workspace and another one, each with a shortlist carrying every button."""
    with LocalDriver(services, team_id=OTHER_TEAM, channel_id="C0OTHER", slack=slack) as other:
        _world(other, session_factory)
        _world(driver, session_factory)
        yield driver, other


def _forgeries(ours: dict, theirs: dict) -> list[dict]:
    """Values pointing at the other workspace's rows: wholly, or one id of theirs mixed with ours."""
    return [theirs] + [{**ours, key: theirs[key]} for key in ours if len(ours) > 1]


@pytest.mark.parametrize("listener", EVERY_LISTENER)
def test_a_value_forged_to_point_into_another_workspace_changes_nothing_in_either(
        two_workspaces, session_factory, listener):
    ours, other = two_workspaces
    theirs = json.loads(_genuine(other, listener))
    for forged in _forgeries(json.loads(_genuine(ours, listener)), theirs):
        before = _state(session_factory)
        exchange = _use(ours, listener, json.dumps(forged))
        _assert_stale_answer(listener, exchange)
        assert _state(session_factory) == before, forged


@pytest.mark.parametrize("listener", EVERY_LISTENER)
def test_a_value_whose_row_is_gone_gets_the_stale_answer(driver, session_factory, listener):
    _world(driver, session_factory)
    genuine = json.loads(_genuine(driver, listener))
    for gone in ({k: v + 1_000 for k, v in genuine.items()}, dict.fromkeys(genuine, 2**63 - 1)):  # the largest id
        _assert_stale_answer(listener, _use(driver, listener, json.dumps(gone)))


@pytest.mark.parametrize("listener", BUTTONS)
def test_genuine_values_reach_their_listener(driver, session_factory, listener):
    _world(driver, session_factory)
    exchange = driver.click(_button(driver, listener))
    sent = [c["method"] for c in exchange.calls]
    expected = {ActionId.APPROVE: "chat.update", ActionId.REJECT: "views.open",
                ActionId.REPLACE_REJECTED: "chat.update", ActionId.ADD_TO_CAMPAIGN: "views.open"}[listener]
    assert expected in sent and STALE not in json.dumps(exchange.calls)


def test_a_modal_opened_before_the_metadata_change_still_submits(driver, session_factory):
    """Modals opened before carried the channel in their metadata too: it still reads, and the
    confirmation goes to the shortlist's channel as re-read from the database."""
    _world(driver, session_factory)
    view = _modal(driver)
    old = json.dumps({**json.loads(view["private_metadata"]), "channel": "CELSEWHERE"})
    exchange = _submit(driver, view, old)
    assert exchange.status == 200 and not exchange.ack
    (confirm,) = [c for c in exchange.calls if c["method"] == "chat.postEphemeral"]
    assert confirm["params"]["channel"] == driver.channel_id
    with session_factory() as s:
        assert s.scalar(select(Shortlist.campaign_id)) is not None


def test_values_are_small_json_of_ids_built_and_read_by_one_definition():
    for ref in (ItemRef(shortlist_id=7, item_id=2**63 - 1), ShortlistRef(shortlist_id=1)):
        value = ref.value()
        assert type(ref).parse(value) == ref and len(value) < 100
    assert ItemRef(7, 42).value() == '{"shortlist":7,"item":42}'  # the format messages already in Slack carry
    assert ShortlistRef(7).value() == '{"shortlist":7}'
    assert ShortlistRef.parse('{"shortlist":7,"channel":"C1"}') == ShortlistRef(7)  # older keys are ignored
    assert ItemRef.parse('{"item":42}') is None  # but every id the reference needs must be there


def test_a_submission_without_a_campaign_chosen_is_told_so_on_the_field(driver, session_factory):
    _world(driver, session_factory)
    view = _modal(driver)
    exchange = driver.submit_view(view, {PICK: {ActionId.PICK_CAMPAIGN.value: {"selected_option": None}}})
    assert exchange.ack == {"response_action": "errors", "errors": {PICK: "Choose a campaign."}}
    with session_factory() as s:
        assert s.scalar(select(Shortlist.campaign_id)) is None


@pytest.mark.parametrize("listener", EVERY_LISTENER)
def test_a_re_read_that_fails_is_an_apology_with_an_error_id_not_a_500(driver, session_factory, monkeypatch,
                                                                       listener):
    _world(driver, session_factory)
    view = _modal(driver) if listener == MODAL else None

    def broken(*args: object) -> None:
        raise RuntimeError("database exploded: secret details")

    monkeypatch.setattr(button_values, "find_item", broken)
    monkeypatch.setattr(button_values, "find_shortlist", broken)
    exchange = _submit(driver, view, view["private_metadata"]) if view else driver.click(_button(driver, listener))
    assert exchange.status == 200
    said = json.dumps([exchange.ack, exchange.calls])
    assert "Sorry, something went wrong" in said and "error id" in said and "secret" not in said
