"""Fixtures for tests/edge: the edge over real HTTP (waitress configured as `run` configures it), and a log capture."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from waitress import create_server

from influencer_bot.bot.app import create_app
from influencer_bot.bot.edge import MAX_BODY_BYTES
from influencer_bot.bot.server import wsgi_app
from influencer_bot.bot.work_queue import WorkQueue

SECRET = "edge-test-signing-secret"


@contextmanager
def serving(application, **waitress_options) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`application` served by waitress on a free loopback port, for the length of the block; yields its URL."""
    server = create_server(application, host="127.0.0.1", port=0, threads=4, **waitress_options)
    stopping = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except OSError:
            if not stopping.is_set():  # closing the socket ends waitress's select loop with EBADF
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def edge_url(services, slack, engine) -> Iterator[str]:
    work = WorkQueue()
    app = create_app(services, token="xoxb-test", signing_secret=SECRET, api_url=slack.api_url, work=work)
    # as bot/server.py's serve() configures waitress
    with serving(wsgi_app(app, engine, signing_secret=SECRET), max_request_body_size=MAX_BODY_BYTES) as url:
        yield url
    work.close()


@pytest.fixture
def log_text(caplog: pytest.LogCaptureFixture):
    """Everything logged at INFO and above (production's level), as `run` would write it."""
    caplog.set_level(logging.INFO)
    return lambda: caplog.text
