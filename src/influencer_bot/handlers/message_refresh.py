"""When a change is stored but the shortlist message could not be edited to show it.

The database is the truth and the change is in it; only Slack's copy is behind. The person who
clicked is told privately that their change IS recorded and that the message will catch up, and a
durable refresh is queued in the outbox (storage/outbox.py, kind "refresh"): whichever process runs
next redraws the message from the database, with backoff while Slack keeps failing
(handlers/accepted_work.py). Slack's own failures reach here after the client's retries
(bot/slack_client.py) ran out.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from ..storage import outbox
from ..storage.db import transaction
from .services import Services
from .shortlist_state import refresh_message

log = logging.getLogger("influencer_bot.handlers")

SLACK_FAILURES = (SlackApiError, SlackRequestError, URLError, OSError)
FIRST_RETRY_S = 5.0  # the outbox's first backoff step (accepted_work.backoff_s)


def recorded_but_not_shown(what: str) -> str:
    return (f":white_check_mark: {what} is recorded. Slack did not let me update the shortlist message "
            "just now; it will refresh by itself once Slack answers again. No need to click again.")


def tell_recorded(reply: Callable[[str], Any], shortlist_id: int, what: str) -> None:
    """Tell the clicker their change stands although the message is behind; Slack may refuse this too."""
    try:
        reply(recorded_but_not_shown(what))
    except Exception:  # noqa: BLE001 - Slack is failing: the log and the queued refresh have it
        log.warning("shortlist %s: could not tell the clicker their change is recorded", shortlist_id)


def queue_message_refresh(services: Services, team_id: str, shortlist_id: int) -> None:
    """Ask for the shortlist message to be redrawn from the database later, by any process."""
    with transaction(services.sessions) as session:
        outbox.enqueue(session, team_id, "refresh", f"refresh:{shortlist_id}:{secrets.token_hex(8)}",
                       {"shortlist_id": shortlist_id}, delay_s=FIRST_RETRY_S)
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
    queue_message_refresh(services, team_id, shortlist_id)
    tell_recorded(reply, shortlist_id, what)
    return False
