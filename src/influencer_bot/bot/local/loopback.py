"""Serving a local stand-in on 127.0.0.1: the lifecycle the Slack Web API stand-in and the
platform stand-ins share. The request handler reaches its stand-in as `self.server.owner`."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Start and stop a threaded HTTP server on a free loopback port, in a daemon thread.
    Use `with Server() as s:` or start()/stop(); `origin` is its http://127.0.0.1:PORT."""

    handler: type[BaseHTTPRequestHandler]
    thread_name = "loopback"
    _server: ThreadingHTTPServer | None = None

    def start(self) -> Self:
        if self._server is None:
            server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
            server.owner = self  # type: ignore[attr-defined]
            server.daemon_threads = True
            server.request_queue_size = 128  # bursts of concurrent clients (the benchmarks)
            server.handle_error = lambda request, client_address: None  # quiet
            self._server = server
            threading.Thread(target=server.serve_forever, args=(0.05,),  # 0.05: a fast stop()
                             name=self.thread_name, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{self.thread_name} is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"
