"""`influencer-bot run`: Slack's HTTP requests (or Socket Mode) plus /healthz and /metrics.

HTTP mode serves /slack/events with waitress, a production WSGI server, behind the edge
(bot/edge.py: body limit, signature and shape checked before Bolt); Socket Mode connects out with
SLACK_APP_TOKEN and still serves /healthz so container health checks work the same way. /metrics is
Prometheus's text format (bot/metrics.py). Waitress's threads only answer requests (acks are short);
the work after them runs on the work queue (bot/work_queue.py), which a stop drains.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from ..storage.db import is_reachable
from .lifecycle import Drain, serve_until_stopped
from .edge import MAX_BODY_BYTES, SlackEdge

log = logging.getLogger("influencer_bot.server")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App | None, engine: Engine, *, signing_secret: str = "",
             max_body_bytes: int = MAX_BODY_BYTES) -> WSGIApp:
    slack = SlackEdge(app, signing_secret=signing_secret, max_body_bytes=max_body_bytes) if app is not None else None
    flow = app.oauth_flow if app is not None else None
    # OAuth (bot/oauth.py): Bolt's own WSGI adapter serves the install page and the redirect back from Slack
    install_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()
    oauth_pages = SlackRequestHandler(app) if flow is not None and app is not None else None

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
        if oauth_pages is not None and path in install_paths and environ.get("REQUEST_METHOD") == "GET":
            return oauth_pages(environ, start_response)
        body = b"not found"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return application


def serve(app: App, engine: Engine, *, port: int, socket_mode_token: str | None, finish_work: Callable[[], None],
          grace_s: float = 20.0, also_stop: Sequence[Drain] = (), signing_secret: str = "",
          max_body_bytes: int = MAX_BODY_BYTES) -> list[str]:
    """Serve until SIGTERM or Ctrl-C, then stop within `grace_s` (bot/lifecycle.py); `finish_work`
    returns once the work accepted after acks is done (it runs after Slack stops sending more).

    Returns what was still running when the grace period ran out (empty after a clean stop)."""
    from waitress import create_server

    if socket_mode_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from .socket_health import with_socket_health

        handler = SocketModeHandler(app, socket_mode_token)
        handler.connect()
        log.info("connected to Slack with Socket Mode; /healthz on port %s", port)
        health = with_socket_health(wsgi_app(None, engine), handler.client.is_connected)
        server = create_server(health, host="0.0.0.0", port=port, threads=4)

        def stop_slack() -> None:
            handler.close()  # no new events; the ones being dispatched finish first
            finish_work()
    else:
        log.info("listening for Slack on http://0.0.0.0:%s/slack/events (and /healthz, /metrics%s)", port,
                 ", /slack/install, /slack/oauth_redirect" if app.oauth_flow is not None else "")
        # waitress refuses a larger body itself (413) before reading it; the edge does again for any other server.
        # Acks are short, so a few threads answer many; a burst of Slack users is many connections at once.
        server = create_server(wsgi_app(app, engine, signing_secret=signing_secret, max_body_bytes=max_body_bytes),
                               host="0.0.0.0", port=port, threads=8, connection_limit=1000,
                               max_request_body_size=max_body_bytes)
        stop_slack = finish_work
    return serve_until_stopped(server, grace_s=grace_s,
                               drains=[("Slack work after the ack", stop_slack), *also_stop])
