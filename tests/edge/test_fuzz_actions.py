"""Property: a tampered click or modal submission, signed and sent through the edge and the app, never
gets a 500, never logs an error or a traceback, and changes no row unless it is still a genuine click.

Each example starts from a genuine payload (a click on one of a real shortlist's buttons, or the
add-to-campaign modal submitted) and damages one to three of the fields Slack fills in: deleted, or
replaced by junk (None, booleans, huge and negative ints, floats, Unicode text, lists, objects, deep
nesting, id JSON pointing nowhere). The junk never spells a real id, so whether a payload is still
genuine is known without asking the code under test: its clicker, workspace, action and value are
untouched (the workspace as Bolt resolves it, from `team` or else from `user.team_id`).
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt.request.internals import extract_team_id

from conftest import TEAM
from edge_world import click_payload, examples, send, shortlist_world, state, submission_payload
from influencer_bot.handlers.ids import ActionId

NOT_AN_ID = st.one_of(st.integers(max_value=0), st.integers(min_value=10**6, max_value=2**70))
SCALARS = st.one_of(st.none(), st.booleans(), NOT_AN_ID, st.floats(), st.text(max_size=30).filter(
    lambda t: not t.strip().isdigit()), st.sampled_from(["\ud800", "\x00", "\u200b", "U0LOCAL", "", "null"]))
JUNK = st.one_of(
    st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=3), max_leaves=8),
    st.builds(lambda a, b: json.dumps({"shortlist": a, "item": b}), NOT_AN_ID, NOT_AN_ID),
    st.integers(1, 300).map(lambda depth: json.loads("[" * depth + "]" * depth)),
    st.integers(1, 300).map(lambda depth: "[" * depth + "]" * depth),
)
CLICK_PATHS = ["type", "user", "user.id", "user.team_id", "team", "team.id", "actions", "actions.0",
               "actions.0.action_id", "actions.0.value", "actions.0.block_id", "actions.0.type", "message",
               "message.ts", "message.user", "message.blocks", "container", "channel", "response_url", "trigger_id",
               "enterprise", "is_enterprise_install", "api_app_id"]
VIEW_PATHS = ["type", "user", "user.id", "team", "team.id", "view", "view.callback_id", "view.private_metadata",
              "view.state", "view.state.values", "view.state.values.campaign.pick",
              "view.state.values.campaign.pick.campaign.pick.selected_option",
              "view.state.values.campaign.pick.campaign.pick.selected_option.value", "view.blocks", "trigger_id"]
DELETE = object()
GENUINE = {"block_actions": lambda p: (p["actions"][0]["action_id"], p["actions"][0].get("value")),
           "view_submission": lambda p: (p["view"]["callback_id"], p["view"]["private_metadata"],
                                         p["view"]["state"]["values"])}


def _damage(payload: dict[str, Any], path: str, junk: Any) -> None:
    """Set (or delete) `path` in payload; dotted, with "campaign.pick" kept whole (the block and action ids)."""
    keys = path.replace("campaign.pick", "\0").split(".")
    keys = [k.replace("\0", "campaign.pick") for k in keys]
    node: Any = payload
    for key in keys[:-1]:
        node = _child(node, key)
    last = keys[-1]
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = junk if junk is not DELETE else None
    elif isinstance(node, dict):
        node.pop(last, None) if junk is DELETE else node.__setitem__(last, junk)


def _child(node: Any, key: str) -> Any:
    if isinstance(node, list):
        return node[int(key)] if key.isdigit() and int(key) < len(node) else None
    return node.get(key) if isinstance(node, dict) else None


def _genuine_still(payload: dict[str, Any], genuine: dict[str, Any]) -> bool:
    kind = genuine["type"]
    try:
        same_what = payload.get("type") == kind and GENUINE[kind](payload) == GENUINE[kind](genuine)
    except (AttributeError, IndexError, KeyError, TypeError):
        return False
    user = payload.get("user")
    return (same_what and isinstance(user, dict) and user.get("id") == genuine["user"]["id"]
            and extract_team_id(payload) == TEAM)


@pytest.fixture
def genuine_payloads(driver, session_factory) -> list[dict[str, Any]]:
    """One genuine payload per button of a real shortlist, and the add-to-campaign modal's submission."""
    buttons = shortlist_world(driver, session_factory)
    driver.click(next(b for b in buttons if b.action_id == ActionId.ADD_TO_CAMPAIGN))
    (view,) = driver.opened_views()
    (campaign_id,) = [row.id for row in state(session_factory)["campaigns"]]
    return [click_payload(driver, b) for b in buttons] + [submission_payload(driver, view, str(campaign_id))]


@settings(max_examples=examples(150),
          deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tampered_payloads_are_refused_without_errors_or_writes(driver, session_factory, genuine_payloads, caplog,
                                                                data):
    caplog.set_level(logging.INFO)
    genuine = data.draw(st.sampled_from(genuine_payloads), label="genuine")
    payload = copy.deepcopy(genuine)
    paths = CLICK_PATHS if genuine["type"] == "block_actions" else VIEW_PATHS
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True), label="paths"):
        _damage(payload, path, data.draw(st.one_of(st.just(DELETE), JUNK), label=path))
    before, logged = state(session_factory), len(caplog.records)

    exchange = send(driver, payload)

    assert exchange.status in (200, 400, 404), exchange.status
    problems = [r.getMessage() for r in caplog.records[logged:] if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == []
    if state(session_factory) != before:
        assert _genuine_still(payload, genuine), "a tampered payload changed the database"
