"""The Bolt app factory: one app for Slack, the console, `ask` and the tests.

The app runs with `process_before_response`: each listener runs on the request thread and the
HTTP answer (the ack) goes out when it returns. Listeners keep that short (parse, a read, their
outbox row) and hand anything slow to the work queue (bot/work_queue.py), which the app puts in
every request's context. Bolt's default mode would instead run ack and work together on one
shared pool, where acks wait behind searches.
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from ..handlers import register
from ..handlers.after_ack import OUTCOME, WORK
from ..handlers.commands.subcommands import SUBCOMMANDS, split
from ..handlers.ids import ActionId, ViewId
from ..handlers.request_id import for_request
from ..handlers.services import Services
from .metrics import ACK_SECONDS, REQUESTS
from .slack_client import BotIdentity, SlackPolicy, make_web_client, slack_middleware, static_authorize
from .work_queue import WorkQueue

_KNOWN_NAMES = {*SUBCOMMANDS, *(a.value for a in ActionId), *(v.value for v in ViewId)}


def _labels(req: BoltRequest) -> tuple[str, str]:
    """(kind, name) of a request, from bounded sets only: a hostile body cannot grow the metrics."""
    body: dict[str, Any] = req.body or {}
    if "command" in body:
        kind, name = "command", split(str(body.get("text") or ""))[0].lower() or "help"
    elif body.get("type") == "block_actions":
        kind, name = "action", str(((body.get("actions") or [{}])[0] or {}).get("action_id"))
    elif body.get("type") == "view_submission":
        kind, name = "view", str((body.get("view") or {}).get("callback_id"))
    else:
        kind, name = "other", "other"
    return kind, name if name in _KNOWN_NAMES else "other"


class InfluencerApp(App):
    """Bolt's App, each request dispatched under its own request id (handlers/request_id.py),
    counted by what became of it and its ack (the HTTP answer) timed."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        with for_request():
            response = super().dispatch(req)
        kind, name = _labels(req)
        ACK_SECONDS.labels(kind).observe(time.perf_counter() - started)
        outcome = req.context.get(OUTCOME) or ("answered" if response.status < 400 else f"http_{response.status}")
        REQUESTS.labels(kind, name, outcome).inc()
        return response


def create_app(services: Services, *, token: str | None, signing_secret: str, api_url: str, work: WorkQueue,
               slack_policy: SlackPolicy = SlackPolicy(), identity: BotIdentity = BotIdentity()) -> App:
    """Build the app; `work` runs what listeners hand over after their ack (in the request's context,
    so it logs under the request's id). Requests are authorised with `identity`, what `run` learnt
    from auth.test at start-up: Slack is never asked per request."""
    app = InfluencerApp(
        client=make_web_client(None, api_url, slack_policy),
        authorize=static_authorize(token, identity),
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=True,
        ignoring_self_events_enabled=False,
    )
    app.middleware(slack_middleware(token, api_url, slack_policy))

    @app.middleware
    def provide_services(context: BoltContext, next):  # type: ignore[no-untyped-def]  # noqa: A002
        context["services"] = services
        context[WORK] = work
        return next()

    register(app)
    return app
