"""Socket Mode: /healthz of a real `influencer-bot run` says whether its WebSocket to Slack is up.

Slack is replaced at its two boundaries: the Web API stand-in answers apps.connections.open with the
address of a local WebSocket endpoint (the `websockets` library), which the test then takes down."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.server import Server, ServerConnection, serve

from influencer_bot.bot.local.web_api import LocalSlack
from influencer_bot.bot.socket_health import DISCONNECTED
from processes import STARTUP_S, free_port, start_bot, until


class SocketModeEndpoint:
    """A local stand-in for Slack's Socket Mode WebSocket: holds each connection until told to drop it."""

    def __init__(self) -> None:
        self.drop = threading.Event()
        self.connected = threading.Event()
        self.server: Server = serve(self._hold, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"

    def _hold(self, connection: ServerConnection) -> None:
        self.connected.set()
        self.drop.wait(timeout=300)
        connection.close()

    def go_down(self) -> None:
        """Close every connection and refuse new ones, as when Slack's endpoint is unreachable."""
        self.drop.set()  # first: shutdown() waits for the handlers, which hold until this is set
        self.server.shutdown()


class SocketModeSlack(LocalSlack):
    """The Web API stand-in, answering apps.connections.open with the local endpoint's address."""

    def __init__(self, endpoint: SocketModeEndpoint) -> None:
        super().__init__()
        self.endpoint = endpoint

    def _handle(self, method, params, headers):  # type: ignore[no-untyped-def]
        if method == "apps.connections.open":
            return 200, {}, {"ok": True, "url": self.endpoint.url}
        return super()._handle(method, params, headers)


@pytest.fixture
def endpoint() -> Iterator[SocketModeEndpoint]:
    ep = SocketModeEndpoint()
    yield ep
    ep.go_down()


def _status(base: str) -> tuple[int, dict] | None:
    try:
        response = httpx.get(f"{base}/healthz", timeout=2)
    except httpx.TransportError:
        return None
    return response.status_code, response.json()


def test_healthz_is_503_with_the_reason_while_the_socket_mode_connection_is_down(tmp_path: Path, endpoint):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with SocketModeSlack(endpoint) as slack:
        proc = start_bot(["run", "--no-scheduler"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
                         SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=slack.api_url,
                         PORT=str(port))
        try:
            until(lambda: proc.poll() is not None or _status(base) is not None, STARTUP_S, "/healthz answers")
            assert endpoint.connected.is_set(), "run answered /healthz before connecting to Slack"
            assert _status(base) == (200, {"status": "ok"})
            endpoint.go_down()
            until(lambda: proc.poll() is not None or _status(base) == (503, {"status": DISCONNECTED}), 60,
                   "/healthz reports the lost connection")
            assert proc.poll() is None
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, out
    assert "connected to Slack with Socket Mode" in out and "stopped cleanly" in out
