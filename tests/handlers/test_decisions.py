"""Approve / Reject: recorded exactly once, whatever the clicking."""

from __future__ import annotations

import dataclasses
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from sqlalchemy import select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of, reject_values
from influencer_bot.bot.local.signing import block_actions_body, sign_request
from influencer_bot.handlers.button_values import STALE
from influencer_bot.storage.models import Decision, ShortlistItem


def _shortlist(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300))
    driver.command("find vegan baking 2000")
    message = driver.messages()[-1]
    return message, buttons_of(message, driver.channel_id)


def _decisions(session_factory) -> list[tuple[int, str, str]]:
    with session_factory() as s:
        return [(d.shortlist_item_id, d.decision, d.user_id) for d in s.scalars(select(Decision).order_by(Decision.id))]


def test_approve_records_who_and_updates_the_message_in_place(driver, session_factory):
    message, buttons = _shortlist(driver, session_factory)
    approve = next(b for b in buttons if b.text == "Approve")
    exchange = driver.click(approve, user_id="UMANAGER")
    assert exchange.status == 200
    (update,) = [c for c in exchange.calls if c["method"] == "chat.update"]
    assert update["params"]["ts"] == message["ts"]
    item_id = json.loads(approve.value)["item"]
    assert _decisions(session_factory) == [(item_id, "approved", "UMANAGER")]
    updated = driver.messages()[-1]
    decided = next(b for b in updated["blocks"] if b.get("block_id") == f"shortlist.item.decision:{item_id}")
    assert "Approved by <@UMANAGER>" in decided["elements"][0]["text"]
    # the decided creator has no buttons left; the other one still has both
    assert len(buttons_of(updated, driver.channel_id)) == len(buttons) - 2


def test_second_click_records_nothing_and_tells_only_the_clicker(driver, session_factory):
    _, buttons = _shortlist(driver, session_factory)
    reject = next(b for b in buttons if b.text == "Reject")
    driver.reject(reject, user_id="UFINANCE")
    again = driver.click(reject, user_id="UMANAGER")  # no modal: told at once
    assert [c["method"] for c in again.calls] == ["response_url"]
    reply = again.calls[0]["params"]
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "already rejected by <@UFINANCE>" in reply["text"]
    assert len(_decisions(session_factory)) == 1
    assert len(driver.slack.calls_to("chat.update")) == 1


def test_approve_clicks_and_reject_submissions_at_once_yield_one_decision(driver, session_factory):
    _, buttons = _shortlist(driver, session_factory)
    approve, reject = [b for b in buttons if b.block_id == buttons[0].block_id]  # of one creator
    rejecters = [f"UR{i}" for i in range(4)]
    for user in rejecters:  # each opens the modal first; all submit together with the approvals
        driver.click(reject, user_id=user)
    modals = driver.opened_views()[-len(rejecters):]
    driver.slack.clear()
    moves = [partial(driver.click, approve, user_id=f"UA{i}") for i in range(4)]
    moves += [partial(driver.submit_view, view, reject_values("too_expensive"), user_id=user)
              for view, user in zip(modals, rejecters)]
    start = threading.Barrier(len(moves))

    def move(fn):
        start.wait()
        return fn()

    with ThreadPoolExecutor(len(moves)) as pool:
        exchanges = list(pool.map(move, moves))
    assert all(e.status == 200 for e in exchanges)
    decisions = _decisions(session_factory)
    assert len(decisions) == 1
    winner = decisions[0][2]
    told = driver.slack.calls_to("response_url") + driver.slack.calls_to("chat.postEphemeral")
    assert len(told) == len(moves) - 1  # every loser learned, privately, who won
    assert all(f"<@{winner}>" in c.params["text"] for c in told)
    assert len(driver.slack.calls_to("chat.update")) == 1  # only the winner edits the message
    with session_factory() as s:
        statuses = s.scalars(select(ShortlistItem.status).order_by(ShortlistItem.id)).all()
    assert sorted(statuses).count("proposed") == len(statuses) - 1


def test_a_click_from_another_workspace_cannot_decide(driver, services, session_factory, slack):
    _, buttons = _shortlist(driver, session_factory)
    with LocalDriver(services, team_id=OTHER_TEAM, slack=slack) as intruder:
        exchange = intruder.click(buttons[0])
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert STALE in reply["params"]["text"]
    assert _decisions(session_factory) == []


def test_unsigned_or_wrongly_signed_requests_are_refused(driver, session_factory):
    message, buttons = _shortlist(driver, session_factory)
    body = block_actions_body(team_id=TEAM, user_id="U1", channel_id=driver.channel_id, message=message,
                              action={"action_id": buttons[0].action_id, "block_id": buttons[0].block_id,
                                      "value": buttons[0].value},
                              response_url=driver.slack.new_response_url())
    assert driver.dispatch(body, headers=sign_request(body, "wrong-secret")).status == 401
    stale = sign_request(body, driver.signing_secret, timestamp=1_600_000_000)
    assert driver.dispatch(body, headers=stale).status == 401
    assert _decisions(session_factory) == []


def test_a_button_this_version_does_not_know_is_answered_privately_and_changes_nothing(driver, session_factory,
                                                                                        caplog):
    """A message posted by an older version may carry a button whose action id no listener has any more."""
    _, buttons = _shortlist(driver, session_factory)
    retired = dataclasses.replace(next(b for b in buttons if b.text == "Approve"), action_id="shortlist.shortlist_v1")
    exchange = driver.click(retired, user_id="UMANAGER")
    assert exchange.status == 200  # not Bolt's 404, which Slack shows as an error on the button
    (told,) = [c["params"]["text"] for c in exchange.calls if c["method"] == "response_url"]
    assert "older version" in told and "/influencer find" in told
    assert [c["method"] for c in exchange.calls] == ["response_url"] and _decisions(session_factory) == []
    assert "Unhandled request" not in caplog.text
