"""The one place Slack is called from: Web API clients, `respond()` and the start-up token check.

Every Web API call and every response_url post goes through here, so each has a timeout, the
retry handlers (429 honouring Retry-After, 5xx, lost connections) and its failures counted in
SLACK_API_ERRORS by method and code. Bolt would otherwise build a plain client per request and a
`respond()` without retries; `slack_middleware` (bot/app.py registers it) swaps both for ours.

A read timeout is not retried: a post that timed out may have reached Slack, and retrying it
could post twice. A single-workspace token is checked once, at start-up (`check_token`); requests
are authorised from that result or from the installation store (bot/workspace_clients.py), never by
calling Slack on the request path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_bolt import BoltContext, Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from .metrics import SLACK_API_ERRORS

log = logging.getLogger("influencer_bot.slack")

# auth.test answers that mean the token itself is wrong: `run` stops instead of serving
REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
           "no_permission", "missing_scope", "not_allowed_token_type", "invalid_token"}


@dataclass(frozen=True, slots=True)
class SlackPolicy:
    """How long one HTTP call to Slack may take, and how often a failed one is retried."""

    timeout_s: float = 10.0
    attempts: int = 3  # retries after the first try, per kind of failure
    backoff_s: float = 0.5  # the first pause before a retry of a 5xx or lost connection; doubles each time


class SlackDeliveryError(RuntimeError):
    """A response_url post that Slack did not accept, even after the retries."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"response_url answered HTTP {status}: {body[:200]}")
        self.status = status


def retry_handlers(policy: SlackPolicy = SlackPolicy()) -> list:
    # RateLimitErrorRetryHandler waits for Retry-After; the others back off exponentially.
    backoff = BackoffRetryIntervalCalculator(backoff_factor=policy.backoff_s)
    return [
        RateLimitErrorRetryHandler(max_retry_count=policy.attempts),
        ServerErrorRetryHandler(max_retry_count=policy.attempts, interval_calculator=backoff),
        ConnectionErrorRetryHandler(max_retry_count=policy.attempts, interval_calculator=backoff),
    ]


def _code(failure: BaseException) -> str:
    """A bounded label for a failure: Slack's error code, an HTTP status, or the kind of network trouble."""
    if isinstance(failure, SlackApiError):
        error = failure.response.get("error") if isinstance(failure.response.data, dict) else None
        return str(error or f"http_{failure.response.status_code}")[:40]
    if isinstance(failure, SlackDeliveryError):
        return f"http_{failure.status}"
    if isinstance(failure, TimeoutError) or "timed out" in str(failure):
        return "timeout"
    return "connection_error"


def counted(method: str, failure: BaseException) -> None:
    SLACK_API_ERRORS.labels(method=method, code=_code(failure)).inc()


class SlackClient(WebClient):
    """A WebClient whose failures are counted by method and code (after its retries ran out)."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:  # type: ignore[override]
        try:
            return super().api_call(api_method, **kwargs)
        except (SlackApiError, SlackRequestError, URLError, OSError) as failure:
            counted(api_method, failure)
            raise


def make_web_client(token: str | None, base_url: str, policy: SlackPolicy = SlackPolicy()) -> WebClient:
    return SlackClient(token=token, base_url=base_url, retry_handlers=retry_handlers(policy),
                       timeout=policy.timeout_s)  # type: ignore[arg-type]  # urllib takes a float


class SlackRespond(Respond):
    """Bolt's `respond()`, with the timeout and retry handlers every other Slack call has.

    Bolt's own returns a 429 or 5xx answer as if it were delivered; this one raises
    SlackDeliveryError, so a reply that never arrived is logged, not lost in silence.
    """

    def __init__(self, *, response_url: str | None, policy: SlackPolicy) -> None:
        super().__init__(response_url=response_url)
        self.policy = policy

    def __call__(self, text: str | dict = "", **fields: Any) -> Any:  # type: ignore[override]
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        message = _build_message(**text) if isinstance(text, dict) else _build_message(text=text, **fields)
        client = WebhookClient(self.response_url, timeout=self.policy.timeout_s,  # type: ignore[arg-type]
                               retry_handlers=retry_handlers(self.policy))
        try:
            answer = client.send_dict(message)
        except (URLError, OSError) as failure:
            counted("response_url", failure)
            raise
        if answer.status_code != 200:
            failure = SlackDeliveryError(answer.status_code, answer.body)
            counted("response_url", failure)
            raise failure
        return answer


def responder(policy: SlackPolicy) -> Callable[[str | None], SlackRespond]:
    """What Services.respond_to should be: replies to a stored response_url under `policy`."""
    return lambda response_url: SlackRespond(response_url=response_url, policy=policy)


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """What auth.test said about the token at start-up (empty when Slack could not be reached)."""

    team_id: str | None = None
    user_id: str | None = None
    bot_id: str | None = None
    enterprise_id: str | None = None


class TokenRefused(RuntimeError):
    """Slack answered auth.test and refused the token: serving would fail every request."""


def check_token(client: WebClient) -> BotIdentity:
    """Check the bot token once (the client's retry handlers apply). A refused token raises
    TokenRefused; a Slack that cannot be reached only warns, and the bot starts anyway."""
    try:
        answer = client.auth_test()
    except SlackApiError as err:
        code = _code(err)
        if code in REFUSED:
            raise TokenRefused(f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token "
                               "(xoxb-…) again from your app's “OAuth & Permissions” page") from None
        log.warning("could not check the Slack token at start-up (%s); starting anyway", code)
        return BotIdentity()
    except (SlackRequestError, URLError, OSError) as err:
        log.warning("could not reach Slack to check the token at start-up (%s); starting anyway", _code(err))
        return BotIdentity()
    return BotIdentity(answer.get("team_id"), answer.get("user_id"), answer.get("bot_id"),
                       answer.get("enterprise_id"))


def slack_middleware(base_url: str, policy: SlackPolicy) -> Callable[..., Any]:
    """Global middleware: this request's `client` (with the token `authorize` found for its workspace)
    and `respond` are ours, with timeouts and retries."""

    def middleware(context: BoltContext, next: Callable[[], Any]) -> Any:  # noqa: A002 (Bolt's name)
        context["client"] = make_web_client(context.bot_token, base_url, policy)
        context["respond"] = SlackRespond(response_url=context.response_url, policy=policy)
        return next()

    return middleware
