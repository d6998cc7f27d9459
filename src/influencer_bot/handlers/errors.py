"""The last line of defence: an error no listener caught becomes a reply quoting the request's id.

Listeners run before the ack (the app's `process_before_response`), so the reply is the HTTP answer
itself; work after the ack reports its own failures (handlers/replies.py, replies_on_failure). The
words are those of `report`: an apology, or "the database is not answering", never a "try again"
for something that may have been done.
"""

from __future__ import annotations

from slack_bolt import App, BoltResponse

from .replies import failure_text


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception) -> BoltResponse:
        text = failure_text(error, "unhandled error")
        # Answer the HTTP request with 200 so Slack shows our message, not a failure banner.
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
