"""`influencer-bot run`: Slack's HTTP requests (or Socket Mode) plus /healthz and /metrics.

HTTP mode serves /slack/events (signature checked by Bolt) with waitress, a
production WSGI server; Socket Mode connects out with SLACK_APP_TOKEN and still
serves /healthz so container health checks work the same way. /metrics is Prometheus's text
format (bot/metrics.py). Waitress's threads only answer requests (acks are short); the work
after them runs on the work queue's own threads (bot/work_queue.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from ..storage.db import is_reachable

log = logging.getLogger("influencer_bot.server")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App | None, engine: Engine) -> WSGIApp:
    slack = SlackRequestHandler(app) if app is not None else None

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            ok = is_reachable(engine)
            body = json.dumps({"status": "ok" if ok else "database unreachable"}).encode()
            start_response("200 OK" if ok else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/metrics":
            body = generate_latest()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(body)))])
            return [body]
        if slack is not None and path == "/slack/events" and environ.get("REQUEST_METHOD") == "POST":
            return slack(environ, start_response)
        body = b"not found"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return application


def serve(app: App, engine: Engine, *, port: int, socket_mode_token: str | None) -> None:
    from waitress import create_server

    if socket_mode_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, socket_mode_token).connect()
        log.info("connected to Slack with Socket Mode; /healthz on port %s", port)
        server = create_server(wsgi_app(None, engine), host="0.0.0.0", port=port, threads=4)
    else:
        log.info("listening for Slack on http://0.0.0.0:%s/slack/events (and /healthz, /metrics)", port)
        # acks are short, so a few threads answer many; a burst of Slack users is many connections at once
        server = create_server(wsgi_app(app, engine), host="0.0.0.0", port=port, threads=8, connection_limit=1000)
    server.run()
