"""SIGTERM on a real `influencer-bot run` process: it stops listening at once, finishes the work in hand
(here a find whose reply the Slack stand-in holds), then exits 0; and it never outlives SHUTDOWN_GRACE_S.

No sleeps: every wait polls a condition against a deadline."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from influencer_bot.bot.local.signing import sign_request, slash_command_body
from influencer_bot.bot.local.web_api import LocalSlack
from processes import STARTUP_S, free_port, start_bot, until

SECRET = "graceful-stop-secret"


class HoldingSlack(LocalSlack):
    """The Slack stand-in, except that replies (what the work after an ack sends) wait until the test
    releases them: the bot's work is then provably in flight when the signal arrives."""

    HELD = frozenset({"response_url", "chat.postMessage", "chat.postEphemeral", "chat.update"})

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.release = threading.Event(), threading.Event()

    def _handle(self, method, params, headers):  # type: ignore[no-untyped-def]
        if method in self.HELD:
            self.arrived.set()
            self.release.wait(timeout=120)
        return super()._handle(method, params, headers)


@pytest.fixture
def held_slack() -> Iterator[HoldingSlack]:
    with HoldingSlack() as slack:
        yield slack
        slack.release.set()


def _healthz(base: str) -> int | None:
    """The /healthz status, or None when nothing listens any more."""
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code
    except httpx.TransportError:
        return None


def _start_run(tmp_path: Path, slack: LocalSlack, grace_s: float) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = start_bot(["run", "--no-scheduler"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
                     SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                     PORT=str(port), SHUTDOWN_GRACE_S=str(grace_s))
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: proc.poll() is not None or _healthz(base) == 200, STARTUP_S, "/healthz answers 200")
    except AssertionError:
        proc.kill()
        raise
    assert proc.poll() is None, proc.communicate()[0]
    return proc, base


def _find_in_flight(base: str, slack: HoldingSlack) -> None:
    """A find is acknowledged, and its work is waiting on Slack."""
    body = slash_command_body(team_id="T0STOP", user_id="U1", channel_id="C1", text="find vegan baking 2000",
                              response_url=slack.new_response_url(channel="C1", user="U1"))
    ack = httpx.post(f"{base}/slack/events", content=body.text, headers=sign_request(body, SECRET), timeout=30)
    assert ack.status_code == 200
    assert slack.arrived.wait(timeout=60), "the work after the ack never called Slack"


@contextmanager
def _bot_with_work_in_flight(tmp_path: Path, slack: HoldingSlack,
                             grace_s: float) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A running `influencer-bot run` with a find acknowledged and its reply held; killed if a test fails."""
    proc, base = _start_run(tmp_path, slack, grace_s=grace_s)
    try:
        _find_in_flight(base, slack)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_sigterm_stops_listening_then_finishes_the_work_in_hand_and_exits_0(tmp_path, held_slack):
    with _bot_with_work_in_flight(tmp_path, held_slack, grace_s=120) as (proc, base):
        proc.send_signal(signal.SIGTERM)
        until(lambda: _healthz(base) is None, 30, "/healthz stops answering")
        assert proc.poll() is None, "it exited with work in hand"
        held_slack.release.set()
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert [c for c in held_slack.calls if c.method in HoldingSlack.HELD], "the held reply was abandoned"
    assert "SIGTERM received" in out and "stopped cleanly" in out
    assert "Traceback" not in out


def test_work_still_running_after_the_grace_period_is_abandoned_and_it_exits_0(tmp_path, held_slack):
    with _bot_with_work_in_flight(tmp_path, held_slack, grace_s=1.0) as (proc, base):
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=1.0 + 30)  # the bound, plus room for a loaded machine
    assert proc.returncode == 0, out
    assert "SIGINT received" in out
    assert "still running after SHUTDOWN_GRACE_S=1.0s, abandoned: Slack work after the ack" in out
    assert _healthz(base) is None


def test_a_second_signal_exits_at_once(tmp_path, held_slack):
    with _bot_with_work_in_flight(tmp_path, held_slack, grace_s=120) as (proc, base):
        proc.send_signal(signal.SIGTERM)
        until(lambda: _healthz(base) is None, 30, "/healthz stops answering")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)  # far below the 120 s grace it would otherwise take
    assert proc.returncode == 128 + signal.SIGTERM, out
    assert "second SIGTERM: exiting now, abandoning the work in hand" in out
