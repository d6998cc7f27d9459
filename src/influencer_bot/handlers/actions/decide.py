"""The Approve button on a shortlist, and the recording every decision shares (Reject's modal too).

The button's value is only a pointer, re-read within the clicker's workspace before this
listener runs (button_values.reread); one guarded update decides, and only the winning
click edits the message. A second click, or a concurrent one, learns privately who decided first.

The decision is committed before the ack, within the request's database deadline (or not at all,
and the clicker is told so), with the outbox row that will redraw the message (storage/outbox.py):
a click Slack saw acknowledged is never lost, even if the process dies the next instant, and the
message update is resumed by whichever process runs next. The row's key is the delivery's, so a
retried delivery of the same click records nothing and redraws nothing. If Slack will not take the
update, the clicker is told that the decision stands (handlers/message_refresh.py).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from ...storage import outbox
from ...storage.db import transaction
from ...storage.db_bounds import deadline
from ...storage.shortlists import DecisionResult, Verdict, decide
from ..accepted_work import hand_over
from ..after_ack import delivery_key, later, set_outcome
from ..button_values import ItemRef, pointed, reread
from ..ids import ActionId
from ..replies import ephemeral, replies_on_failure, report
from ..services import Services
from ..views.format import slack_date
from ..workspace_clients import enterprise_of

VERDICTS = {ActionId.APPROVE.value: Verdict.APPROVED}  # Reject asks for a reason first (reject_button.py)


def register(app: App) -> None:
    for action_id in VERDICTS:
        app.action(action_id, middleware=[reread(ItemRef)])(on_decision)


def on_decision(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient,
                context: BoltContext) -> None:
    queue, name = later(context), f"button {action['action_id']}"
    user_id = context.user_id
    try:
        work_id, result = record(context, body, pointed(context, ItemRef), VERDICTS[action["action_id"]])
    except Exception as failure:  # nothing was recorded: said privately, after the ack
        ack()
        set_outcome(context, "error")
        queue.submit(name, partial(report, ephemeral(respond), failure, name), urgent=True)
        return
    ack()
    if result is not None and not result.recorded:
        set_outcome(context, "already")
        queue.submit(name, partial(_already, respond, result, user_id), urgent=True)
    else:
        redraw(context, client, name, work_id, result)


def record(context: BoltContext, body: dict[str, Any], item: ItemRef, verdict: Verdict, *,
           reason: str | None = None, note: str | None = None) -> tuple[int | None, DecisionResult | None]:
    """Commit the decision with the outbox row that will redraw its message, before the ack and within the
    request's database deadline; raises if nothing could be recorded. (None, None) for a retried delivery."""
    services: Services = context["services"]
    queue = later(context)
    with deadline(services.db_request_timeout_s), transaction(services.sessions) as session:
        work_id = outbox.accept(session, context.team_id, "refresh", delivery_key(body),
                                {"shortlist_id": item.shortlist_id, "what": f"Your decision ({verdict.value})",
                                 **enterprise_of(context)},
                                response_url=body.get("response_url"), owner=queue.owner, lease_s=queue.lease_s)
        result = None
        if work_id is not None:
            result = decide(session, context.team_id, item.item_id, verdict, context.user_id, reason, note=note)
            if not result.recorded:  # nothing to redraw: the row stays only to recognise retries
                outbox.finish(session, work_id)
    return work_id, result


def redraw(context: BoltContext, client: WebClient, name: str, work_id: int | None,
           result: DecisionResult | None) -> None:
    """After the ack of a recorded decision: redraw the message now, or leave it to the outbox."""
    services: Services = context["services"]
    queue = later(context)
    if work_id is None or result is None:  # a retried delivery of a decision already recorded
        set_outcome(context, "retry")
    elif hand_over(queue, services, client, work_id, name, urgent=True):
        set_outcome(context, "queued")
    else:  # decided; the redraw waits in the outbox for a process with room
        set_outcome(context, "deferred")
        with transaction(services.sessions) as session:
            outbox.release(session, work_id, delay_s=queue.lease_s)


def already_text(status: str, decided_by: str | None, decided_at: datetime | None, user_id: str | None) -> str:
    who = "you" if decided_by == user_id else f"<@{decided_by}>"
    return f"This creator was already {status} by {who} on {slack_date(decided_at)}; nothing changed."


def _already(respond: Respond, result: DecisionResult, user_id: str) -> None:
    with replies_on_failure(ephemeral(respond), "already-decided notice"):
        ephemeral(respond)(already_text(result.status, result.decided_by, result.decided_at, user_id))
