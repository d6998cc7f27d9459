"""The one way platform clients talk HTTP: an httpx client whose transport retries 429, 5xx,
dropped connections and timeouts with exponential backoff and jitter, honouring Retry-After
(httpx-retries' RetryTransport), bounded by `sync_max_attempts` and `sync_timeout_s`.

Keys and tokens travel in query parameters (YouTube's key, the Graph API's access_token) or
headers. httpx logs every request line with its full URL at INFO, and httpx-retries logs the
request at DEBUG, so importing this module puts a filter on those loggers that passes each line
through `redact`; this package's own messages use `redact` too."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx
from httpx_retries import Retry, RetryTransport

RETRIED_STATUSES = (429, 500, 502, 503, 504)
RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_SECRET_PARAM = re.compile(r"(?i)((?:key|access_token|client_secret|client_key)=)[^&\s]+")


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How patient a client is: per-call timeout, attempts per call, and the backoff's scale.
    Tests shrink `backoff_s` and `max_wait_s` so retries cost milliseconds, not seconds."""

    timeout_s: float = 10.0
    max_attempts: int = 5
    backoff_s: float = 0.5
    max_wait_s: float = 60.0


def make_client(base_url: str, policy: HttpPolicy = HttpPolicy(), *,
                headers: dict[str, str] | None = None) -> httpx.Client:
    retry = Retry(
        total=max(policy.max_attempts - 1, 0),
        allowed_methods=["GET", "POST"],  # every platform call here is a read, safe to repeat
        status_forcelist=RETRIED_STATUSES,
        retry_on_exceptions=RETRIED_ERRORS,
        backoff_factor=policy.backoff_s,
        backoff_jitter=1.0,
        respect_retry_after_header=True,
        max_backoff_wait=policy.max_wait_s,
    )
    return httpx.Client(base_url=base_url, timeout=policy.timeout_s, headers=headers,
                        transport=RetryTransport(retry=retry))


def redact(text: str) -> str:
    """`text` with any key or token in a URL's query replaced by ***, for logs and messages."""
    return _SECRET_PARAM.sub(r"\1***", text)


class _RedactSecrets(logging.Filter):
    """Rewrites a log record whose text carries a key or token in a URL query."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_REDACTING = _RedactSecrets()
for _name in ("httpx", "httpx_retries.transport", "httpx_retries.retry"):
    logging.getLogger(_name).addFilter(_REDACTING)
