"""A full work queue is said in the ack, at once, and nothing is done for that request."""

from __future__ import annotations

import threading

from deliveries import AcceptedWork, Shortlist, TEAM, bakers, count, find_body  # noqa: F401
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.bot.local.signing import sign_request
from influencer_bot.bot.work_queue import WorkQueue
from slack_bolt import BoltRequest


def _hold(queue: WorkQueue, release: threading.Event) -> None:
    """Occupy the queue's worker and its urgent worker until `release`; return once both surely are."""
    for urgent in (False, True):
        running = threading.Event()
        assert queue.submit("hold a worker", lambda r=running: (r.set(), release.wait()), urgent=urgent)
        assert running.wait(timeout=30)


def test_a_find_that_finds_the_queue_full_is_told_busy_and_leaves_nothing(services, slack, session_factory,
                                                                       bakers):  # noqa: F811
    queue = WorkQueue(workers=1, max_queued=1, record_errors=True, urgent_workers=1)
    release = threading.Event()
    with LocalDriver(services, team_id=TEAM, slack=slack, work=queue) as driver:
        try:
            _hold(queue, release)
            assert queue.submit("fill the queue", lambda: None)
            body = find_body(driver)  # the worker is busy and the one queue place taken
            response = driver.app.dispatch(BoltRequest(body=body.text, headers=sign_request(body, driver.signing_secret)))
        finally:
            release.set()
        queue.wait_until_idle()

    assert response.status == 200
    assert "busy" in response.body and "try again in about" in response.body
    assert slack.calls_to("chat.postMessage") == [] and slack.calls_to("response_url") == []
    assert count(session_factory, Shortlist) == 0
    assert count(session_factory, AcceptedWork) == 0  # a later retry of it may still be taken


def test_a_click_when_the_queue_is_full_still_records_the_decision(services, slack, session_factory,
                                                                    bakers):  # noqa: F811
    from deliveries import Decision, click_body, posted_buttons

    queue = WorkQueue(workers=1, max_queued=1, record_errors=True, urgent_workers=1)
    release = threading.Event()
    with LocalDriver(services, team_id=TEAM, slack=slack, work=queue) as driver:
        approve = next(b for b in posted_buttons(driver) if b.text == "Approve")
        try:
            _hold(queue, release)
            assert queue.submit("fill", lambda: None)
            assert queue.submit("fill urgent room", lambda: None, urgent=True)  # urgent work has a second bound's room
            body = click_body(driver, approve, user="UMANAGER")
            response = driver.app.dispatch(BoltRequest(body=body.text, headers=sign_request(body, driver.signing_secret)))
        finally:
            release.set()
        queue.wait_until_idle()

    assert response.status == 200
    assert count(session_factory, Decision) == 1  # committed before the ack
    # the message redraw waits in the outbox, not lost: released for whichever process has room
    assert count(session_factory, AcceptedWork, AcceptedWork.kind == "refresh", AcceptedWork.status == "pending",
                 AcceptedWork.owner.is_(None)) == 1
