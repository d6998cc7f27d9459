"""The last line of defence: an error no listener caught becomes an apology with an id."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

from .replies import apology, new_error_id

log = logging.getLogger("influencer_bot.handlers")


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse:
        error_id = new_error_id()
        log.error("unhandled error (error id %s): %r", error_id, error, exc_info=error)
        # Answer the HTTP request with 200 so Slack shows our message, not a failure banner.
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": apology(error_id)})
