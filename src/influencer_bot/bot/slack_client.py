"""The one place a Slack WebClient is made: with retries for 429, 5xx and lost connections."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)


def retry_handlers(attempts: int = 3) -> list:
    # RateLimitErrorRetryHandler waits for Retry-After; the others back off exponentially.
    return [
        RateLimitErrorRetryHandler(max_retry_count=attempts),
        ServerErrorRetryHandler(max_retry_count=attempts),
        ConnectionErrorRetryHandler(max_retry_count=attempts),
    ]


def make_web_client(token: str | None, base_url: str, attempts: int = 3) -> WebClient:
    return WebClient(token=token, base_url=base_url, retry_handlers=retry_handlers(attempts), timeout=15)
