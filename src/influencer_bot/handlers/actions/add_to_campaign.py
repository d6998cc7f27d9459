"""The "Add approved to campaign" button and the modal it opens.

The click and the submission reach these listeners only once the shortlist their value (or
the modal's private_metadata) points at has been re-read in the clicker's workspace
(button_values.reread, one indexed lookup). Click: ack at once and open a modal listing the
active campaigns (the trigger_id expires in ~3 s, so nothing slow comes before views.open).
Submit: attach the shortlist and add its approved creators in one transaction; a problem
(the campaign was closed meanwhile) is shown on the modal's field. Then the shortlist
message is redrawn: it names the campaign and loses the button.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.errors import UserError
from ...storage.campaigns.store import active_campaign_choices, attach_shortlist
from ...storage.db import transaction
from ...storage.shortlists import find_shortlist, get_shortlist
from ..after_ack import later, run_later
from ..button_values import ShortlistRef, form_input, parse_id, pointed, reread
from ..ids import ActionId, BlockId, ViewId
from ..replies import ephemeral, form_error, replies_on_failure
from ..services import Services
from ..shortlist_state import refresh_message
from ..views.campaign import add_to_campaign_modal
from ..views.format import escape

log = logging.getLogger("influencer_bot.handlers")
NO_CAMPAIGN = ("There is no active campaign to add these creators to. Create one first: "
               '`/influencer campaign new "Vegan baking launch" 5000`')
FIELD = BlockId.CAMPAIGN_PICK.value  # the modal's one input: where its errors are shown


def register(app: App) -> None:
    app.action(ActionId.ADD_TO_CAMPAIGN.value, middleware=[reread(ShortlistRef)])(on_click)
    app.view(ViewId.ADD_TO_CAMPAIGN.value, middleware=[reread(ShortlistRef, form_field=FIELD)])(on_submit)


def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    run_later(context, "button add-to-campaign", partial(_open, body, respond, client, context), ephemeral(respond),
              urgent=True)  # the trigger_id expires in ~3 s: ahead of queued searches


def _open(body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    with replies_on_failure(ephemeral(respond), "button add-to-campaign"):
        services: Services = context["services"]
        ref = pointed(context, ShortlistRef)
        with transaction(services.sessions) as session:
            niche = get_shortlist(session, context.team_id, ref.shortlist_id).niche
            choices = active_campaign_choices(session, context.team_id)
        if not choices:
            raise UserError(NO_CAMPAIGN)
        client.views_open(trigger_id=body["trigger_id"], view=add_to_campaign_modal(ref, niche, choices))


def _picked(view: dict[str, Any]) -> int:
    option = form_input(view, FIELD, ActionId.PICK_CAMPAIGN.value).get("selected_option")
    campaign_id = parse_id(option.get("value") if isinstance(option, dict) else None)
    if campaign_id is None:
        raise UserError("Choose a campaign.")
    return campaign_id


def on_submit(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    services: Services = context["services"]
    shortlist_id = pointed(context, ShortlistRef).shortlist_id
    try:
        campaign_id = _picked(view)
        with transaction(services.sessions) as session:
            done = attach_shortlist(session, context.team_id, shortlist_id, campaign_id)
            name = done.campaign.name
            shortlist = find_shortlist(session, context.team_id, shortlist_id)  # where to confirm: its channel
            channel = shortlist.channel_id if shortlist else None
    except Exception as failure:  # the campaign was closed meanwhile, or worse: said on the field
        form_error(ack, FIELD, failure, "add-to-campaign")
        return
    ack()
    already = f" ({done.already} already were)" if done.already else ""
    text = (f":white_check_mark: Shortlist attached to *{escape(name)}*: {done.added} approved creator"
            f"{'s' * (done.added != 1)} added{already}. Creators approved from now on join it too.")
    later(context).submit("add-to-campaign confirm", partial(_confirm, services, client, context, shortlist_id,
                                                             channel, text), urgent=True)


def _confirm(services: Services, client: WebClient, context: BoltContext, shortlist_id: int, channel: str | None,
             text: str) -> None:
    try:  # the attach is done; a message that could not be updated or confirmed is not worth an error
        refresh_message(services, client, context.team_id, shortlist_id)  # shows the campaign, drops the button
        if channel:
            client.chat_postEphemeral(channel=channel, user=context.user_id, text=text)
    except Exception:
        log.warning("could not update or confirm add-to-campaign for %s", context.user_id, exc_info=True)
