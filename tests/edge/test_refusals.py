"""What Slack would never send, signed anyway: a clear refusal, never a 500, a traceback or a row."""

from __future__ import annotations

import io
import json

import pytest

from conftest import TEAM
from edge_server import log_text  # noqa: F401  (fixture)
from edge_world import FORM, click_payload, send, shortlist_world, state, submission_payload
from influencer_bot.bot.edge import MAX_BODY_BYTES, SlackEdge
from influencer_bot.bot.local.signing import edge_environ, sign_raw, sign_request, slash_command_body
from influencer_bot.handlers.button_values import STALE
from influencer_bot.handlers.ids import ActionId, BlockId


def _approve(buttons):
    return next(b for b in buttons if b.action_id == ActionId.APPROVE)


@pytest.mark.parametrize("user", [None, {}, {"name": "someone"}, {"id": ""}, {"id": "not-a-user-id"}],
                         ids=["no user", "empty user", "user without id", "empty id", "malformed id"])
def test_a_click_that_does_not_say_who_clicked_is_refused_and_records_nothing(driver, session_factory, user):
    payload = click_payload(driver, _approve(shortlist_world(driver, session_factory)))
    before = state(session_factory)
    payload.pop("user") if user is None else payload.update(user=user)
    exchange = send(driver, payload)
    assert exchange.status == 400 and exchange.calls == []
    assert state(session_factory) == before  # not recorded as the message's author (the bot)


def test_the_same_click_naming_its_clicker_is_recorded_for_them(driver, session_factory):
    exchange = send(driver, click_payload(driver, _approve(shortlist_world(driver, session_factory)), "UMANAGER"))
    assert exchange.status == 200
    assert [d.user_id for d in state(session_factory)["decisions"]] == ["UMANAGER"]


@pytest.mark.parametrize("value", [json.dumps({"shortlist": 2**63, "item": 2**63}), '{"shortlist":-1,"item":-5}',
                                   '{"shortlist":"1","item":"x"}', "[" * 40 + "]" * 40],
                         ids=["2^63", "negative", "not numbers", "nested"])
def test_out_of_range_ids_get_the_private_stale_answer(driver, session_factory, value):
    payload = click_payload(driver, _approve(shortlist_world(driver, session_factory)))
    before = state(session_factory)
    payload["actions"][0]["value"] = value
    exchange = send(driver, payload)
    assert exchange.status == 200
    assert [c["params"]["text"] for c in exchange.calls] == [f":warning: {STALE}"]
    assert state(session_factory) == before


@pytest.mark.parametrize("picked", ["99999999999999999999999", str(2**63), "-3", 7.5, True, None, ["1"], "1e3"])
def test_a_campaign_pick_out_of_range_is_answered_on_the_field(driver, session_factory, picked, log_text):
    buttons = shortlist_world(driver, session_factory)
    driver.click(next(b for b in buttons if b.action_id == ActionId.ADD_TO_CAMPAIGN))
    (view,) = driver.opened_views()
    before = state(session_factory)
    exchange = send(driver, submission_payload(driver, view, picked))
    assert exchange.status == 200
    assert exchange.ack == {"response_action": "errors", "errors": {BlockId.CAMPAIGN_PICK.value: "Choose a campaign."}}
    assert state(session_factory) == before and "Traceback" not in log_text()


MISSING = {
    "no actions": lambda p: p.pop("actions"),
    "empty actions": lambda p: p.update(actions=[]),
    "an action that is text": lambda p: p.update(actions=["approve"]),
    "no action_id": lambda p: p["actions"][0].pop("action_id"),
    "a numeric value": lambda p: p["actions"][0].update(value=12),
    "no team anywhere": lambda p: (p.pop("team"), p["user"].pop("team_id")),
    "a team that is a list": lambda p: p.update(team=[TEAM]),
    "no type": lambda p: p.pop("type"),
    "a message that is text": lambda p: p.update(message="hi"),
    "deep nesting": lambda p: p.update(extra=json.loads("[" * 200 + "]" * 200)),
    "a NUL in a field": lambda p: p["actions"][0].update(block_id="a\x00b"),
}


@pytest.mark.parametrize("damage", MISSING.values(), ids=MISSING.keys())
def test_payloads_with_missing_or_mistyped_fields_are_refused(driver, session_factory, damage, log_text):
    payload = click_payload(driver, _approve(shortlist_world(driver, session_factory)))
    before = state(session_factory)
    damage(payload)
    exchange = send(driver, payload)
    assert exchange.status in (200, 400, 404)  # a refusal, or a listener that does not exist for it
    if exchange.status == 200:
        assert [c["method"] for c in exchange.calls] == ["response_url"]  # the clicker is told, privately
    assert state(session_factory) == before
    assert "Traceback" not in log_text() and "ERROR" not in log_text()


def test_a_command_that_mentions_payload_is_not_lost(driver):
    """Bolt's parser reads any form body containing the word "payload" as an empty interaction."""
    body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text="find payload trackers 2000",
                              response_url=driver.slack.new_response_url(channel="C1", user="U1"))
    exchange = driver.through_edge(body.text.encode(), sign_request(body, driver.signing_secret))
    assert exchange.status == 200 and "payload trackers" in json.dumps(exchange.ack)


class _Unreadable(io.RawIOBase):
    def read(self, *_: object) -> bytes:
        raise AssertionError("the edge read a body it should have refused unread")


def _call(edge: SlackEdge, environ: dict) -> tuple[int, bytes]:
    seen: dict = {}
    body = b"".join(edge(environ, lambda status, headers, *_: seen.update(status=int(status.split()[0]))))
    return seen["status"], body


def test_oversized_and_unsigned_bodies_are_refused_unread(driver):
    edge = SlackEdge(driver.app, signing_secret=driver.signing_secret)
    signed = sign_raw(b"x", FORM, driver.signing_secret)
    over = {**edge_environ(b"", signed), "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1), "wsgi.input": _Unreadable()}
    assert _call(edge, over)[0] == 413
    for headers in ({"Content-Type": FORM}, {**signed, "X-Slack-Request-Timestamp": "1"},
                    {**signed, "X-Slack-Request-Timestamp": "soon"}, {**signed, "X-Slack-Signature": "v0=é" * 20}):
        unsigned = {**edge_environ(b"", headers), "CONTENT_LENGTH": "100", "wsgi.input": _Unreadable()}
        assert _call(edge, unsigned)[0] == 401
    assert _call(edge, {**edge_environ(b"", signed), "CONTENT_LENGTH": "12abc"})[0] == 400


def test_a_body_without_a_length_is_read_only_up_to_the_limit(driver):
    edge = SlackEdge(driver.app, signing_secret=driver.signing_secret, max_body_bytes=1024)
    raw = b"text=" + b"a" * 2000
    chunked = {**edge_environ(raw, sign_raw(raw, FORM, driver.signing_secret)), "CONTENT_LENGTH": ""}
    assert _call(edge, chunked)[0] == 413
    assert _call(edge, {**chunked, "wsgi.input": io.BytesIO(raw), "wsgi.input_terminated": False})[0] == 411


def test_a_lying_content_length_cannot_pass_the_signature(driver):
    raw = b"token=x&text=help"
    environ = {**edge_environ(raw + b"&more=1", sign_raw(raw + b"&more=1", FORM, driver.signing_secret)),
               "CONTENT_LENGTH": str(len(raw))}  # says less than was sent
    assert _call(SlackEdge(driver.app, signing_secret=driver.signing_secret), environ)[0] == 401
