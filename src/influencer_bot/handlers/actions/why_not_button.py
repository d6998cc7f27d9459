"""The shortlist footer's "Why not…?" button: open the modal that asks for a handle.

Reached only once the shortlist its value points at has been re-read in the clicker's workspace
(button_values.reread). The trigger_id expires in ~3 s, so the modal opens before anything slow."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...storage.db import transaction
from ...storage.shortlists import get_shortlist
from ..after_ack import run_later
from ..button_values import ShortlistRef, pointed, reread
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure
from ..services import Services
from ..views.why_not import why_not_modal


def register(app: App) -> None:
    app.action(ActionId.WHY_NOT.value, middleware=[reread(ShortlistRef)])(on_click)


def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    run_later(context, "button why-not", partial(_open, body, respond, client, context), ephemeral(respond),
              urgent=True)  # the trigger_id expires in ~3 s: ahead of queued searches


def _open(body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    with replies_on_failure(ephemeral(respond), "button why-not"):
        services: Services = context["services"]
        ref = pointed(context, ShortlistRef)
        with transaction(services.sessions) as session:
            niche = get_shortlist(session, context.team_id, ref.shortlist_id).niche
        client.views_open(trigger_id=body["trigger_id"], view=why_not_modal(ref, niche))
