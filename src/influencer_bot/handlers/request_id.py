"""One id per Slack request, in every log line of that request and in any apology its user sees.

The id lives in a context variable, set for the whole of a request's dispatch (`for_request`, which
the app wraps around Bolt's dispatch: a Bolt middleware could not, as Bolt runs listeners after the
middleware chain has returned), and the work queue (bot/work_queue.py) runs the work after the ack
in a copy of the submitter's context (and tells a worker process the id), so the search, its
database calls and its Slack calls all log under it.
An error id quoted to a user (handlers/replies.py) is this id, so support greps one string.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("influencer_request_id", default=None)


def current() -> str | None:
    return _CURRENT.get()


def new_id() -> str:
    return secrets.token_hex(4)


@contextmanager
def for_request(request_id: str | None = None) -> Iterator[str]:
    """The id (a fresh one unless given) of the request handled inside this block."""
    request_id = request_id or new_id()
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
