"""Running accepted work (storage/outbox.py rows): fresh after an ack, or resumed after a crash.

A row's kind says what to do with it. `command` is any `/influencer` subcommand that has work
after its ack: the row keeps the text, channel, user and response_url, so the work is rebuilt from
the row alone, and a fresh run and a resumed one take the same path. `refresh` redraws a shortlist
message to match the database (after a click, or whenever an update could not be made). A failed
refresh is retried later with backoff, and the first failure tells the clicker (if the row names
one) that their change stands; a command reports its own failures to the user and is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk import WebClient

from ..storage import outbox
from ..storage.db import reading, transaction
from ..storage.models import utcnow
from .after_ack import Later
from .message_refresh import SLACK_FAILURES, tell_recorded
from .commands.request import CommandRequest
from .commands.subcommands import SUBCOMMANDS, split
from .replies import ephemeral, replies_on_failure
from .services import Services
from .shortlist_state import refresh_message
from .workspace_clients import NotInstalled, WorkspaceClients, as_clients

log = logging.getLogger("influencer_bot.work")

RESPONSE_URL_LIFETIME = timedelta(minutes=30)  # Slack accepts a response_url's replies for 30 min
MAX_ATTEMPTS = 5  # a row claimed this many times (crashes, or failed refreshes) is given up


@dataclass(frozen=True, slots=True)
class Work:
    """A row as read at the start of a run."""

    id: int
    team_id: str
    kind: str
    payload: dict[str, Any]
    response_url: str | None
    attempts: int
    created_at: datetime


def lost_text(text: str) -> str:
    return (f":warning: Your `/influencer {text}` was interrupted when the bot restarted, and it is too late "
            "to finish it here. Please run it again.")


def _run_command(services: Services, client: WebClient, work: Work) -> None:
    p = work.payload
    name, rest = split(p["text"])
    if utcnow() - work.created_at > RESPONSE_URL_LIFETIME or work.attempts > MAX_ATTEMPTS:
        try:
            client.chat_postEphemeral(channel=p["channel_id"], user=p["user_id"], text=lost_text(p["text"]))
        except Exception:  # noqa: BLE001 - the log below is then all that is left
            log.warning("could not tell %s that work %s was lost", p["user_id"], work.id, exc_info=True)
        raise GiveUp(f"command {work.id} too old or tried too often ({work.attempts} attempts)")
    prepared = SUBCOMMANDS[name.lower()](rest)
    assert prepared.work is not None, f"/influencer {name} was accepted but has no work"
    req = CommandRequest(team_id=work.team_id, user_id=p["user_id"], channel_id=p["channel_id"], services=services,
                         client=client, respond=services.respond_to(work.response_url), work_id=work.id,
                         progress=p)
    with replies_on_failure(ephemeral(req.respond), f"/influencer {name.lower()}"):
        prepared.work(req)


def _run_refresh(services: Services, client: WebClient, work: Work) -> None:
    if work.attempts > MAX_ATTEMPTS:
        raise GiveUp(f"message refresh {work.id} failed {work.attempts} times")
    shortlist_id = int(work.payload["shortlist_id"])
    try:
        refresh_message(services, client, work.team_id, shortlist_id)
    except SLACK_FAILURES as failure:
        if work.attempts <= 1 and work.response_url and work.payload.get("what"):
            tell_recorded(ephemeral(services.respond_to(work.response_url)), shortlist_id, work.payload["what"])
        raise TryLater(f"Slack refused the update of shortlist {shortlist_id}: {failure}") from failure


RUNNERS: dict[str, Callable[[Services, WebClient, Work], None]] = {
    "command": _run_command,
    "refresh": _run_refresh,
}


class GiveUp(Exception):
    """The work cannot be done any more; the row is closed as failed (the user was told if possible)."""


class TryLater(Exception):
    """An expected failure (Slack is down): the row is retried later with backoff, and nothing is raised."""


def backoff_s(attempts: int) -> float:
    return float(min(300, 5 * 2 ** max(0, attempts - 1)))


def run_accepted(services: Services, clients: WorkspaceClients | WebClient, work_id: int) -> None:
    """Do a row's work with its workspace's token and close it; a failure the work did not report is
    retried later, with backoff, and raised for the queue to log. A workspace that uninstalled the app
    meanwhile has nobody left to tell: the row is closed as failed."""
    with reading(services.sessions) as session:
        row = outbox.load(session, work_id)
        if row is None or row.status != outbox.PENDING:
            return
        work = Work(row.id, row.team_id, row.kind, dict(row.payload), row.response_url, row.attempts, row.created_at)
    try:
        client = as_clients(clients).client_for(work.team_id, work.payload.get("enterprise_id"))
        RUNNERS[work.kind](services, client, work)
    except NotInstalled:
        log.warning("gave up %s work %s: workspace %s has no installation any more", work.kind, work.id, work.team_id)
        with transaction(services.sessions) as session:
            outbox.finish(session, work.id, outbox.FAILED)
        return
    except GiveUp as why:
        log.warning("gave up accepted work: %s", why)
        with transaction(services.sessions) as session:
            outbox.finish(session, work.id, outbox.FAILED)
        return
    except TryLater as why:
        delay = backoff_s(work.attempts)
        log.warning("%s (attempt %s); retrying in %.0f s", why, work.attempts, delay)
        with transaction(services.sessions) as session:
            outbox.release(session, work.id, delay_s=delay)
        return
    except Exception:  # retried later; the queue logs the failure with an error id
        delay = backoff_s(work.attempts)
        log.warning("%s work %s failed (attempt %s); retrying in %.0f s", work.kind, work.id, work.attempts, delay)
        with transaction(services.sessions) as session:
            outbox.release(session, work.id, delay_s=delay)
        raise
    with transaction(services.sessions) as session:
        outbox.finish(session, work.id)


def hand_over(queue: Later, services: Services, clients: WorkspaceClients | WebClient, work_id: int, name: str, *,
              urgent: bool = False) -> bool:
    """Queue an accepted row to run after the ack (with the request's client, or the workspace's from
    `clients`); False when the queue is full."""
    return queue.submit(name, partial(run_accepted, services, clients, work_id), urgent=urgent, work_id=work_id)
