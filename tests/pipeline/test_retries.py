"""Slack's retries of one delivery do no new work: keyed on its trigger_id, even across a restart."""

from __future__ import annotations

import json

from deliveries import (AcceptedWork, Decision, Shortlist, TEAM, bakers, click_body, count, find_body,  # noqa: F401
                        posted_buttons, retry_headers)
from influencer_bot.bot.local.driver import LocalDriver


def test_a_command_delivered_three_times_posts_one_shortlist(driver, session_factory, bakers):  # noqa: F811
    body = find_body(driver)
    first = driver.dispatch(body)
    retries = [driver.dispatch(body, extra_headers=retry_headers(n)) for n in (1, 2)]

    assert [e.status for e in (first, *retries)] == [200, 200, 200]
    # every delivery is acked the same way, so whichever one Slack shows says the search is on
    assert all("Finding the best vegan baking creators" in e.ack["text"] for e in (first, *retries))
    assert [c["method"] for c in first.calls].count("chat.postMessage") == 1
    assert all(not e.calls for e in retries)
    assert count(session_factory, Shortlist) == 1
    assert count(session_factory, AcceptedWork, AcceptedWork.kind == "command") == 1


def test_a_click_delivered_three_times_records_one_decision(driver, session_factory, bakers):  # noqa: F811
    approve = next(b for b in posted_buttons(driver) if b.text == "Approve")
    body = click_body(driver, approve, user="UMANAGER")

    exchanges = [driver.dispatch(body)] + [driver.dispatch(body, extra_headers=retry_headers(n)) for n in (1, 2)]

    assert [e.status for e in exchanges] == [200, 200, 200]
    assert count(session_factory, Decision) == 1
    assert count(session_factory, AcceptedWork, AcceptedWork.kind == "refresh") == 1
    assert [c["method"] for e in exchanges for c in e.calls] == ["chat.update"]  # no "already approved" notes
    item_id = json.loads(approve.value)["item"]
    assert f"shortlist.item.decision:{item_id}" in str(driver.messages()[-1]["blocks"])


def test_a_retry_after_a_restart_is_still_recognised(driver, services, slack, session_factory, bakers):  # noqa: F811
    body = find_body(driver)
    driver.dispatch(body)
    with LocalDriver(services, team_id=TEAM, slack=slack) as restarted:
        again = restarted.dispatch(body, headers=None, extra_headers=retry_headers(1))  # signed with its secret
    assert again.status == 200
    assert [c["method"] for c in again.calls if c["method"] != "auth.test"] == []  # (Bolt's one token check)
    assert count(session_factory, Shortlist) == 1


def test_the_same_trigger_in_another_workspace_is_its_own_delivery(driver, services, slack, session_factory,
                                                                    bakers):  # noqa: F811
    body = find_body(driver)
    driver.dispatch(body)
    with LocalDriver(services, team_id="T0ELSEWHERE", slack=slack) as other:
        other_body = find_body(other)
        fields = dict(p.split("=", 1) for p in body.text.split("&"))
        other_body = type(body)(other_body.text.rsplit("trigger_id=", 1)[0] + "trigger_id=" + fields["trigger_id"],
                                body.content_type)
        other.dispatch(other_body)
    assert count(session_factory, AcceptedWork, AcceptedWork.kind == "command") == 2
