"""The edge in front of /slack/events: size, signature and shape, checked before Bolt sees a byte.

In order, each refusal costing less than the next:
1. Content-Length above the limit: 413, the body unread. Without a Content-Length the body is
   read only when the server says where it ends (`wsgi.input_terminated`, as waitress does for
   chunked bodies), and never past the limit; otherwise 411.
2. Signature headers missing, malformed or older than five minutes: 401, the body unread. Else
   the body is read (at most the limit) and its HMAC checked: 401 when it does not match. This
   is Slack's v0 signature, checked by slack_sdk's SignatureVerifier, the code Bolt uses.
3. A body that is not UTF-8 (Slack's encoding; the verifier cannot hash anything else), or a
   signed body that is not shaped like a Slack request (bot/slack_payload.py): 400.
Only then is the request built and dispatched to the Bolt app.

A refusal is logged as one line of metadata (method, path, status, why, length, remote address),
never the body, and counted in bot/metrics.py. Bolt re-checks the signature (defence in depth);
its own refusal would log the whole body at INFO, so that logger is held at WARNING.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from . import slack_payload
from .metrics import REQUESTS

log = logging.getLogger("influencer_bot.edge")

# Slack's interactivity payloads and slash commands are a few KB; a message's blocks with 50
# rich-text sections stay under 100 KB. 512 KiB leaves five times that, yet bounds what an
# unsigned sender can make the process buffer and hash.
MAX_BODY_BYTES = 512 * 1024
MAX_CLOCK_SKEW_S = 5 * 60  # Slack's own rule: older requests may be replays
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_LENGTH = re.compile(r"[0-9]{1,18}")
_CHUNK = 64 * 1024

StartResponse = Callable[..., Any]


class Refused(Exception):
    """A request the edge answers itself: its HTTP status and a short reason (no request content)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class ParsedRequest(BoltRequest):
    """Bolt's request, carrying the body as the edge parsed it.

    Bolt's own parser (slack_bolt.request.internals.parse_body, 1.30) reads any form body that
    merely contains the text "payload" as an interaction without one, i.e. `{}`: the slash command
    `/influencer find payload trackers` would be "unhandled" (404). The two parsers agree on every
    other body, so the edge's result replaces Bolt's only where they differ, copies included
    (Bolt copies a request for lazy listeners by parsing its raw body again)."""

    def __init__(self, *, body: str, parsed: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(body=body, **kwargs)
        self.parsed = parsed
        if self.body != parsed:
            self.body = parsed
            self.context = build_context(BoltContext(kwargs.get("context") or {}), parsed)

    def to_copyable(self) -> ParsedRequest:
        return ParsedRequest(body=self.raw_body, parsed=self.parsed, query=self.query, headers=self.headers,
                             context=self.context.to_copyable(), mode=self.mode)


class SlackEdge:
    """A WSGI application for Slack's POSTs to /slack/events that refuses, cheaply and quietly,
    whatever Slack did not send, and hands the rest to `app`."""

    def __init__(self, app: App, *, signing_secret: str, max_body_bytes: int = MAX_BODY_BYTES,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self._verifier = SignatureVerifier(signing_secret)  # refuses an empty secret
        self._clock = clock
        logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = WsgiHttpRequest(environ)
        headers = request.get_headers()
        try:
            raw = self._read(environ, headers)
            bolt_request = self.admit(raw, headers, request.query_string)
        except Refused as refused:
            return self._refuse(environ, refused, start_response)
        response = self.app.dispatch(bolt_request)
        http = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(http.status, http.get_headers())
        return http.get_body()

    def admit(self, raw: bytes, headers: Mapping[str, Any], query: str = "") -> BoltRequest:
        """The Bolt request for a body Slack signed and shaped; else Refused (401 or 400)."""
        self._check_headers(headers)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:  # Slack sends UTF-8; slack_sdk's verifier could not even hash this
            raise Refused(400, "malformed: the body is not UTF-8") from None
        if not self._verifier.is_valid(raw, _one(headers, "x-slack-request-timestamp"),
                                       _one(headers, "x-slack-signature")):
            raise Refused(401, "signature does not match")
        try:
            parsed = slack_payload.parse(raw, _content_type(headers))
            return ParsedRequest(body=raw.decode("utf-8"), parsed=parsed, query=query, headers=dict(headers))
        except slack_payload.Malformed as bad:
            raise Refused(400, f"malformed: {bad.where}") from None
        except Exception as failure:  # a shape the checks let through that Bolt still cannot read
            raise Refused(400, f"malformed: Bolt could not read it ({type(failure).__name__})") from None

    # ------------------------------------------------------------------ the steps

    def _read(self, environ: dict[str, Any], headers: Mapping[str, Any]) -> bytes:
        declared = str(environ.get("CONTENT_LENGTH") or "").strip()
        if declared:
            if not _LENGTH.fullmatch(declared):
                raise Refused(400, "Content-Length is not a number")
            if int(declared) > self.max_body_bytes:
                raise Refused(413, f"Content-Length over {self.max_body_bytes} bytes")
            self._check_headers(headers)  # a forged request is refused before its body is read
            return _read_up_to(environ.get("wsgi.input"), int(declared))
        if not environ.get("wsgi.input_terminated"):
            raise Refused(411, "no Content-Length")
        self._check_headers(headers)
        body = _read_up_to(environ.get("wsgi.input"), self.max_body_bytes + 1)
        if len(body) > self.max_body_bytes:
            raise Refused(413, f"body over {self.max_body_bytes} bytes")
        return body

    def _check_headers(self, headers: Mapping[str, Any]) -> None:
        """401 for signature headers that cannot be right, before any body is hashed."""
        timestamp, signature = _one(headers, "x-slack-request-timestamp"), _one(headers, "x-slack-signature")
        if not timestamp or not signature:
            raise Refused(401, "unsigned")
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            raise Refused(401, "malformed signature headers")
        if abs(self._clock() - int(timestamp)) > MAX_CLOCK_SKEW_S:
            raise Refused(401, "stale timestamp")

    def _refuse(self, environ: dict[str, Any], refused: Refused, start_response: StartResponse) -> Iterable[bytes]:
        log.warning("refused %s %s: %s %s (Content-Length %s, from %s)", environ.get("REQUEST_METHOD", "?"),
                    environ.get("PATH_INFO", "?"), refused.status, refused.reason,
                    str(environ.get("CONTENT_LENGTH") or "none")[:20], environ.get("REMOTE_ADDR", "?"))
        REQUESTS.labels("edge", "slack_events", f"refused_{refused.status}").inc()
        body = json.dumps({"error": refused.reason}).encode()
        start_response(f"{refused.status} {_PHRASES[refused.status]}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


_PHRASES = {400: "Bad Request", 401: "Unauthorized", 411: "Length Required", 413: "Content Too Large"}


def _one(headers: Mapping[str, Any], name: str) -> str:
    value = headers.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if isinstance(value, str) else ""


def _content_type(headers: Mapping[str, Any]) -> str | None:
    """As Bolt reads it (request/internals.py), so both parse the body the same way."""
    return _one(headers, "content-type").split(";")[0] or None


def _read_up_to(stream: Any, limit: int) -> bytes:
    """At most `limit` bytes, in chunks, stopping early at the end of the input."""
    chunks, got = [], 0
    while stream is not None and got < limit:
        chunk = stream.read(min(_CHUNK, limit - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
