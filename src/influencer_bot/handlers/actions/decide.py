"""Approve / Reject buttons on a shortlist.

The button's value is only a pointer, re-read within the clicker's workspace before this
listener runs (button_values.reread); one guarded update decides, and only the winning
click edits the message. A second click, or a concurrent one, learns privately who decided first.
The decision must be stored within the request's database deadline, or it is not stored at all
and the clicker is told so; once stored, a message Slack would not update is queued for refresh
and the clicker told that the decision stands (handlers/message_refresh.py).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...storage.db import transaction
from ...storage.db_bounds import deadline
from ...storage.shortlists import Verdict, decide
from ..button_values import ItemRef, pointed, reread
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..message_refresh import refresh_or_queue
from ..views.format import slack_date

VERDICTS = {ActionId.APPROVE.value: Verdict.APPROVED, ActionId.REJECT.value: Verdict.REJECTED}


def register(app: App) -> None:
    for action_id in VERDICTS:
        app.action(action_id, middleware=[reread(ItemRef)])(on_decision)


def on_decision(ack: Ack, action: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    with replies_on_failure(ephemeral(respond), f"button {action['action_id']}"):
        services: Services = context["services"]
        item, user_id = pointed(context, ItemRef), context.user_id
        with deadline(services.db_request_timeout_s), transaction(services.sessions) as session:
            result = decide(session, context.team_id, item.item_id, VERDICTS[action["action_id"]], user_id)
        if not result.recorded:
            who = "you" if result.decided_by == user_id else f"<@{result.decided_by}>"
            ephemeral(respond)(f"This creator was already {result.status} by {who} on "
                               f"{slack_date(result.decided_at)}; nothing changed.")
            return
        refresh_or_queue(services, client, context.team_id, result.shortlist_id, ephemeral(respond),
                         f"Your decision ({result.status})")
