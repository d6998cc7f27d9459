"""Bolt's listener executor for the local driver: the work after the ack, counted so it can be awaited.

In Bolt's default ack mode (the one Slack traffic takes) `App.dispatch` returns as soon as a
listener acks, and the rest of the listener runs on the app's `listener_executor`. The driver
gives the app this executor so that, once dispatch has returned, it can wait until that work is
done before it reads what the app sent. The wait is a condition notified when the last piece of
work finishes: no sleeps, no polling. Bolt submits a request's work (and any lazy listener)
before `dispatch` returns, so the count already includes it when the driver starts waiting.

Bolt hands a listener's exception to the app's error handler, which can answer in the HTTP
response only while the ack is still pending; after the ack nobody would see it. `recorded`
keeps such errors (and anything escaping the work itself) so the driver can raise them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.listener.listener_error_handler import ListenerErrorHandler


class ListenerWork(Executor):
    """A thread pool that knows how much submitted work is still running, and what failed."""

    def __init__(self, max_workers: int = 5) -> None:  # 5: Bolt's own default pool size
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="local-listener")
        self._idle = threading.Condition()
        self._running = 0
        self._errors: list[BaseException] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._running += 1
        try:
            return self._pool.submit(self._run, fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise

    def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            self.record(exc)
            raise
        finally:
            self._finished()

    def _finished(self) -> None:
        with self._idle:
            self._running -= 1
            if self._running == 0:
                self._idle.notify_all()

    def record(self, error: BaseException) -> None:
        with self._idle:
            self._errors.append(error)

    def wait_until_idle(self) -> list[BaseException]:
        """Block until no submitted work is running; return (and forget) the errors recorded."""
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0)
            errors, self._errors = self._errors, []
        return errors

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class RecordingErrorHandler(ListenerErrorHandler):
    """Wraps the app's listener error handler: a failure after the ack is recorded, then handled.

    After the ack Bolt passes ``response=None``, and the app's handler (handlers/errors.py) then
    sends its reply through respond(), exactly as in production.
    """

    def __init__(self, inner: ListenerErrorHandler, work: ListenerWork) -> None:
        self.inner, self.work = inner, work

    def handle(self, error: Exception, request: BoltRequest, response: BoltResponse | None) -> None:
        if response is None:
            self.work.record(error)
        self.inner.handle(error=error, request=request, response=response)
