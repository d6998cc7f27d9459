"""The Bolt app factory: one app for Slack, the console, `ask` and the tests."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from ..handlers import register
from ..handlers.services import Services
from .slack_client import make_web_client


def create_app(services: Services, *, token: str | None, signing_secret: str, api_url: str,
               process_before_response: bool = False) -> App:
    """Build the app; `process_before_response` makes dispatch return only when all work is done.

    Slack itself gets the default (ack first, work after, within 3 s); the local console and
    the tests set it so the messages a command produces exist when `dispatch` returns.
    """
    app = App(
        client=make_web_client(token, api_url),
        signing_secret=signing_secret,
        process_before_response=process_before_response,
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
