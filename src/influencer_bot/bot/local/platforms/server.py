"""The recording HTTP server every platform stand-in is built on.

A stand-in subclasses `StandInServer` and implements `answer(request)`, returning a `Reply`.
The base records every request (path, query, JSON body, headers), injects faults queued by
tests (`fail_next`: an HTTP status with an optional body and Retry-After, or a hang longer than
the client's timeout), adds an optional latency per call (the benchmark's 50 ms), and lets a test
wait for calls. Stdlib only, because it ships in the package.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..loopback import LoopbackServer


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    body: Any  # decoded JSON, or None
    headers: dict[str, str]  # lower-cased names
    at: float
    failed: bool = False  # answered by an injected fault, not by the stand-in


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # serialised as JSON; str or bytes sent as they are; None sends no body
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fault:
    status: int = 500
    body: Any = None
    retry_after: float | None = None
    hang_s: float = 0.0  # sleep this long before answering (longer than the client's timeout: a timeout)
    path_contains: str = ""  # only requests whose path contains this
    path: str = ""  # only requests to exactly this path (`/videos`, not `/feeds/videos.xml`)


class StandInServer(LoopbackServer):
    """Threaded, recording, fault-injecting JSON server. `with Server() as api:` or start()/stop()."""

    name = "stand-in"

    @property
    def thread_name(self) -> str:  # type: ignore[override]
        return self.name

    def __init__(self, *, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self._cond = threading.Condition()
        self._requests: list[Request] = []
        self._faults: deque[Fault] = deque()

    # -- what subclasses implement ------------------------------------------------------------
    def answer(self, request: Request) -> Reply:
        raise NotImplementedError

    @property
    def url(self) -> str:
        """The base URL, with a trailing slash, to put in the matching *_API_URL setting."""
        return self.origin + "/"

    # -- faults and records -------------------------------------------------------------------
    def fail_next(self, status: int = 500, *, body: Any = None, retry_after: float | None = None,
                  hang_s: float = 0.0, times: int = 1, path_contains: str = "", path: str = "") -> None:
        """The next `times` matching requests get this fault instead of an answer."""
        with self._cond:
            self._faults.extend([Fault(status, body, retry_after, hang_s, path_contains, path)] * times)

    def requests(self, path_contains: str = "", *, include_failed: bool = True) -> list[Request]:
        with self._cond:
            return [r for r in self._requests
                    if path_contains in r.path and (include_failed or not r.failed)]

    def wait_for(self, path_contains: str, count: int = 1, timeout: float = 10.0) -> list[Request]:
        """Block until `count` answered requests to a path containing `path_contains` arrived."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [r for r in self._requests if path_contains in r.path and not r.failed]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: {len(got)} of {count} calls to {path_contains!r} arrived")
                self._cond.wait(left)

    def _take_fault(self, path: str) -> Fault | None:
        with self._cond:
            for i, fault in enumerate(self._faults):
                if fault.path_contains in path and fault.path in ("", path):
                    del self._faults[i]
                    return fault
        return None

    def _record(self, request: Request) -> None:
        with self._cond:
            self._requests.append(request)
            self._cond.notify_all()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY the body waits for the client's
    # delayed ACK (~40 ms on Linux), which would add to every call's latency on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        stand_in: StandInServer = self.server.owner  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = dict(parse_qsl(raw.decode("utf-8", "replace")))  # form-encoded (OAuth token calls)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if stand_in.latency_s:
            time.sleep(stand_in.latency_s)
        fault = stand_in._take_fault(parts.path)
        request = Request(self.command, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)), body,
                          headers, time.monotonic(), failed=fault is not None)
        if fault is not None:
            if fault.hang_s:
                time.sleep(fault.hang_s)
            extra = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            reply = Reply(fault.status, fault.body, extra)
        else:
            try:
                reply = stand_in.answer(request)
            except Exception as exc:  # a stand-in bug shows as a 500 with its reason, not a hung client
                reply = Reply(500, {"error": {"message": f"stand-in error: {exc!r}"}})
        stand_in._record(request)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if isinstance(reply.body, (str, bytes)):  # sent as is (the YouTube feed's XML, junk bodies)
            data = reply.body.encode() if isinstance(reply.body, str) else reply.body
        else:
            data = b"" if reply.body is None else json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if data and not any(name.lower() == "content-type" for name in reply.headers):
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass


StandInServer.handler = _Handler
