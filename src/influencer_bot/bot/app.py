"""The Bolt app factory: one app for Slack, the console, `ask` and the tests.

The app runs with `process_before_response`: each listener runs on the request thread and the
HTTP answer (the ack) goes out when it returns. Listeners keep that short (parse, a read, their
outbox row) and hand anything slow to the work queue (bot/work_queue.py), which the app puts in
every request's context. Bolt's default mode would instead run ack and work together on one
shared pool, where acks wait behind searches.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from ..handlers import register
from ..handlers.after_ack import OUTCOME, WORK
from ..handlers.commands.subcommands import SUBCOMMANDS, split
from ..handlers.ids import ActionId, ViewId
from ..handlers.request_id import for_request
from ..handlers.services import Services
from .metrics import ACK_SECONDS, REQUESTS
from .slack_client import BotIdentity, SlackPolicy, make_web_client, slack_middleware
from .work_queue import WorkQueue
from .workspace_clients import StaticTokens, TokensAuthorize, WorkspaceTokens

if TYPE_CHECKING:
    from slack_bolt.oauth import OAuthFlow
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

_KNOWN_NAMES = {*SUBCOMMANDS, *(a.value for a in ActionId), *(v.value for v in ViewId), "app_uninstalled",
                "tokens_revoked"}


def _labels(req: BoltRequest) -> tuple[str, str]:
    """(kind, name) of a request, from bounded sets only: a hostile body cannot grow the metrics."""
    body: dict[str, Any] = req.body or {}
    if "command" in body:
        kind, name = "command", split(str(body.get("text") or ""))[0].lower() or "help"
    elif body.get("type") == "block_actions":
        kind, name = "action", str(((body.get("actions") or [{}])[0] or {}).get("action_id"))
    elif body.get("type") == "view_submission":
        kind, name = "view", str((body.get("view") or {}).get("callback_id"))
    elif body.get("type") == "event_callback":
        kind, name = "event", str((body.get("event") or {}).get("type"))
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
               slack_policy: SlackPolicy = SlackPolicy(), identity: BotIdentity = BotIdentity(),
               tokens: WorkspaceTokens | None = None, oauth_flow: OAuthFlow | None = None,
               installations: SQLAlchemyInstallationStore | None = None) -> App:
    """Build the app; `work` runs what listeners hand over after their ack (in the request's context,
    so it logs under the request's id).

    Requests are authorised by `tokens`: by default the one `token`, with `identity` (what `run`
    learnt from auth.test at start-up: Slack is never asked per request); with OAuth, each workspace's
    installation (bot/workspace_clients.py), `oauth_flow` serving the install pages and
    `installations` losing a workspace when it uninstalls the app (bot/oauth.py)."""
    tokens = tokens or StaticTokens(token, identity, api_url, slack_policy)
    app = InfluencerApp(
        client=make_web_client(None, api_url, slack_policy),
        authorize=TokensAuthorize(tokens),
        oauth_flow=oauth_flow,
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=True,
        ignoring_self_events_enabled=False,
    )
    app.middleware(slack_middleware(api_url, slack_policy))

    @app.middleware
    def provide_services(context: BoltContext, next):  # type: ignore[no-untyped-def]  # noqa: A002
        context["services"] = services
        context[WORK] = work
        return next()

    register(app)
    if installations is not None:
        from .oauth import register_uninstall

        register_uninstall(app, installations, tokens)
    return app
