"""What a listener may hand over after its ack, and what it tells Slack about it.

Listeners ack on the request thread (the app runs with `process_before_response`): before the ack
they only parse, read a row or two and write their outbox row; anything slow is given to the
process's work queue (bot/work_queue.py), which bot/ puts in every request's context under WORK.
Handlers see it only through the `Later` protocol below, so they never import bot/.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import BoltContext

from ..storage import outbox
from ..storage.db import transaction

WORK = "work"  # the context key of the process's `Later`
OUTCOME = "outcome"  # the context key a listener sets to say what became of the request (metrics)


class Later(Protocol):
    owner: str  # this process's name on the outbox rows it holds
    lease_s: float  # how long it holds one without renewing

    def submit(self, name: str, fn: Callable[[], None], *, urgent: bool = False,
               work_id: int | None = None) -> bool: ...

    def retry_after_s(self) -> int: ...


def later(context: BoltContext) -> Later:
    return context[WORK]  # type: ignore[no-any-return]


def delivery_key(body: dict[str, Any]) -> str:
    """What Slack repeats, unchanged, when it retries one delivery: its trigger_id.

    Slack makes a trigger_id for each slash command and each interaction, and a retry resends the
    same body; a body without one (none of ours) is keyed by its digest, which a retry also repeats."""
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return f"t:{trigger}"
    return "b:" + hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def busy_text(retry_after_s: int) -> str:
    return (f":hourglass: I'm busy with other searches right now and did not start this one. "
            f"Please try again in about {retry_after_s} seconds.")


def set_outcome(context: BoltContext, outcome: str) -> None:
    context[OUTCOME] = outcome


def run_later(context: BoltContext, name: str, fn: Callable[[], None], reply: Callable[[str], Any], *,
              urgent: bool = False) -> None:
    """Queue a click's work after its ack; if the queue is full, say so to the clicker instead."""
    queue = later(context)
    if queue.submit(name, fn, urgent=urgent):
        set_outcome(context, "queued")
        return
    set_outcome(context, "busy")
    reply(busy_text(queue.retry_after_s()))


def first_delivery(context: BoltContext, body: dict[str, Any]) -> bool:
    """Record this delivery's key (a marker row, nothing to resume); False if it was seen before, i.e.
    this is Slack retrying a click the bot already took."""
    with transaction(context["services"].sessions) as session:
        seen = outbox.accept(session, context.team_id or "", "seen", delivery_key(body), {},
                             status=outbox.DONE) is None
    if seen:
        set_outcome(context, "retry")
    return not seen
