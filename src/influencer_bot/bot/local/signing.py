"""Requests exactly as Slack sends them: signed headers and slash-command / button bodies.

The tests and the local console feed these to the same Bolt app that serves Slack, so the
request-verification middleware and payload parsing run for real instead of being bypassed.
Field names and encodings follow Slack's payloads (and bolt-python's own scenario tests).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

DEFAULT_APP_ID = "A0LOCAL"
DEFAULT_TOKEN = "verification-token"  # Slack's legacy verification token; Bolt ignores it
FORM = "application/x-www-form-urlencoded"  # how Slack sends slash commands and interactivity payloads


@dataclass(frozen=True, slots=True)
class SlackBody:
    """A request body and the Content-Type it is sent with: the builder that encodes the body
    says how it did, so nothing guesses it from the text afterwards (an Events API body, were
    one built here, would be ``SlackBody(json.dumps(event), "application/json")``)."""

    text: str
    content_type: str

    @classmethod
    def form(cls, fields: dict[str, str]) -> SlackBody:
        return cls(urlencode(fields), FORM)


def sign_request(body: SlackBody, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack attaches to ``body``, signed by slack_sdk's own v0 signature code."""
    ts = str(int(time.time()) if timestamp is None else int(timestamp))
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body.text)
    return {"Content-Type": body.content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def sign_raw(raw: bytes, content_type: str, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers for any bytes, signed by the same v0 scheme (HMAC-SHA256 of `v0:ts:body`). The edge's
    tests sign garbage too, which slack_sdk's verifier cannot (it decodes the body as UTF-8 first)."""
    ts = str(int(time.time()) if timestamp is None else int(timestamp))
    digest = hmac.new(signing_secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest}


def new_trigger_id() -> str:
    """A fresh trigger_id shaped like Slack's (``<digits>.<digits>.<hex>``)."""
    return f"{secrets.randbelow(10**13)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"


def slash_command_body(
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    text: str,
    response_url: str,
    command: str = "/influencer",
    trigger_id: str | None = None,
    user_name: str = "local.user",
    team_domain: str = "local",
    channel_name: str = "influencers",
    api_app_id: str = DEFAULT_APP_ID,
    enterprise_id: str | None = None,
    is_enterprise_install: bool = False,
) -> SlackBody:
    """The form-encoded body of a slash command, fields in the order Slack sends them (with the
    Enterprise Grid fields when `enterprise_id` is given)."""
    grid = {"enterprise_id": enterprise_id, "enterprise_name": f"Org {enterprise_id}"} if enterprise_id else {}
    return SlackBody.form({**grid,
        "token": DEFAULT_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "true" if is_enterprise_install else "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    })


def event_body(*, team_id: str | None, event: dict[str, Any], enterprise_id: str | None = None,
               is_enterprise_install: bool = False, api_app_id: str = DEFAULT_APP_ID) -> SlackBody:
    """An Events API delivery (`event_callback`), as Slack POSTs it to the Request URL."""
    return SlackBody(json.dumps({
        "token": DEFAULT_TOKEN, "team_id": team_id, "enterprise_id": enterprise_id, "api_app_id": api_app_id,
        "event": {"event_ts": f"{time.time():.6f}", **event}, "type": "event_callback",
        "event_id": f"Ev{secrets.token_hex(5).upper()}", "event_time": int(time.time()),
        "is_enterprise_install": is_enterprise_install, "authorizations": [], "is_ext_shared_channel": False,
    }), "application/json")


def _find_element(message: dict, action_id: str) -> tuple[str | None, dict]:
    """The (block_id, element) in ``message`` whose action_id matches, so a click needs only the id."""
    for block in message.get("blocks") or []:
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id"), element
    return None, {}


def block_actions_body(
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    message: dict,
    action: dict,
    response_url: str,
    trigger_id: str | None = None,
    user_name: str = "local.user",
    team_domain: str = "local",
    channel_name: str = "influencers",
    api_app_id: str = DEFAULT_APP_ID,
) -> SlackBody:
    """The form-encoded ``payload=<json>`` of a button click on ``message``.

    ``action`` needs only ``action_id``: block_id, value and text are taken from the button of
    that id in the message's blocks (as Slack does), unless given. A message flagged
    ``ephemeral`` (as LocalSlack.messages returns them) is sent the way Slack sends clicks on
    ephemeral messages: ``container.is_ephemeral`` true and no ``message`` field.
    """
    block_id, element = _find_element(message, action["action_id"])
    clicked: dict[str, Any] = {
        "action_id": action["action_id"],
        "block_id": block_id,
        "text": element.get("text"),
        "value": element.get("value"),
        "type": element.get("type", "button"),
        "action_ts": f"{time.time():.6f}",
    }
    clicked.update(action)
    clicked = {k: v for k, v in clicked.items() if v is not None}
    ephemeral = bool(message.get("ephemeral"))
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": DEFAULT_TOKEN,
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel_id,
                      "is_ephemeral": ephemeral},
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [clicked],
    }
    if not ephemeral:
        payload["message"] = {k: v for k, v in message.items() if k not in ("channel", "ephemeral")}
    return SlackBody.form({"payload": json.dumps(payload)})


def view_submission_body(
    *,
    team_id: str,
    user_id: str,
    view: dict,
    values: dict[str, dict[str, dict]],
    view_id: str | None = None,
    user_name: str = "local.user",
    team_domain: str = "local",
    api_app_id: str = DEFAULT_APP_ID,
) -> SlackBody:
    """The form-encoded ``payload=<json>`` of a modal's submit: the view as opened, plus its state.

    ``values`` is ``state.values`` as Slack sends it: {block_id: {action_id: {type, selected_option…}}}.
    """
    submitted = {k: v for k, v in view.items() if k not in ("submit_disabled",)}
    submitted.update({
        "id": view_id or f"V{secrets.token_hex(5).upper()}",
        "team_id": team_id,
        "state": {"values": values},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "app_id": api_app_id,
        "bot_id": "BBOT",
    })
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_domain},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": DEFAULT_TOKEN,
        "trigger_id": new_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return SlackBody.form({"payload": json.dumps(payload)})


def edge_environ(raw: bytes, headers: dict[str, str], *, remote_addr: str = "127.0.0.1") -> dict[str, Any]:
    """The WSGI environ a server such as waitress builds for a POST of `raw` to /slack/events."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "3000", "REMOTE_ADDR": remote_addr, "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw), "wsgi.url_scheme": "http", "wsgi.input_terminated": True,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    return environ
