"""The `/influencer` slash command: acknowledge within 3 s, then do the work.

Parsing is fast and happens before the ack, so bad input is answered in the ack itself. A
subcommand with work after the ack is first written to the outbox (storage/outbox.py) under its
delivery key, then queued, then acked: a retried delivery finds its row and does nothing new, a
crash after the ack leaves a row the next process resumes, and a full queue is said in the ack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from ...influence.errors import UserError
from ...storage import outbox
from ...storage.db import transaction
from ..accepted_work import hand_over
from ..after_ack import busy_text, delivery_key, later, set_outcome
from ..replies import user_error_text
from ..views.help import help_blocks
from ..workspace_clients import enterprise_of
from .subcommands import SUBCOMMANDS, split


def register(app: App) -> None:
    app.command("/influencer")(influencer_command)


def influencer_command(ack: Ack, body: dict[str, Any], command: dict[str, Any], client: WebClient,
                       context: BoltContext) -> None:
    text = (command.get("text") or "").strip()
    name, rest = split(text)
    prepare = SUBCOMMANDS.get(name.lower() or "help")
    if prepare is None:
        shown = name if len(name) <= 30 else name[:30] + "…"
        ack(text=f"I don't know “{shown}”.", blocks=help_blocks(
            f":warning: I don't know the command “{shown}”. Here is what I can do:"), response_type="ephemeral")
        return
    try:
        prepared = prepare(rest)
    except UserError as err:
        ack(text=user_error_text(err), response_type="ephemeral")
        return
    if prepared.work is not None and not _accepted(body, command, client, context, text, name.lower()):
        ack(text=busy_text(later(context).retry_after_s()), response_type="ephemeral")
        return
    if prepared.ack_text or prepared.ack_blocks:
        ack(text=prepared.ack_text or "", blocks=prepared.ack_blocks, response_type="ephemeral")
    else:
        ack()


def _accepted(body: dict[str, Any], command: dict[str, Any], client: WebClient, context: BoltContext,
              text: str, name: str) -> bool:
    """Write the command's outbox row and queue it; False when the queue is full (the row is then
    forgotten). A retried delivery writes and queues nothing, and is acked as the first one was."""
    team_id, queue = context.team_id or command["team_id"], later(context)
    payload = {"text": text, "channel_id": context.channel_id or command["channel_id"],
               "user_id": context.user_id or command["user_id"], **enterprise_of(context)}
    with transaction(context["services"].sessions) as session:
        work_id = outbox.accept(session, team_id, "command", delivery_key(body), payload,
                                response_url=command.get("response_url"), owner=queue.owner, lease_s=queue.lease_s)
    if work_id is None:
        set_outcome(context, "retry")
        return True
    if hand_over(queue, context["services"], client, work_id, f"command {name}"):
        set_outcome(context, "queued")
        return True
    with transaction(context["services"].sessions) as session:
        outbox.drop(session, work_id)
    set_outcome(context, "busy")
    return False
