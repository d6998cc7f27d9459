"""The Bolt app factory: one app for Slack, the console, `ask` and the tests."""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from ..handlers import register
from ..handlers.request_id import carry_context, for_request
from ..handlers.services import Services
from .slack_client import BotIdentity, SlackPolicy, make_web_client, slack_middleware, static_authorize


class InfluencerApp(App):
    """Bolt's App, each request dispatched under its own request id (handlers/request_id.py)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with for_request():
            return super().dispatch(req)


def create_app(services: Services, *, token: str | None, signing_secret: str, api_url: str,
               listener_executor: Executor | None = None, slack_policy: SlackPolicy = SlackPolicy(),
               identity: BotIdentity = BotIdentity()) -> App:
    """Build the app in Bolt's default ack mode: the ack is answered first, the work after it.

    The work after the ack runs on `listener_executor` (a pool the size of Bolt's own when None),
    in a copy of the request's context so it logs under the request's id; the local driver passes
    one it can wait on, so the tests and the console take Slack's path too. Requests are authorised
    with `identity`, what `run` learnt from auth.test at start-up: Slack is never asked per request.
    """
    app = InfluencerApp(
        client=make_web_client(None, api_url, slack_policy),
        authorize=static_authorize(token, identity),
        signing_secret=signing_secret,
        listener_executor=carry_context(listener_executor or ThreadPoolExecutor(5)),
        request_verification_enabled=True,
        ignoring_self_events_enabled=False,
    )
    app.middleware(slack_middleware(token, api_url, slack_policy))

    @app.middleware
    def provide_services(context: BoltContext, next):  # type: ignore[no-untyped-def]  # noqa: A002
        context["services"] = services
        return next()

    register(app)
    return app
