"""Slack failing in every way the stand-in can: what the user is told, and what stays in the database.

Faults are injected per method (chat.postMessage, chat.update, response_url) by bot/local/web_api.py:
429 with Retry-After, 5xx, a dropped connection, a call that never answers. The app's Slack policy is
short here (a 0.5 s timeout, two retries, tiny backoff) so a hang ends quickly; nothing sleeps.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of
from influencer_bot.bot.local.signing import slash_command_body
from influencer_bot.bot.metrics import SLACK_API_ERRORS
from influencer_bot.bot.outbox_keeper import OutboxKeeper
from influencer_bot.bot.slack_client import SlackPolicy, make_web_client
from influencer_bot.bot.work_queue import WorkQueue
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import AcceptedWork, Decision, Shortlist, ShortlistItem, utcnow

FAST = SlackPolicy(timeout_s=0.5, attempts=2, backoff_s=0.01)
FAULTS = ["429", "5xx", "dropped", "hanging"]


def inject(slack, method: str, fault: str) -> None:
    """Make `method` fail past the client's retries (a hang is never retried: the post may have landed)."""
    if fault == "429":
        slack.fail_next(method, 429, retry_after=0, times=FAST.attempts + 1)
    elif fault == "5xx":
        slack.fail_next(method, 503, times=FAST.attempts + 1)
    elif fault == "dropped":
        slack.drop_next(method, times=FAST.attempts + 1)
    else:
        slack.hang_next(method)


def errors_counted(method: str) -> float:
    return sum(s.value for m in SLACK_API_ERRORS.collect() for s in m.samples
               if s.name.endswith("_total") and s.labels["method"] == method)


@pytest.fixture
def fast(services, slack):
    with LocalDriver(services, team_id=TEAM, slack=slack, slack_policy=FAST) as d:
        yield d
    slack.release_hung()


def _bakers(session_factory) -> None:
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300))


def _count(session_factory, model) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def _replies(exchange) -> list[str]:
    return [c["params"].get("text", "") for c in exchange.calls if c["method"] == "response_url"]


def test_a_429_then_success_posts_the_shortlist_once(fast, slack, session_factory):
    _bakers(session_factory)
    slack.fail_next("chat.postMessage", 429, retry_after=0, times=FAST.attempts)
    fast.command("find vegan baking 2000")
    assert len(slack.calls_to("chat.postMessage")) == FAST.attempts + 1  # the retries honoured Retry-After
    assert len([m for m in fast.messages() if not m.get("ephemeral")]) == 1
    with session_factory() as s:
        assert s.scalar(select(Shortlist.message_ts)) is not None


@pytest.mark.parametrize("fault", FAULTS)
def test_a_shortlist_slack_will_not_take_is_discarded_and_the_user_told(fault, fast, slack, session_factory):
    _bakers(session_factory)
    before = errors_counted("chat.postMessage")
    inject(slack, "chat.postMessage", fault)
    exchange = fast.command("find vegan baking 2000")
    assert exchange.status == 200 and "Finding" in exchange.ack["text"]
    (reply,) = _replies(exchange)
    assert "discarded it and saved nothing" in reply
    assert _count(session_factory, Shortlist) == 0 and _count(session_factory, ShortlistItem) == 0
    assert [m for m in fast.messages() if not m.get("ephemeral")] == []
    assert errors_counted("chat.postMessage") == before + 1
    expected = {"429": FAST.attempts + 1, "5xx": FAST.attempts + 1, "dropped": FAST.attempts + 1, "hanging": 1}
    assert len(slack.calls_to("chat.postMessage")) == expected[fault]


def test_slack_refusing_every_connection_leaves_no_shortlist_behind(fast, slack, session_factory):
    _bakers(session_factory)
    body = slash_command_body(team_id=TEAM, user_id=fast.user_id, channel_id=fast.channel_id,
                              text="find vegan baking 2000", response_url=slack.new_response_url())
    slack.stop()  # nothing listens there any more: every call, the reply included, is refused
    exchange = fast.dispatch(body)
    assert exchange.status == 200 and "Finding" in exchange.ack["text"]
    assert _count(session_factory, Shortlist) == 0 and _count(session_factory, ShortlistItem) == 0


@pytest.mark.parametrize("fault", FAULTS)
def test_a_decision_stored_while_the_message_update_fails_is_said_to_be_recorded(fault, fast, slack,
                                                                                   session_factory):
    _bakers(session_factory)
    fast.command("find vegan baking 2000")
    message = fast.messages()[-1]
    approve = next(b for b in buttons_of(message, fast.channel_id) if b.text == "Approve")
    inject(slack, "chat.update", fault)
    exchange = fast.click(approve, user_id="UMANAGER")
    (reply,) = _replies(exchange)
    assert "Your decision (approved) is recorded" in reply and "refresh" in reply
    assert "try again" not in reply.lower() and "went wrong" not in reply
    with session_factory() as s:
        assert [(d.decision, d.user_id) for d in s.scalars(select(Decision))] == [("approved", "UMANAGER")]
    shown = [m for m in fast.messages() if not m.get("ephemeral")]
    assert shown[-1]["blocks"] == message["blocks"]  # Slack's copy is behind, as the reply says


@pytest.mark.parametrize("action", ["Approve", "Replace rejected"])
def test_a_message_slack_refused_to_update_catches_up_once_slack_answers(action, fast, slack, session_factory):
    _bakers(session_factory)
    add(session_factory, TEAM, baker("whisk", 3_000, 90, price_usd=1_200))  # fits once a pick is rejected
    fast.command("find vegan baking 2000")
    message = fast.messages()[-1]
    if action == "Replace rejected":  # a rejection (shown) first, so there is something to replace
        reject = next(b for b in buttons_of(message, fast.channel_id) if b.text == "Reject")
        fast.reject(reject, user_id="UMANAGER")
        message = fast.messages()[-1]
    button = next(b for b in buttons_of(message, fast.channel_id) if b.text == action)
    inject(slack, "chat.update", "5xx")
    fast.click(button, user_id="UMANAGER")
    behind = [m for m in fast.messages() if not m.get("ephemeral")][-1]["blocks"]
    with transaction(session_factory) as session:  # the refresh's backoff has passed
        due = session.execute(update(AcceptedWork).where(AcceptedWork.kind == "refresh",
                                                         AcceptedWork.status == "pending")
                              .values(lease_until=utcnow() - timedelta(seconds=1), owner=None)).rowcount
    assert due == 1  # one durable refresh, not a log line
    queue = WorkQueue(workers=1, owner="next-pass", record_errors=True)
    try:
        assert OutboxKeeper(fast.services, make_web_client("xoxb-local", slack.api_url, FAST), queue).run_once() == 1
        assert queue.wait_until_idle(timeout=30) and queue.take_errors() == []
    finally:
        queue.close()
    shown = [m for m in fast.messages() if not m.get("ephemeral")][-1]["blocks"]
    assert shown != behind  # Slack's copy caught up with the database
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AcceptedWork).where(AcceptedWork.status == "pending")) == 0


def test_a_reply_rate_limited_once_still_arrives(fast, slack):
    slack.fail_next("response_url", 429, retry_after=0)
    exchange = fast.command("find vegan baking 2000")  # an empty workspace: the answer is a reply
    assert len(slack.calls_to("response_url")) == 2
    (reply,) = _replies(exchange)
    assert "vegan baking" in reply


@pytest.mark.parametrize("fault", FAULTS)
def test_a_reply_slack_never_takes_is_counted_and_logged_not_raised(fault, fast, slack, caplog):
    before = errors_counted("response_url")
    inject(slack, "response_url", fault)  # the answer is lost: the user is owed an apology with an id
    inject(slack, "response_url", fault)  # and that is lost too: only the log has it
    exchange = fast.command("find vegan baking 2000")
    assert exchange.status == 200 and _replies(exchange) == []
    assert errors_counted("response_url") == before + 2
    assert "could not deliver the reply" in caplog.text


def test_a_lost_answer_is_followed_by_an_apology_quoting_the_logged_id(fast, slack, caplog):
    inject(slack, "response_url", "5xx")
    exchange = fast.command("find vegan baking 2000")
    (apology,) = _replies(exchange)
    error_id = apology.split("error id `")[1].split("`")[0]
    assert f"(error id {error_id})" in caplog.text and "try again" not in apology.lower()


def test_no_request_waits_on_a_token_check(fast, slack):
    slack.hang_next("auth.test", times=5)
    exchange = fast.command("help")
    assert exchange.status == 200 and exchange.ack
    assert slack.calls_to("auth.test") == []
