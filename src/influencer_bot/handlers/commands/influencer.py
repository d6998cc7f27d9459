"""The `/influencer` slash command: acknowledge within 3 s, then do the work.

Parsing is fast and happens before the ack, so bad input is answered in the ack
itself; slow work runs after it and reports failures privately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...influence.errors import UserError
from ..replies import ephemeral, replies_on_failure, user_error_text
from ..views.help import help_blocks
from . import campaign, config, creator, digest, find, help, sync, why
from .prepared import Prepared
from .request import CommandRequest

SUBCOMMANDS: dict[str, Callable[[str], Prepared]] = {
    "help": help.prepare,
    "find": find.prepare,
    "config": config.prepare,
    "creator": creator.prepare,
    "campaign": campaign.prepare,
    "digest": digest.prepare,
    "sync": sync.prepare,
    "why": why.prepare,
}


def register(app: App) -> None:
    app.command("/influencer")(influencer_command)


def influencer_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient,
                       context: BoltContext) -> None:
    text = (command.get("text") or "").strip()
    name, _, rest = text.partition(" ")
    prepare = SUBCOMMANDS.get(name.lower() or "help")
    if prepare is None:
        shown = name if len(name) <= 30 else name[:30] + "…"
        ack(text=f"I don't know “{shown}”.", blocks=help_blocks(
            f":warning: I don't know the command “{shown}”. Here is what I can do:"), response_type="ephemeral")
        return
    try:
        prepared = prepare(rest.strip())
    except UserError as err:
        ack(text=user_error_text(err), response_type="ephemeral")
        return
    if prepared.ack_text or prepared.ack_blocks:
        ack(text=prepared.ack_text or "", blocks=prepared.ack_blocks, response_type="ephemeral")
    else:
        ack()
    if prepared.work is None:
        return
    request = CommandRequest(
        team_id=context.team_id or command["team_id"], user_id=context.user_id or command["user_id"],
        channel_id=context.channel_id or command["channel_id"], services=context["services"],
        client=client, respond=respond,
    )
    with replies_on_failure(ephemeral(respond), f"/influencer {name}"):
        prepared.work(request)
