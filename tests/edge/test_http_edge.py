"""/slack/events over real HTTP: oversized, unsigned and forged requests are refused cheaply and quietly."""

from __future__ import annotations

import httpx

from conftest import TEAM
from edge_server import SECRET, edge_url, log_text  # noqa: F401  (fixtures)
from influencer_bot.bot.edge import MAX_BODY_BYTES
from influencer_bot.bot.local.signing import sign_raw, sign_request, slash_command_body

FORM = "application/x-www-form-urlencoded"
MIB = 1024 * 1024


def _post(url: str, raw: bytes, headers: dict[str, str]) -> int:
    try:
        return httpx.post(f"{url}/slack/events", content=raw, headers=headers, timeout=30).status_code
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        return 413  # waitress answered 413 and closed before the whole body was sent: also a refusal


def test_twenty_unsigned_one_mib_posts_are_refused_and_grow_the_log_by_under_20_kb(edge_url, log_text):
    padding = b"text=" + b"a" * (MIB - 5)
    statuses = [_post(edge_url, padding, {"Content-Type": FORM}) for _ in range(20)]
    assert statuses == [413] * 20
    under_limit = b"text=" + b"b" * (MAX_BODY_BYTES - 100)  # small enough to be read: refused by its signature
    forged = {"Content-Type": FORM, "X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=" + "0" * 64}
    statuses = [_post(edge_url, under_limit, h) for h in ({"Content-Type": FORM}, forged) for _ in range(10)]
    assert statuses == [401] * 20
    logged = log_text()
    assert len(logged.encode()) < 20_000
    assert "aaaa" not in logged and "bbbb" not in logged and "Traceback" not in logged


def test_a_signed_request_under_the_limit_goes_through(edge_url, slack):
    body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text="help",
                              response_url=slack.new_response_url(channel="C1", user="U1"))
    response = httpx.post(f"{edge_url}/slack/events", content=body.text, headers=sign_request(body, SECRET), timeout=10)
    assert response.status_code == 200 and "find" in response.text


def test_a_signed_body_over_the_limit_is_refused_too(edge_url):
    raw = b"text=" + b"c" * MAX_BODY_BYTES
    assert _post(edge_url, raw, sign_raw(raw, FORM, SECRET)) == 413


def test_signed_garbage_is_a_400_and_unsigned_garbage_a_401(edge_url, log_text):
    for raw in (b"\xff\xfe\x00\x01binary", b"payload=%7Bnot json", b"payload=" + b"%5B" * 5000):
        assert _post(edge_url, raw, {"Content-Type": FORM}) == 401
        assert _post(edge_url, raw, sign_raw(raw, FORM, SECRET)) == 400
    assert "Traceback" not in log_text() and "not json" not in log_text()
