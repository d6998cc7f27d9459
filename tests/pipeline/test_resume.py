"""Work accepted before a crash is resumed by the next process, and done exactly once.

A process "dies" here by never running what it accepted (or by stopping in the middle of it);
the next one is a fresh work queue and outbox keeper on the same database, as `run` starts them.
The crash of a real process is tests/pipeline/test_kill9.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update

from deliveries import AcceptedWork, Shortlist, TEAM, bakers, count, find_body, posted_buttons  # noqa: F401
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.bot.outbox_keeper import OutboxKeeper
from influencer_bot.bot.slack_client import make_web_client
from influencer_bot.bot.work_queue import WorkQueue
from influencer_bot.handlers.commands import find
from influencer_bot.storage import outbox
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import utcnow

LEASE_S = 0.3


class DiesAfterTheAck(WorkQueue):
    """A process killed right after its acks: it takes work and never runs it."""

    def __init__(self) -> None:
        super().__init__(workers=1, lease_s=LEASE_S, owner="dead-process")

    def submit(self, name: str, fn: Callable[[], None], *, urgent: bool = False, work_id: int | None = None) -> bool:
        return True


def resume(services, slack, session_factory, *, expect: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Start the next process's keeper, poll until it has claimed `expect` rows (their leases must run
    out first), then let its queue finish them."""
    queue = WorkQueue(workers=2, lease_s=LEASE_S, owner="next-process", record_errors=True)
    with LocalDriver(services, team_id=TEAM, slack=slack, work=queue) as restarted:
        keeper = OutboxKeeper(services, make_web_client("xoxb-local", slack.api_url), queue)  # as `run` builds it
        claimed, deadline = 0, time.monotonic() + 30
        while claimed < expect and time.monotonic() < deadline:
            claimed += keeper.run_once()
        assert claimed == expect
        queue.wait_until_idle(timeout=60)
        assert queue.take_errors() == []


def test_a_find_acked_then_killed_before_its_work_is_posted_once_after_restart(services, slack, session_factory,
                                                                               bakers):  # noqa: F811
    with LocalDriver(services, team_id=TEAM, slack=slack, work=DiesAfterTheAck()) as dying:
        acked = dying.dispatch(find_body(dying))
    assert "Finding the best vegan baking creators" in acked.ack["text"]
    assert slack.calls_to("chat.postMessage") == []

    resume(services, slack, session_factory)

    assert len(slack.calls_to("chat.postMessage")) == 1
    assert count(session_factory, Shortlist) == 1
    assert count(session_factory, AcceptedWork, AcceptedWork.status == "done") == 1


class Killed(BaseException):
    """Stands for kill -9 in the middle of the work: nothing after it runs, no handler sees it."""


def test_a_find_killed_after_saving_its_shortlist_posts_that_one_without_searching_again(
        services, slack, session_factory, monkeypatch, bakers):  # noqa: F811
    searches, real_post = [], find._post
    real_propose = find.propose
    monkeypatch.setattr(find, "propose", lambda *a, **k: (searches.append(1), real_propose(*a, **k))[1])

    def killed(*args: object) -> None:
        raise Killed

    monkeypatch.setattr(find, "_post", killed)
    queue = WorkQueue(workers=1, lease_s=LEASE_S, owner="dead-process", record_errors=True)
    with LocalDriver(services, team_id=TEAM, slack=slack, work=queue) as dying:
        with pytest.raises(Killed):
            dying.dispatch(find_body(dying))
    monkeypatch.setattr(find, "_post", real_post)

    resume(services, slack, session_factory)

    assert searches == [1]
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert count(session_factory, Shortlist) == 1


def test_a_find_killed_after_posting_is_not_posted_again(services, slack, session_factory, monkeypatch,
                                                         bakers):  # noqa: F811
    def killed(*args: object) -> None:
        raise Killed

    queue = WorkQueue(workers=1, lease_s=LEASE_S, owner="dead-process", record_errors=True)
    monkeypatch.setattr(outbox, "finish", killed)  # dies between posting and closing its row
    with LocalDriver(services, team_id=TEAM, slack=slack, work=queue) as dying:
        with pytest.raises(Killed):
            dying.dispatch(find_body(dying))
    monkeypatch.undo()

    resume(services, slack, session_factory)

    assert len(slack.calls_to("chat.postMessage")) == 1
    assert count(session_factory, AcceptedWork, AcceptedWork.status == "done") == 1


def test_work_too_old_to_answer_is_given_up_and_the_user_told(services, slack, session_factory,
                                                             bakers):  # noqa: F811
    with LocalDriver(services, team_id=TEAM, slack=slack, work=DiesAfterTheAck()) as dying:
        dying.dispatch(find_body(dying))
    with transaction(session_factory) as session:  # the bot stayed down longer than a response_url lives
        session.execute(update(AcceptedWork).values(created_at=utcnow() - timedelta(minutes=31)))

    resume(services, slack, session_factory)

    assert slack.calls_to("chat.postMessage") == []
    (told,) = slack.calls_to("chat.postEphemeral")
    assert told.params["user"] == "U0LOCAL" and "/influencer find vegan baking 2000" in told.params["text"]
    assert "run it again" in told.params["text"]
    assert count(session_factory, AcceptedWork, AcceptedWork.status == "failed") == 1


def test_a_message_update_enqueued_by_other_code_is_made_by_a_running_process(driver, services, slack,
                                                                              session_factory, bakers):  # noqa: F811
    posted_buttons(driver)
    with session_factory() as session:
        shortlist_id = session.query(Shortlist.id).scalar()
    with transaction(session_factory) as session:
        assert outbox.enqueue(session, TEAM, "refresh", f"refresh:{shortlist_id}:1", {"shortlist_id": shortlist_id})
        assert not outbox.enqueue(session, TEAM, "refresh", f"refresh:{shortlist_id}:1", {"shortlist_id": shortlist_id})
    slack.clear()

    resume(services, slack, session_factory)

    assert len(slack.calls_to("chat.update")) == 1
