"""Small readers for platform answers, shared by the clients: counts that may arrive as
numbers or strings (never booleans), bodies that may not be JSON, and a failure named for people."""

from __future__ import annotations

from typing import Any

import httpx


def as_int(value: Any) -> int | None:
    """A non-negative count, or None when the platform did not say (never a made-up 0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def json_body(response: httpx.Response) -> Any:
    """The decoded body, or None for an empty or non-JSON answer (a proxy's HTML error page)."""
    try:
        return response.json()
    except ValueError:
        return None


def no_answer(exc: Exception) -> str:
    """What went wrong on the wire, in words: never the URL, which may carry a key."""
    return "timed out" if isinstance(exc, httpx.TimeoutException) else "could not connect"
