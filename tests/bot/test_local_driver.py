"""The local driver runs the app as Slack does (ack first, work on the queue) and hands back a request's whole outcome."""

from __future__ import annotations

import contextlib
import threading

import pytest

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.work_queue import WorkQueue
from influencer_bot.handlers import accepted_work
from influencer_bot.handlers.commands import find


def test_the_ack_returns_before_the_work_and_the_exchange_still_holds_the_work(driver, session_factory,
                                                                             monkeypatch):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    answered = threading.Event()
    bolt_dispatch, real_propose = driver.app.dispatch, find.propose

    def dispatch(request):
        response = bolt_dispatch(request)
        answered.set()
        return response

    def propose_once_answered(*args, **kwargs):
        seen.append(answered.wait(timeout=30))  # never set if the work had to finish before the ack
        return real_propose(*args, **kwargs)

    seen: list[bool] = []
    monkeypatch.setattr(driver.app, "dispatch", dispatch)
    monkeypatch.setattr(find, "propose", propose_once_answered)

    exchange = driver.command("find vegan baking 2000")

    assert seen == [True]
    assert "Finding the best vegan baking creators" in exchange.ack["text"]
    (post,) = [c for c in exchange.calls if c["method"] == "chat.postMessage"]
    assert "@crumbs" in str(post["params"]["blocks"])


def test_an_error_that_escapes_after_the_ack_is_raised_by_the_driver(driver, session_factory, monkeypatch):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))

    def broken(*args, **kwargs):
        raise RuntimeError("escaped after the ack")

    monkeypatch.setattr(find, "propose", broken)
    monkeypatch.setattr(accepted_work, "replies_on_failure", lambda reply, what: contextlib.nullcontext())

    with pytest.raises(RuntimeError, match="escaped after the ack"):
        driver.command("find vegan baking 2000")
    assert driver.command("help").status == 200  # the error was reported once, not again


def test_the_work_queue_is_idle_only_when_the_last_piece_has_finished():
    work = WorkQueue(workers=2, record_errors=True)
    release, done, waited = threading.Event(), [], []
    try:
        for n in range(3):
            assert work.submit("wait", lambda n=n: (release.wait(), done.append(n)))
        assert work.submit("fail", lambda: 1 / 0)
        waiter = threading.Thread(target=lambda: waited.append(work.wait_until_idle()))
        waiter.start()
        assert waiter.is_alive() and not waited  # nothing can finish before `release`
        release.set()
        waiter.join(timeout=30)
        assert sorted(done) == [0, 1, 2] and waited == [True]
        assert [type(e) for e in work.take_errors()] == [ZeroDivisionError]
        assert work.take_errors() == []  # errors are handed over once
    finally:
        release.set()
        work.close()
