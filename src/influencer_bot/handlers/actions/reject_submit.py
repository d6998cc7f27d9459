"""The reject modal's submission: record the rejection with its reason and note.

The same guarded decision and outbox refresh as Approve (decide.record / decide.redraw), committed
before the ack. A missing reason, a stale or forged private_metadata (button_values.reread) or a
database that does not answer is shown on the form and records nothing. Someone who decided first
wins: the modal closes and the submitter is told privately, in the shortlist's channel, who it was.
Slack retrying the same delivery finds its outbox row and records, redraws and says nothing again."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from ...influence.errors import UserError
from ...influence.rejection import RejectReason, clean_note, parse_reason
from ...storage.db import reading
from ...storage.shortlists import DecisionResult, Verdict, find_shortlist
from ..after_ack import later, set_outcome
from ..button_values import ItemRef, form_input, pointed, reread
from ..ids import ActionId, BlockId, ViewId
from ..replies import form_error, replies_on_failure
from ..services import Services
from .decide import already_text, record, redraw

log = logging.getLogger("influencer_bot.handlers")
FIELD = BlockId.REJECT_REASON.value
NAME = "reject submission"
PICK_ONE = "Pick a reason: " + ", ".join(r.label for r in RejectReason) + "."


def register(app: App) -> None:
    app.view(ViewId.REJECT.value, middleware=[reread(ItemRef, form_field=FIELD)])(on_submit)


def _reason(view: dict[str, Any]) -> RejectReason:
    picked = form_input(view, FIELD, ActionId.REJECT_REASON.value).get("selected_option")
    reason = parse_reason(picked.get("value") if isinstance(picked, dict) else None)
    if reason is None:
        raise UserError(PICK_ONE)
    return reason


def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    try:
        reason = _reason(view)
        note = clean_note(form_input(view, BlockId.REJECT_NOTE.value, ActionId.REJECT_NOTE.value).get("value"))
        work_id, result = record(context, body, pointed(context, ItemRef), Verdict.REJECTED,
                                 reason=reason.value, note=note)
    except Exception as failure:  # nothing was recorded: said on the form, which stays open
        set_outcome(context, "error")
        form_error(ack, FIELD, failure, NAME)
        return
    ack()
    if result is not None and not result.recorded:
        set_outcome(context, "already")
        later(context).submit(NAME, partial(_already, client, context, result), urgent=True)
    else:
        redraw(context, client, NAME, work_id, result)


def _already(client: WebClient, context: BoltContext, result: DecisionResult) -> None:
    services: Services = context["services"]
    with reading(services.sessions) as session:
        shortlist = find_shortlist(session, context.team_id, result.shortlist_id)
        channel = shortlist.channel_id if shortlist else None
    if channel is None:  # a shortlist never posted has no Reject button to have come from
        log.warning("reject of an item of shortlist %s, which has no channel", result.shortlist_id)
        return

    def whisper(text: str) -> None:
        client.chat_postEphemeral(channel=channel, user=context.user_id, text=text)

    with replies_on_failure(whisper, "already-decided notice"):
        whisper(already_text(result.status, result.decided_by, result.decided_at, context.user_id))
