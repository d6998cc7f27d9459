"""LocalSlack and signing, driven by the real slack_sdk / slack_bolt clients over HTTP."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qs

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from influencer_bot.bot.local.web_api import LocalSlack
from influencer_bot.bot.local.signing import block_actions_body, sign_request, slash_command_body

SECRET = "local-signing-secret"
BLOCKS = [{"type": "actions", "block_id": "decide",
           "elements": [{"type": "button", "action_id": "approve", "value": '{"id": 7}',
                         "text": {"type": "plain_text", "text": "Approve"}}]}]


@pytest.fixture
def slack():
    with LocalSlack() as local:
        yield local


@pytest.fixture
def client(slack):
    return WebClient(token="xoxb-local", base_url=slack.api_url)


def test_post_and_update_change_what_the_channel_shows(slack, client):
    posted = client.chat_postMessage(channel="C1", text="Finding creators…")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="3 creators", blocks=BLOCKS)

    assert posted["ok"] and posted["channel"] == "C1" and posted["message"]["text"] == "Finding creators…"
    assert (updated["channel"], updated["ts"]) == ("C1", posted["ts"])
    [message] = slack.messages("C1")
    assert (message["ts"], message["text"], message["blocks"]) == (posted["ts"], "3 creators", BLOCKS)
    call = slack.calls_to("chat.update")[0]
    assert call.params["blocks"] == BLOCKS and call.headers["authorization"] == "Bearer xoxb-local"


def test_ts_are_unique_and_increasing_and_form_bodies_are_decoded(slack, client):
    first = client.chat_postMessage(channel="C1", text="a")["ts"]
    second = client.api_call("chat.postMessage", params={"channel": "C1", "blocks": json.dumps(BLOCKS)})["ts"]

    assert float(second) > float(first) > 1_600_000_000
    assert slack.calls_to("chat.postMessage")[1].params["blocks"] == BLOCKS  # form field, JSON-decoded
    assert [m["ts"] for m in slack.messages("C1")] == [first, second]


def test_ephemeral_is_flagged_and_delete_removes(slack, client):
    kept = client.chat_postMessage(channel="C1", text="kept")["ts"]
    gone = client.chat_postMessage(channel="C1", text="gone")["ts"]
    eph = client.chat_postEphemeral(channel="C1", user="U1", text="only you")

    client.chat_delete(channel="C1", ts=gone)

    shown = slack.messages("C1")
    assert [m["ts"] for m in shown] == [kept, eph["message_ts"]]
    assert shown[1]["ephemeral"] is True and shown[1]["user"] == "U1"
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel="C1", ts=gone, text="x")
    assert err.value.response["error"] == "message_not_found"


def test_files_upload_v2_round_trip(slack, client):
    result = client.files_upload_v2(channel="C1", filename="shortlist.csv", content="handle,tier\n@a,micro\n",
                                    title="Shortlist", initial_comment="Here you go")

    assert result["file"]["title"] == "Shortlist" and result["file"]["name"] == "shortlist.csv"
    [upload] = slack.calls_to("file_upload")
    assert upload.params["data"] == b"handle,tier\n@a,micro\n"
    assert upload.params["file_id"] == result["file"]["id"]
    [shared] = slack.messages("C1")
    assert shared["text"] == "Here you go" and shared["files"][0]["id"] == result["file"]["id"]


def test_multipart_bodies_are_decoded(slack, client):
    client.api_call("users.setPhoto", files={"image": b"\x89PNG"}, data={"crop_w": "10"})

    [call] = slack.calls_to("users.setPhoto")
    assert call.params["crop_w"] == "10" and call.params["image"]["data"] == b"\x89PNG"


def test_rate_limited_once_then_retried_by_slack_sdk(slack):
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(token="xoxb-local", base_url=slack.api_url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])

    assert client.chat_postMessage(channel="C1", text="hello")["ok"]

    attempts = slack.calls_to("chat.postMessage")
    assert [a.failed for a in attempts] == [True, False]
    assert [m["text"] for m in slack.messages("C1")] == ["hello"]


def test_faults_surface_as_slack_errors_without_retry(slack, client):
    slack.fail_next("chat.postMessage", status=429, retry_after=3)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 429 and err.value.response["error"] == "ratelimited"
    assert err.value.response.headers["retry-after"] == "3"

    slack.error_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_in_channel"
    assert slack.messages("C1") == [] and len(slack.calls_to("chat.postMessage")) == 2


def test_server_error_is_retried_by_server_error_handler(slack):
    slack.fail_next("chat.postMessage", status=503, times=1)
    client = WebClient(token="xoxb-local", base_url=slack.api_url,
                       retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])

    client.chat_postMessage(channel="C1", text="after outage")

    assert [a.failed for a in slack.calls_to("chat.postMessage")] == [True, False]
    assert len(slack.messages("C1")) == 1


def test_response_url_replaces_original_or_adds_ephemeral(slack, client):
    ts = client.chat_postMessage(channel="C1", text="Approve @a?", blocks=BLOCKS)["ts"]
    url = slack.new_response_url(message_ts=ts, channel="C1", user="U1")

    replaced = WebhookClient(url).send(text="Approved by <@U1>", replace_original=True)
    WebhookClient(url).send(text="Saved.")

    assert (replaced.status_code, replaced.body) == (200, "ok")
    original, note = slack.messages("C1")
    assert original["ts"] == ts and original["text"] == "Approved by <@U1>" and "blocks" not in original
    assert note["ephemeral"] is True and note["user"] == "U1" and note["text"] == "Saved."
    first = slack.calls_to("response_url")[0]
    assert first.params["response_url_id"] == url.rsplit("/", 1)[1] and first.params["replace_original"] is True


def test_auth_and_users_info(slack, client):
    slack.user_tz["U2"] = "America/New_York"

    auth = client.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == ("T0LOCAL", "UBOT", "BBOT")
    assert client.users_info(user="U1")["user"]["tz"] == "Europe/Paris"
    assert client.users_info(user="U2")["user"]["tz"] == "America/New_York"
    assert client.conversations_join(channel="C1")["ok"] and client.api_call("bookmarks.list")["ok"]
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=slack.api_url).chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_authed"


def test_wait_for_blocks_until_background_work_posts(slack, client):
    worker = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="done"))
    worker.start()

    [call] = slack.wait_for("chat.postMessage", timeout=5)

    assert call.params["text"] == "done" and slack.messages("C1")[0]["text"] == "done"
    with pytest.raises(TimeoutError):
        slack.wait_for(lambda c: c.method == "chat.update", timeout=0.1)
    slack.clear()
    assert slack.calls == []


def test_sign_request_is_what_slack_sdk_verifies():
    body = slash_command_body(team_id="T1", user_id="U1", channel_id="C1", text="find vegan",
                              response_url="http://x/response_url/1")
    now = int(time.time())
    headers = sign_request(body, SECRET, timestamp=now)
    verifier = SignatureVerifier(SECRET)

    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert verifier.is_valid(body.text, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not verifier.is_valid(body.text + "x", headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid(body.text, str(now), headers["X-Slack-Signature"])
    fields = parse_qs(body.text)
    assert fields["command"] == ["/influencer"] and fields["text"] == ["find vegan"]


def test_signed_bodies_dispatch_through_bolt(slack, client):
    seen = {}
    app = App(signing_secret=SECRET, client=client)

    @app.command("/influencer")
    def find(ack, command, respond):
        ack()
        seen["text"] = command["text"]
        respond("Looking…")

    @app.action("approve")
    def approve(ack, action, body, respond):
        ack()
        seen["value"], seen["user"] = action["value"], body["user"]["id"]
        respond(text="Approved", replace_original=True)

    body = slash_command_body(team_id="T0LOCAL", user_id="U1", channel_id="C1", text="find vegan",
                              response_url=slack.new_response_url(channel="C1", user="U1"))
    assert app.dispatch(BoltRequest(body=body.text, headers=sign_request(body, SECRET))).status == 200
    slack.wait_for("response_url")

    ts = client.chat_postMessage(channel="C1", text="Approve?", blocks=BLOCKS)["ts"]
    [message] = [m for m in slack.messages("C1") if m["ts"] == ts]
    click = block_actions_body(team_id="T0LOCAL", user_id="U1", channel_id="C1", message=message,
                               action={"action_id": "approve"},
                               response_url=slack.new_response_url(message_ts=ts, channel="C1"))
    assert app.dispatch(BoltRequest(body=click.text, headers=sign_request(click, SECRET))).status == 200
    slack.wait_for("response_url", count=2)

    assert seen == {"text": "find vegan", "value": '{"id": 7}', "user": "U1"}
    texts = [(m["text"], m.get("ephemeral", False)) for m in slack.messages("C1")]
    assert texts == [("Looking…", True), ("Approved", False)]
