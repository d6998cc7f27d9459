"""When a change is stored but the shortlist message could not be edited to show it.

The database is the truth and the change is in it; only Slack's copy is behind. The person who
clicked is told privately that their change IS recorded and that the message will catch up, and
the refresh is queued, to be redone once Slack answers again. Slack's own failures reach here
after the client's retries (bot/slack_client.py) ran out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from .services import Services
from .shortlist_state import refresh_message

log = logging.getLogger("influencer_bot.handlers")

SLACK_FAILURES = (SlackApiError, SlackRequestError, URLError, OSError)


def recorded_but_not_shown(what: str) -> str:
    return (f":white_check_mark: {what} is recorded. Slack did not let me update the shortlist message "
            "just now; it will refresh by itself once Slack answers again. No need to click again.")


def queue_message_refresh(team_id: str, shortlist_id: int) -> None:
    """Ask for the shortlist message to be redrawn from the database later.

    The durable queue is the outbox (storage/outbox.py); until it is wired here this logs the
    request, so that an operator can see which messages are behind.
    """
    log.warning("shortlist %s of %s: message refresh queued after a failed update", shortlist_id, team_id)


def refresh_or_queue(services: Services, client: WebClient, team_id: str, shortlist_id: int,
                     reply: Callable[[str], Any], what: str) -> bool:
    """Edit the message now; if Slack fails, queue the refresh and tell the clicker `what` is recorded.
    True when the message shows the change now."""
    try:
        refresh_message(services, client, team_id, shortlist_id)
        return True
    except SLACK_FAILURES:
        log.warning("shortlist %s: updating its message failed after retries", shortlist_id, exc_info=True)
    queue_message_refresh(team_id, shortlist_id)
    try:
        reply(recorded_but_not_shown(what))
    except Exception:  # noqa: BLE001 - Slack is failing: the log and the queued refresh have it
        log.warning("shortlist %s: could not tell the clicker their change is recorded", shortlist_id)
    return False
