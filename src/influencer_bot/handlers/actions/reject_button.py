"""A creator's Reject button: open the modal that asks why (handlers/views/reject.py).

Reached only once the item its value points at has been re-read in the clicker's workspace
(button_values.reread). Nothing is recorded on the click: the submission records the rejection,
and closing the modal records nothing. The trigger_id expires in ~3 s, so the modal opens ahead
of queued searches; a creator someone already decided gets the usual private notice instead."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...storage.db import reading
from ...storage.shortlists import PROPOSED, find_item
from ..after_ack import run_later
from ..button_values import STALE, ItemRef, pointed, reread
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..views.reject import reject_modal
from .decide import already_text

NAME = "button reject"


def register(app: App) -> None:
    app.action(ActionId.REJECT.value, middleware=[reread(ItemRef)])(on_click)


def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    run_later(context, NAME, partial(_open, body, respond, client, context), ephemeral(respond), urgent=True)


def _open(body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    with replies_on_failure(ephemeral(respond), NAME):
        services: Services = context["services"]
        ref = pointed(context, ItemRef)
        with reading(services.sessions) as session:
            item = find_item(session, context.team_id, ref.item_id)
            if item is None:  # purged since reread found it
                ephemeral(respond)(STALE)
                return
            status, by, at, handle = item.status, item.decided_by, item.decided_at, item.creator.handle
        if status != PROPOSED:
            ephemeral(respond)(already_text(status, by, at, context.user_id))
            return
        client.views_open(trigger_id=body["trigger_id"], view=reject_modal(ref, handle))
