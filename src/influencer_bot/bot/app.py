"""The Bolt app factory: one app for Slack, the console, `ask` and the tests."""

from __future__ import annotations

from concurrent.futures import Executor

from slack_bolt import App, BoltContext

from ..handlers import register
from ..handlers.services import Services
from .slack_client import make_web_client


def create_app(services: Services, *, token: str | None, signing_secret: str, api_url: str,
               listener_executor: Executor | None = None) -> App:
    """Build the app in Bolt's default ack mode: the ack is answered first, the work after it.

    The work after the ack runs on `listener_executor` (Bolt's own thread pool when None); the
    local driver passes one it can wait on, so the tests and the console take Slack's path too.
    """
    app = App(
        client=make_web_client(token, api_url),
        signing_secret=signing_secret,
        listener_executor=listener_executor,
        token_verification_enabled=False,
        request_verification_enabled=True,
        ignoring_self_events_enabled=False,
    )

    @app.middleware
    def provide_services(context: BoltContext, next):  # type: ignore[no-untyped-def]  # noqa: A002
        context["services"] = services
        return next()

    register(app)
    return app
