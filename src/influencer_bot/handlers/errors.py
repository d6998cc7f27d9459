"""The last line of defence: an error no listener caught becomes a reply quoting the request's id.

Before the ack the reply is the HTTP answer itself; after the ack that answer is gone, so the
reply goes through `respond()` (ephemeral), as every other late reply does. The words are those
of `report` (handlers/replies.py): an apology, or "the database is not answering", never a
"try again" for something that may have been done.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltResponse

from .replies import ephemeral, failure_text


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, respond: Any, response: BoltResponse | None) -> BoltResponse | None:
        text = failure_text(error, "unhandled error")
        if response is None:  # after the ack: the HTTP answer was sent already
            try:
                ephemeral(respond)(text)
            except Exception:  # noqa: BLE001 - the log has the error under the id; nothing else to tell
                pass
            return None
        # Answer the HTTP request with 200 so Slack shows our message, not a failure banner.
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
