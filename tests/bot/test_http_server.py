"""`influencer-bot run` in HTTP mode: Slack's signed requests over real HTTP, ack first, work after."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from conftest import TEAM
from edge_server import serving
from factories import add, baker
from influencer_bot.bot.app import create_app
from influencer_bot.bot.local.signing import sign_request, slash_command_body
from influencer_bot.bot.server import wsgi_app
from influencer_bot.bot.work_queue import WorkQueue
from influencer_bot.handlers.commands import find

SECRET = "test-signing-secret"


@pytest.fixture
def http_bot(services, slack, engine) -> Iterator[str]:
    work = WorkQueue()
    app = create_app(services, token="xoxb-test", signing_secret=SECRET, api_url=slack.api_url, work=work)
    with serving(wsgi_app(app, engine, signing_secret=SECRET)) as url:
        yield url
    work.close()


def test_slow_find_is_acknowledged_at_once_and_posted_after(http_bot, slack, session_factory, monkeypatch):
    """The ack comes back while the search is still running: it is held until the test has the ack,
    so a handler that searched before acknowledging could not answer at all (the POST times out)."""
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    real_propose = find.propose
    searching, acked = threading.Event(), threading.Event()

    def held_propose(*args, **kwargs):
        searching.set()
        assert acked.wait(timeout=30), "the search was never released"
        return real_propose(*args, **kwargs)

    monkeypatch.setattr(find, "propose", held_propose)
    body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text="find vegan baking 2000",
                              response_url=slack.new_response_url(channel="C1", user="U1"))
    try:
        response = httpx.post(f"{http_bot}/slack/events", content=body.text, headers=sign_request(body, SECRET),
                              timeout=10)
    finally:
        acked.set()
    assert response.status_code == 200 and "Finding the best vegan baking creators" in response.json()["text"]
    assert searching.wait(timeout=10), "the search never started"
    (post,) = slack.wait_for("chat.postMessage", timeout=15)
    assert post.params["channel"] == "C1"


def test_bad_signature_is_refused_and_healthz_answers(http_bot):
    body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text="help", response_url="http://x")
    refused = httpx.post(f"{http_bot}/slack/events", content=body.text, headers=sign_request(body, "wrong"),
                         timeout=10)
    assert refused.status_code == 401
    health = httpx.get(f"{http_bot}/healthz", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
