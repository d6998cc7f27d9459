"""Approve / Reject buttons on a shortlist.

The button's value is only a pointer: the item is re-read within the clicker's
workspace, one guarded update decides, and only the winning click edits the message.
A second click, or a concurrent one, learns privately who decided first.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.errors import UserError
from ...storage.db import transaction
from ...storage.models import Shortlist
from ...storage.shortlists import Verdict, decide
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..shortlist_state import decision_version, load_shortlist_view
from ..views.format import slack_date
from ..views.shortlist import shortlist_blocks, shortlist_text

VERDICTS = {ActionId.APPROVE.value: Verdict.APPROVED, ActionId.REJECT.value: Verdict.REJECTED}
MAX_REFRESHES = 3


def register(app: App) -> None:
    for action_id in VERDICTS:
        app.action(action_id)(on_decision)


def _item_id(value: str | None) -> int:
    try:
        item_id = json.loads(value or "")["item"]
        if isinstance(item_id, int) and item_id > 0:
            return item_id
    except (ValueError, TypeError, KeyError):
        pass
    raise UserError("That button is no longer valid. Run the search again: `/influencer find vegan baking 2000`.")


def on_decision(ack: Ack, action: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    with replies_on_failure(ephemeral(respond), f"button {action.get('action_id')}"):
        _decide(action, respond, client, context)


def _decide(action: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    services: Services = context["services"]
    team_id, user_id = context.team_id, context.user_id
    verdict = VERDICTS[action["action_id"]]
    item_id = _item_id(action.get("value"))
    with transaction(services.sessions) as session:
        result = decide(session, team_id, item_id, verdict, user_id)
    if not result.recorded:
        who = "you" if result.decided_by == user_id else f"<@{result.decided_by}>"
        ephemeral(respond)(f"This creator was already {result.status} by {who} on {slack_date(result.decided_at)}; "
                           "nothing changed.")
        return
    _refresh_message(services, client, team_id, result.shortlist_id)


def _refresh_message(services: Services, client: WebClient, team_id: str, shortlist_id: int) -> None:
    """Edit the shortlist message to match the database, again if a decision landed meanwhile."""
    for _ in range(MAX_REFRESHES):
        with transaction(services.sessions) as session:
            shortlist = session.get(Shortlist, shortlist_id)
            if shortlist is None or shortlist.team_id != team_id or not shortlist.message_ts:
                return
            version = decision_version(session, team_id, shortlist_id)
            view = load_shortlist_view(session, team_id, shortlist_id, services)
            channel, ts = shortlist.channel_id, shortlist.message_ts
        client.chat_update(channel=channel, ts=ts, text=shortlist_text(view), blocks=shortlist_blocks(view))
        with transaction(services.sessions) as session:
            if decision_version(session, team_id, shortlist_id) == version:
                return
