"""The "Replace rejected" button: refill a shortlist for the budget left, then edit the message.

As with Approve/Reject, the button value only points at the shortlist; it is re-read
within the clicker's workspace, the refill is guarded in the database (storage/search/refill.py),
and a click that adds nothing says why, privately, without touching the message.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.money import format_usd
from ...storage.db import transaction
from ...storage.search.refill import refill
from ..button_values import pointer
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..shortlist_state import refresh_message


def register(app: App) -> None:
    app.action(ActionId.REPLACE_REJECTED.value)(on_replace_rejected)


def on_replace_rejected(ack: Ack, action: dict[str, Any], respond: Respond, client: WebClient,
                        context: BoltContext) -> None:
    ack()
    with replies_on_failure(ephemeral(respond), "button replace_rejected"):
        services: Services = context["services"]
        shortlist_id = pointer(action.get("value"), "shortlist")
        with transaction(services.sessions) as session:
            result = refill(session, context.team_id, shortlist_id, context.user_id,
                            thresholds=services.thresholds, rules=services.quality_rules,
                            time_limit_s=services.optimizer_time_limit_s, synonyms=services.synonyms)
        if not result.added:
            ephemeral(respond)(f"{result.why_none} ({format_usd(max(0, result.budget_left_cents))} left, "
                               f"{max(0, result.slots_left)} slot{'s' * (result.slots_left != 1)} left.)")
            return
        refresh_message(services, client, context.team_id, shortlist_id)
