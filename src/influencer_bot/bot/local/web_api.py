"""An in-process fake of the Slack Web API, served over real HTTP on 127.0.0.1.

Slack is replaced only at the HTTP boundary: the real slack_sdk WebClient, Bolt's ``respond()``
(WebhookClient) and the retry handlers run unchanged against it, so the tests and the local
console exercise the same code path as production. This module is the server side: it decodes
requests, records every call, injects faults per method (429, 5xx, API errors, a dropped
connection, a call that hangs; `response_url` counts as a method) and lets a test wait for calls; what each method does to the visible workspace lives in web_api_methods.py.
Stdlib only, because it ships in the package.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from .loopback import LoopbackServer
from .web_api_installs import Install, Installs
from .web_api_methods import SlackWorkspace

_JSON_FIELDS = ("blocks", "attachments", "files", "metadata", "view")  # JSON strings in forms
_NO_TOKEN_NEEDED = {"api.test", "response_url", "file_upload", "oauth.v2.access"}


@dataclass(frozen=True)
class Call:
    """One request received; ``failed`` marks injected faults so tests can count retries."""

    method: str
    params: dict
    headers: dict  # lower-cased names
    at: float
    failed: bool = False


def _decode_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """Decode a JSON, form-encoded or multipart body the way slack_sdk encodes them."""
    if content_type.startswith("application/json"):
        return json.loads(raw.decode("utf-8")) if raw else {}
    out: dict[str, Any] = {}
    if content_type.startswith("multipart/form-data"):
        msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        for part in msg.iter_parts():
            name, data = part.get_param("name", header="content-disposition"), part.get_payload(decode=True)
            if part.get_filename():
                out[name] = {"filename": part.get_filename(), "data": data}
            else:
                out[name] = data.decode(part.get_content_charset() or "utf-8")
    else:
        out = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_FIELDS:  # form bodies carry these as JSON strings; decode them for inspection
        if isinstance(out.get(key), str) and out[key][:1] in "[{":
            try:
                out[key] = json.loads(out[key])
            except ValueError:
                pass
    return out


class LocalSlack(LoopbackServer):
    """A threaded fake Slack Web API. Use ``with LocalSlack() as slack:`` or ``start()``/``stop()``."""

    def __init__(self, *, default_tz: str = "Europe/Paris", user_tz: dict[str, str] | None = None,
                 client_id: str | None = None, client_secret: str | None = None) -> None:
        """`client_id`, `client_secret`: what oauth.v2.access accepts (any, when not given)."""
        self._cond = threading.Condition()
        self.installs = Installs(client_id, client_secret)
        self._calls: list[Call] = []
        self._faults: dict[str, deque[tuple]] = defaultdict(deque)
        self._released = threading.Event()  # hung calls wait for it: release_hung() or stop()
        self._workspace = SlackWorkspace(lambda: self.base_url, default_tz=default_tz, user_tz=dict(user_tz or {}))

    @property
    def default_tz(self) -> str:
        """The IANA zone users.info reports for users not in ``user_tz``."""
        return self._workspace.default_tz

    @default_tz.setter
    def default_tz(self, zone: str) -> None:
        self._workspace.default_tz = zone

    @property
    def user_tz(self) -> dict[str, str]:
        """User id -> IANA zone that users.info reports; set entries to give a user a timezone."""
        return self._workspace.user_tz

    @property
    def base_url(self) -> str:
        return self.origin

    @property
    def api_url(self) -> str:
        """What ``WebClient(base_url=...)`` expects (trailing slash included)."""
        return f"{self.base_url}/api/"

    def new_response_url(self, *, message_ts: str | None = None, channel: str | None = None,
                         user: str | None = None) -> str:
        """A response_url; with message_ts and channel, replace_original edits that message."""
        with self._cond:
            rid = self._workspace.new_response_url_id({"message_ts": message_ts, "channel": channel, "user": user})
        return f"{self.base_url}/response_url/{rid}"

    # -- installs (web_api_installs.py) -----------------------------------------------------
    def install_code(self, team_id: str | None, *, team_name: str | None = None, enterprise_id: str | None = None,
                     org_wide: bool = False, installer: str = "UADMIN",
                     scope: str = "commands,chat:write,chat:write.public,users:read,files:write") -> str:
        """The `code` Slack would send to the app's redirect URL after an admin approved the install."""
        with self._cond:
            return self.installs.new_code(Install(None if org_wide else team_id, team_name or team_id, enterprise_id,
                                                  org_wide, installer, scope))

    def uninstall(self, team_id: str) -> None:
        """The workspace (or org) removed the app: its bot tokens now get invalid_auth."""
        with self._cond:
            self.installs.revoke(team_id)

    @staticmethod
    def token_of(call: Call) -> str | None:
        """The bot token a call was made with (Authorization: Bearer, or a `token` field)."""
        auth = call.headers.get("authorization") or ""
        return auth[7:] if auth.lower().startswith("bearer ") else call.params.get("token")

    # -- recorded calls ----------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """All attempts at ``method``, failed ones included (``call.failed``)."""
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        """Forget recorded calls (channel state and pending faults are kept)."""
        with self._cond:
            self._calls.clear()

    def wait_for(self, predicate_or_method: str | Callable[[Call], bool], count: int = 1,
                 timeout: float = 5) -> list[Call]:
        """Block until ``count`` calls match, for work done after an ack. A method name matches
        successful calls only; a predicate sees every call. Raises TimeoutError with what came."""
        if isinstance(predicate_or_method, str):
            name = predicate_or_method
            predicate: Callable[[Call], bool] = lambda c: c.method == name and not c.failed  # noqa: E731
        else:
            predicate = predicate_or_method
        with self._cond:
            ok = self._cond.wait_for(lambda: len([c for c in self._calls if predicate(c)]) >= count, timeout)
            matched = [c for c in self._calls if predicate(c)]
            if not ok:
                seen = [c.method for c in self._calls]
                raise TimeoutError(f"{len(matched)}/{count} matching calls after {timeout}s; saw {seen}")
            return matched

    # -- fault injection ---------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls get HTTP ``status`` (429 with Retry-After, or 5xx)."""
        with self._cond:
            self._faults[method].extend([("http", status, retry_after)] * times)

    def error_next(self, method: str, error: str = "not_in_channel", times: int = 1) -> None:
        """The next ``times`` calls get HTTP 200 with {"ok": false, "error": error}."""
        with self._cond:
            self._faults[method].extend([("error", error)] * times)

    def drop_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls read the request, then close the connection without an answer
        (the client sees the connection lost, as when Slack refuses or resets it)."""
        with self._cond:
            self._faults[method].extend([("drop",)] * times)

    def hang_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls never answer: each waits until release_hung() or stop(), so the
        caller's timeout is what ends it. Nothing they asked for is done."""
        with self._cond:
            self._released.clear()
            self._faults[method].extend([("hang",)] * times)

    def release_hung(self) -> None:
        """Let every hung call end (its connection is closed unanswered)."""
        self._released.set()

    def stop(self) -> None:
        self._released.set()
        super().stop()

    # -- visible channel state ---------------------------------------------------------------
    def messages(self, channel: str) -> list[dict]:
        """Messages currently visible in ``channel``, oldest first; ephemeral ones carry
        ``ephemeral=True`` and ``user`` (the only person who sees them)."""
        with self._cond:
            return self._workspace.messages(channel)

    # -- request handling (server threads) ---------------------------------------------------
    def _handle(self, method: str, params: dict, headers: dict) -> tuple[int, dict[str, str], Any]:
        with self._cond:
            fault = self._faults[method].popleft() if self._faults.get(method) else None
            self._calls.append(Call(method, params, headers, time.time(), failed=fault is not None))
            self._cond.notify_all()
            if fault and fault[0] in ("drop", "hang"):
                return 0, {}, fault[0]
            if fault and fault[0] == "http":
                _, status, retry_after = fault
                if status == 429:
                    return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
                return status, {}, {"ok": False, "error": "internal_error"}
            if fault:
                return 200, {}, {"ok": False, "error": fault[1]}
            if method not in _NO_TOKEN_NEEDED and not (headers.get("authorization") or params.get("token")):
                return 200, {}, {"ok": False, "error": "not_authed"}
            if method == "oauth.v2.access":
                return 200, {}, self.installs.access(params, headers.get("authorization"))
            token = self.token_of(Call(method, params, headers, 0))
            if self.installs.revoked(token):
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            if method == "auth.test" and (bot := self.installs.bot(token)) is not None:
                return 200, {}, {"ok": True, "url": "https://local.slack.com/", "team": bot.team_id, "user": "bot",
                                 "team_id": bot.team_id, "user_id": bot.user_id, "bot_id": bot.bot_id,
                                 "enterprise_id": bot.enterprise_id, "is_enterprise_install": bot.team_id is None}
            return 200, {}, self._workspace.answer(method, params)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        kind, _, rest = url.path.strip("/").partition("/")
        params: dict[str, Any] = dict(parse_qsl(url.query))
        if kind == "api" and rest:
            method = rest
            params.update(_decode_body(headers.get("content-type", ""), raw))
        elif kind == "response_url" and rest:
            method = "response_url"
            params.update(_decode_body("application/json", raw), response_url_id=rest)
        elif kind == "upload" and rest:  # raw bytes, whatever Content-Type urllib claims
            method = "file_upload"
            params.update(file_id=rest, data=raw)
        else:
            self._reply(404, {}, {"ok": False, "error": "unknown_path"})
            return
        owner = self.server.owner  # type: ignore[attr-defined]
        try:
            status, headers, body = owner._handle(method, params, headers)
        except Exception as exc:  # a bug in the fake must surface in the caller, not hang it
            self._reply(500, {}, {"ok": False, "error": f"local_slack_error: {exc!r}"})
            return
        if status == 0:  # an injected dropped or hung connection: no answer at all
            if body == "hang":
                owner._released.wait()
            self.close_connection = True
            return
        self._reply(status, headers, body)

    do_GET = do_POST

    def _reply(self, status: int, headers: dict[str, str], body: Any) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        self.send_response(status)
        ctype = "text/plain" if isinstance(body, str) else "application/json"
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no request logging to stderr."""


LocalSlack.handler = _Handler
LocalSlack.thread_name = "local-slack"
