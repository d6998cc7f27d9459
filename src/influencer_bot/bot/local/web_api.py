"""An in-process fake of the Slack Web API, served over real HTTP on 127.0.0.1.

Slack is replaced only at the HTTP boundary: the real slack_sdk WebClient, Bolt's ``respond()``
(WebhookClient) and the retry handlers run unchanged against it, so the tests and the local
console exercise the same code path as production. It records every call, keeps the visible
state of each channel (for the console) and can inject rate limits and API errors (for tests).
Stdlib only, because it ships in the package.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

TEAM_ID, BOT_USER_ID, BOT_ID = "T0LOCAL", "UBOT", "BBOT"
_JSON_FIELDS = ("blocks", "attachments", "files", "metadata", "view")  # JSON strings in forms
_NO_TOKEN_NEEDED = {"api.test", "response_url", "file_upload"}


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


class LocalSlack:
    """A threaded fake Slack Web API. Use ``with LocalSlack() as slack:`` or ``start()``/``stop()``."""

    def __init__(self, *, default_tz: str = "Europe/Paris", user_tz: dict[str, str] | None = None) -> None:
        self.default_tz = default_tz
        self.user_tz: dict[str, str] = dict(user_tz or {})  # user id -> IANA zone, for users.info
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._faults: dict[str, deque[tuple]] = defaultdict(deque)
        self._channels: dict[str, list[dict]] = defaultdict(list)
        self._response_urls: dict[str, dict[str, str | None]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._ts = itertools.count(1_700_000_000_000_100, 100)  # microseconds
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalSlack:
        if self._server is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            self._server.slack = self  # type: ignore[attr-defined]
            self._server.daemon_threads = True
            self._server.handle_error = lambda request, client_address: None  # quiet
            threading.Thread(target=self._server.serve_forever, args=(0.05,),  # 0.05: fast stop()
                             name="local-slack", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """What ``WebClient(base_url=...)`` expects (trailing slash included)."""
        return f"{self.base_url}/api/"

    def new_response_url(self, *, message_ts: str | None = None, channel: str | None = None,
                         user: str | None = None) -> str:
        """A response_url; with message_ts and channel, replace_original edits that message."""
        rid = f"R{next(self._ids):06d}"
        with self._cond:
            self._response_urls[rid] = {"message_ts": message_ts, "channel": channel, "user": user}
        return f"{self.base_url}/response_url/{rid}"

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

    # -- visible channel state ---------------------------------------------------------------
    def messages(self, channel: str) -> list[dict]:
        """Messages currently visible in ``channel``, oldest first; ephemeral ones carry
        ``ephemeral=True`` and ``user`` (the only person who sees them)."""
        with self._cond:
            return copy.deepcopy(self._channels.get(channel, []))

    # -- request handling (server threads) ---------------------------------------------------
    def _handle(self, method: str, params: dict, headers: dict) -> tuple[int, dict[str, str], Any]:
        with self._cond:
            fault = self._faults[method].popleft() if self._faults.get(method) else None
            self._calls.append(Call(method, params, headers, time.time(), failed=fault is not None))
            self._cond.notify_all()
            if fault and fault[0] == "http":
                _, status, retry_after = fault
                if status == 429:
                    return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
                return status, {}, {"ok": False, "error": "internal_error"}
            if fault:
                return 200, {}, {"ok": False, "error": fault[1]}
            if method not in _NO_TOKEN_NEEDED and not (headers.get("authorization") or params.get("token")):
                return 200, {}, {"ok": False, "error": "not_authed"}
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            return 200, {}, handler(params) if handler else {"ok": True}

    def _next_ts(self) -> str:
        return "%d.%06d" % divmod(next(self._ts), 1_000_000)

    def _find(self, channel: str, ts: str) -> dict | None:
        return next((m for m in self._channels.get(channel, []) if m["ts"] == ts), None)

    @staticmethod
    def _content(params: dict) -> dict[str, Any]:
        return {k: params[k] for k in ("text", "blocks", "attachments", "thread_ts", "metadata") if k in params}

    def _add_message(self, channel: str, params: dict, **extra: Any) -> dict:
        msg = {"type": "message", "channel": channel, "ts": self._next_ts(), "user": BOT_USER_ID,
               "bot_id": BOT_ID, "team": TEAM_ID, "text": "", **self._content(params), **extra}
        self._channels[channel].append(msg)
        return msg

    def _m_chat_postMessage(self, p: dict) -> dict:
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not any(p.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        msg = self._add_message(p["channel"], p)
        return {"ok": True, "channel": p["channel"], "ts": msg["ts"], "message": _public(msg)}

    def _m_chat_postEphemeral(self, p: dict) -> dict:
        if not p.get("channel") or not p.get("user"):
            return {"ok": False, "error": "channel_not_found" if not p.get("channel") else "user_not_found"}
        msg = self._add_message(p["channel"], p, ephemeral=True, user=p["user"])
        return {"ok": True, "message_ts": msg["ts"]}

    def _m_chat_update(self, p: dict) -> dict:
        msg = self._find(p.get("channel", ""), p.get("ts", ""))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        msg.update(self._content(p))
        msg["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"ok": True, "channel": msg["channel"], "ts": msg["ts"], "text": msg.get("text", ""),
                "message": _public(msg)}

    def _m_chat_delete(self, p: dict) -> dict:
        msg = self._find(p.get("channel", ""), p.get("ts", ""))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        self._channels[msg["channel"]].remove(msg)
        return {"ok": True, "channel": msg["channel"], "ts": msg["ts"]}

    def _m_auth_test(self, p: dict) -> dict:
        return {"ok": True, "url": "https://local.slack.com/", "team": "Local", "user": "influencer-bot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_users_info(self, p: dict) -> dict:
        uid = p.get("user", "")
        tz = self.user_tz.get(uid, self.default_tz)
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        return {"ok": True, "user": {"id": uid, "team_id": TEAM_ID, "name": uid.lower(), "deleted": False,
                                     "is_bot": uid == BOT_USER_ID, "tz": tz, "tz_label": tz,
                                     "tz_offset": int(offset.total_seconds()) if offset else 0}}

    def _m_conversations_info(self, p: dict) -> dict:
        cid = p.get("channel", "")
        return {"ok": True, "channel": {"id": cid, "name": cid.lower(), "is_channel": True, "is_private": False,
                                        "is_member": True, "is_archived": False}}

    _m_conversations_join = _m_conversations_info

    def _m_files_getUploadURLExternal(self, p: dict) -> dict:
        fid = f"F{next(self._ids):08d}"
        self._uploads[fid] = {"id": fid, "name": p.get("filename"), "size": int(p.get("length") or 0)}
        return {"ok": True, "file_id": fid, "upload_url": f"{self.base_url}/upload/{fid}"}

    def _m_file_upload(self, p: dict) -> str:
        self._uploads.setdefault(p["file_id"], {"id": p["file_id"]})["data"] = p["data"]
        return f"OK - {len(p['data'])}"

    def _m_files_completeUploadExternal(self, p: dict) -> dict:
        files = []
        for item in p.get("files") or []:
            up = self._uploads.get(item.get("id", ""))
            if up is None or "data" not in up:
                return {"ok": False, "error": "file_not_found"}
            channels = [c for c in [p.get("channel_id"), *(p.get("channels") or "").split(",")] if c]
            files.append({"id": up["id"], "name": up["name"], "title": item.get("title") or up["name"],
                          "size": len(up["data"]), "channels": channels,
                          "url_private": f"{self.base_url}/files/{up['id']}"})
        for channel in files[0]["channels"] if files else []:
            thread = {"thread_ts": p["thread_ts"]} if p.get("thread_ts") else {}
            self._add_message(channel, {"text": p.get("initial_comment", ""), **thread}, files=files)
        return {"ok": True, "files": files}

    def _m_response_url(self, p: dict) -> str:
        """Apply a response_url POST the way Slack shows it: replace, delete or add a message."""
        target = self._response_urls.get(p["response_url_id"], {})
        channel, ts = target.get("channel"), target.get("message_ts")
        original = self._find(channel, ts) if channel and ts else None
        if original is not None and _truthy(p.get("delete_original")):
            self._channels[channel].remove(original)
        elif original is not None and _truthy(p.get("replace_original")):
            for key in ("text", "blocks", "attachments"):
                original.pop(key, None)
            original.update(self._content(p))
            original.setdefault("text", "")
        elif channel and any(p.get(k) for k in ("text", "blocks", "attachments")):
            in_channel = p.get("response_type") == "in_channel"
            self._add_message(channel, p, **({} if in_channel else {"ephemeral": True, "user": target.get("user")}))
        return "ok"


def _truthy(value: Any) -> bool:
    return value in (True, "true", "1", 1)


def _public(msg: dict) -> dict:
    """A message as Slack returns it: without the fake's bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in msg.items() if k not in ("channel", "ephemeral")}


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
        try:
            self._reply(*self.server.slack._handle(method, params, headers))  # type: ignore[attr-defined]
        except Exception as exc:  # a bug in the fake must surface in the caller, not hang it
            self._reply(500, {}, {"ok": False, "error": f"local_slack_error: {exc!r}"})

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
