"""The "Replace rejected" button: refill a shortlist for the budget left, then edit the message.

As with Approve/Reject, the button value only points at the shortlist, re-read within the
clicker's workspace before this listener runs (button_values.reread); the refill is guarded
in the database (storage/search/refill.py), and a click that adds nothing says why,
privately, without touching the message.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.money import format_usd
from ...storage.db import transaction
from ...storage.search.refill import refill
from ..after_ack import first_delivery, run_later
from ..button_values import ShortlistRef, pointed, reread
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..message_refresh import refresh_or_queue


def register(app: App) -> None:
    app.action(ActionId.REPLACE_REJECTED.value, middleware=[reread(ShortlistRef)])(on_replace_rejected)


def on_replace_rejected(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient,
                        context: BoltContext) -> None:
    ack()
    shortlist_id = pointed(context, ShortlistRef).shortlist_id
    if not first_delivery(context, body):  # a retried delivery of a click already taken
        return
    run_later(context, "button replace_rejected", partial(_refill, respond, client, context, shortlist_id),
              ephemeral(respond))


def _refill(respond: Respond, client: WebClient, context: BoltContext, shortlist_id: int) -> None:
    with replies_on_failure(ephemeral(respond), "button replace_rejected"):
        services: Services = context["services"]
        with transaction(services.sessions) as session:
            result = refill(session, context.team_id, shortlist_id, context.user_id,
                            thresholds=services.thresholds, rules=services.quality_rules,
                            time_limit_s=services.optimizer_time_limit_s, synonyms=services.synonyms,
                            semantic=services.semantic)
        if not result.added:
            ephemeral(respond)(f"{result.why_none} ({format_usd(max(0, result.budget_left_cents))} left, "
                               f"{max(0, result.slots_left)} slot{'s' * (result.slots_left != 1)} left.)")
            return
        refresh_or_queue(services, client, context.team_id, shortlist_id, ephemeral(respond),
                         f"The replacement ({result.added} creator{'s' * (result.added != 1)} added)")
