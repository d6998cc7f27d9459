"""The "Add approved to campaign" button and the modal it opens.

Click: ack at once, re-read the shortlist in the clicker's workspace, and open a modal
listing the active campaigns (the trigger_id expires in ~3 s, so nothing slow comes
before views.open). Submit: attach the shortlist and add its approved creators in one
transaction; a problem (the campaign was closed meanwhile) is shown on the modal's field.
Then the shortlist message is redrawn: it names the campaign and loses the button.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.errors import UserError
from ...storage.campaigns.store import active_campaign_choices, attach_shortlist
from ...storage.db import transaction
from ...storage.shortlists import get_shortlist
from ..button_values import pointer
from ..ids import ActionId, BlockId, ViewId
from ..replies import ephemeral, new_error_id, replies_on_failure
from ..services import Services
from ..shortlist_state import refresh_message
from ..views.campaign import add_to_campaign_modal
from ..views.format import escape

log = logging.getLogger("influencer_bot.handlers")
NO_CAMPAIGN = ("There is no active campaign to add these creators to. Create one first: "
               '`/influencer campaign new "Vegan baking launch" 5000`')


def register(app: App) -> None:
    app.action(ActionId.ADD_TO_CAMPAIGN.value)(on_click)
    app.view(ViewId.ADD_TO_CAMPAIGN.value)(on_submit)


def on_click(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient,
             context: BoltContext) -> None:
    ack()
    with replies_on_failure(ephemeral(respond), "button add-to-campaign"):
        services: Services = context["services"]
        shortlist_id = pointer(action.get("value"), "shortlist")
        with transaction(services.sessions) as session:
            shortlist = get_shortlist(session, context.team_id, shortlist_id)
            choices = active_campaign_choices(session, context.team_id)
            niche, channel = shortlist.niche, shortlist.channel_id
        if not choices:
            raise UserError(NO_CAMPAIGN)
        client.views_open(trigger_id=body["trigger_id"],
                          view=add_to_campaign_modal(shortlist_id, niche, choices, channel or context.channel_id))


def _picked(view: dict[str, Any]) -> int | None:
    state = view.get("state", {}).get("values", {}).get(BlockId.CAMPAIGN_PICK.value, {})
    option = (state.get(ActionId.PICK_CAMPAIGN.value) or {}).get("selected_option") or {}
    try:
        return int(option.get("value", ""))
    except ValueError:
        return None


def on_submit(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    services: Services = context["services"]
    field = BlockId.CAMPAIGN_PICK.value
    metadata = view.get("private_metadata")
    try:
        shortlist_id = pointer(metadata, "shortlist")
    except UserError:
        ack(response_action="errors", errors={field: "This form is out of date; click the button again."})
        return
    channel = json.loads(metadata or "{}").get("channel")  # valid JSON: pointer read it
    campaign_id = _picked(view)
    if campaign_id is None:
        ack(response_action="errors", errors={field: "Choose a campaign."})
        return
    try:
        with transaction(services.sessions) as session:
            done = attach_shortlist(session, context.team_id, shortlist_id, campaign_id)
            name = done.campaign.name
    except UserError as err:
        ack(response_action="errors", errors={field: err.message[:150]})
        return
    except Exception:
        error_id = new_error_id()
        log.exception("add-to-campaign failed (error id %s)", error_id)
        ack(response_action="errors", errors={field: f"Sorry, something went wrong (error id {error_id})."})
        return
    ack()
    already = f" ({done.already} already were)" if done.already else ""
    text = (f":white_check_mark: Shortlist attached to *{escape(name)}*: {done.added} approved creator"
            f"{'s' * (done.added != 1)} added{already}. Creators approved from now on join it too.")
    try:  # the attach is done; a message that could not be updated or confirmed is not worth an error
        refresh_message(services, client, context.team_id, shortlist_id)  # shows the campaign, drops the button
        if channel:
            client.chat_postEphemeral(channel=channel, user=context.user_id, text=text)
    except Exception:
        log.warning("could not update or confirm add-to-campaign for %s", context.user_id, exc_info=True)
