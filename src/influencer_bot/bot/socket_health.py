"""/healthz in Socket Mode also says whether the WebSocket to Slack is up.

In Socket Mode Slack's requests arrive over one outbound WebSocket, not over HTTP, so a replica whose
connection dropped (and has not reconnected yet) answers nobody even while its database is fine. The
orchestrator should see that: /healthz answers 503 with the reason until the client reconnects, and
otherwise says what the plain health check says (the database).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

DISCONNECTED = "Slack Socket Mode connection down"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_socket_health(inner: WSGIApp, is_connected: Callable[[], bool]) -> WSGIApp:
    """`inner` with /healthz answering 503 while `is_connected()` (the Socket Mode client's) is false."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") == "/healthz" and not _connected(is_connected):
            body = json.dumps({"status": DISCONNECTED}).encode()
            start_response("503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return inner(environ, start_response)

    return application


def _connected(is_connected: Callable[[], bool]) -> bool:
    try:
        return bool(is_connected())
    except Exception:  # noqa: BLE001 - a client that cannot even say is not connected
        return False
