"""A click on a button this version of the bot does not know (a message posted by an older version).

Registered last, so it matches only what no other listener took: without it Bolt answers 404, Slack
shows the clicker an error icon, and the log gets Bolt's multi-line "unhandled request" advice. The
clicker is told privately, with what to do instead; nothing is recorded.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from ..after_ack import run_later
from ..replies import ephemeral

log = logging.getLogger("influencer_bot.handlers")

UNKNOWN = ("That button is from an older version of this message and does nothing now. "
           "Run the search again for fresh buttons: `/influencer find vegan baking 2000`.")


def register(app: App) -> None:
    app.action(re.compile(r".*"))(on_unknown)


def on_unknown(ack: Ack, action: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    ack()
    log.info("click on an unknown action id %.80r", action.get("action_id"))
    run_later(context, "button unknown", lambda: _tell(respond), ephemeral(respond), urgent=True)


def _tell(respond: Respond) -> None:
    try:
        ephemeral(respond)(UNKNOWN)
    except Exception:  # noqa: BLE001 - the clicker may miss it; the log has the click
        log.warning("could not tell the clicker about an unknown button")
