"""The "Why not…?" modal's submission: the answer, privately, in the shortlist's channel.

Cheap checks come before the ack and show on the field (a malformed handle, a platform that is
not one, a creator the workspace does not have, with the nearest handles); the modal then closes
and the judgement (matching, and the optimiser when the creator lost on value) runs after it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from ...storage.db import transaction
from ...storage.search.why_not import creators_named
from ...storage.shortlists import find_shortlist
from ..after_ack import run_later
from ..button_values import ShortlistRef, form_input, pointed, reread
from ..commands.why import explain_for, parse_target
from ..ids import ActionId, BlockId, ViewId
from ..replies import form_error, replies_on_failure
from ..services import Services

log = logging.getLogger("influencer_bot.handlers")
FIELD = BlockId.WHY_NOT_HANDLE.value


def register(app: App) -> None:
    app.view(ViewId.WHY_NOT.value, middleware=[reread(ShortlistRef, form_field=FIELD)])(on_submit)


def _typed(view: dict[str, Any]) -> str:
    value = form_input(view, FIELD, ActionId.WHY_NOT_HANDLE.value).get("value")
    return value if isinstance(value, str) else ""


def on_submit(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    services: Services = context["services"]
    shortlist_id = pointed(context, ShortlistRef).shortlist_id
    try:
        handle, platform = parse_target(_typed(view))
        with transaction(services.sessions) as session:
            creators_named(session, context.team_id, handle, platform)  # unknown: said on the field
            shortlist = find_shortlist(session, context.team_id, shortlist_id)
            channel = shortlist.channel_id if shortlist else None
    except Exception as failure:
        form_error(ack, FIELD, failure, "why-not")
        return
    ack()
    if channel is None:  # a shortlist never posted has no button; nowhere to answer
        log.warning("why-not for shortlist %s, which has no channel", shortlist_id)
        return

    def whisper(text: str, blocks: list[dict] | None = None) -> None:
        client.chat_postEphemeral(channel=channel, user=context.user_id, text=text, blocks=blocks)

    def explain() -> None:
        with replies_on_failure(whisper, "why-not"):
            whisper(*explain_for(services, context.team_id, shortlist_id, handle, platform))

    run_later(context, "why-not", explain, whisper)
