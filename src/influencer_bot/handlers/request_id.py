"""One id per Slack request, in every log line of that request and in any apology its user sees.

The id lives in a context variable, set for the whole of a request's dispatch (`for_request`, which
the app wraps around Bolt's dispatch: a Bolt middleware could not, as Bolt runs listeners after the
middleware chain has returned), and the listener executor copies the context into the thread that
does the work after the ack (`carry_context`), so the search, its database calls and its Slack calls all log under it.
An error id quoted to a user (handlers/replies.py) is this id, so support greps one string.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import Executor, Future
from typing import Any

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("influencer_request_id", default=None)


def current() -> str | None:
    return _CURRENT.get()


def new_id() -> str:
    return secrets.token_hex(4)


@contextmanager
def for_request() -> Iterator[str]:
    """A fresh id for the request handled inside this block."""
    request_id = new_id()
    token = _CURRENT.set(request_id)
    try:
        yield request_id
    finally:
        _CURRENT.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "-") on every record, as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _CURRENT.get() or "-"
        return True


class carry_context(Executor):
    """An executor that runs each piece of work in a copy of the submitter's context (its request id)."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.inner.submit(contextvars.copy_context().run, fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __getattr__(self, name: str) -> Any:  # the inner executor's own extras (e.g. the driver's wait)
        return getattr(self.inner, name)
