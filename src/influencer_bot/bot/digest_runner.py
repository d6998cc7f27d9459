"""Scheduled digests, exactly once: claim → build → post → record → chart.

This is the whole of the scheduling logic, and it knows nothing of APScheduler: every
entry point takes `now`, so tests drive a simulated clock, and bot/scheduler.py only
decides *when* to call it. Any number of processes may call it at the same moment; the
ledger (storage/digests/ledger.py) makes exactly one of them post each period.

- `run_due(now)`: every active subscription's periods since its last ledger row: within
  the grace period they are run, older ones are written down as skipped with a log line.
  This is also how a failed run is retried (on the next tick) and how a digest missed
  while the bot was down is posted once when it comes back.
- `run_one(sub, period, now)`: one period. Losing the claim does nothing. A failure before
  posting is recorded and retried; a failure after posting keeps the message's ts so the
  retry edits it with chat.update; the chart never decides whether the digest counts.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk import WebClient

from ..handlers.digest_delivery import attach_chart, load_digest, send_digest
from ..handlers.services import Services
from ..handlers.workspace_clients import NotInstalled, WorkspaceClients, as_clients
from ..influence.digest_schedule import Period, occurrences
from ..storage.digests import ledger
from ..storage.db import transaction
from ..storage.digests.subscriptions import active_subscriptions, cadence_of, get_subscription
from ..storage.models import DigestSubscription
from .metrics import DIGEST_RUNS

log = logging.getLogger("influencer_bot.digests")


class Outcome(StrEnum):
    POSTED = "posted"
    UPDATED = "updated"  # a retry that edited the message an earlier attempt posted
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_OURS = "not ours"  # another worker has it, or it is done


@dataclass(frozen=True, slots=True)
class RunnerConfig:
    grace: timedelta = timedelta(hours=6)
    max_attempts: int = 5
    lease: timedelta = timedelta(minutes=15)
    lookback: timedelta = timedelta(days=35)  # how far back a restart looks for missed periods


def new_worker_id() -> str:
    """host:pid:random, unique per process start, readable in the ledger's claimed_by."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class DigestRunner:
    def __init__(self, services: Services, client: WorkspaceClients | WebClient, *, worker_id: str | None = None,
                 config: RunnerConfig = RunnerConfig()) -> None:
        """`client`: one for every workspace, or (OAuth) each subscription's workspace's own."""
        self.services, self.client, self.config = services, client, config
        self.clients = as_clients(client)
        self.worker_id = worker_id or new_worker_id()

    # ---------------------------------------------------------------- what is due
    def run_due(self, now: datetime) -> list[tuple[int, str, Outcome]]:
        """Run everything due at `now`; (subscription id, period key, outcome) for each period looked at."""
        with transaction(self.services.sessions) as session:
            subs = active_subscriptions(session)
        done = []
        for sub in subs:
            try:
                done += self.run_subscription(sub, now)
            except Exception:  # noqa: BLE001 - one subscription's trouble must not starve the others
                log.exception("digest %s: could not check what is due; will try again next tick", sub.id)
        return done

    def run_subscription_id(self, subscription_id: int, now: datetime) -> list[tuple[int, str, Outcome]]:
        """What a cron job calls: re-read the subscription (it may have changed or stopped)."""
        with transaction(self.services.sessions) as session:
            sub = get_subscription(session, subscription_id)
        if sub is None or not sub.active:
            return []
        return self.run_subscription(sub, now)

    def run_subscription(self, sub: DigestSubscription, now: datetime) -> list[tuple[int, str, Outcome]]:
        try:
            self.clients.client_for(sub.team_id)
        except NotInstalled:  # uninstalled: its digests wait (unclaimed) until it installs again or is purged
            log.info("digest %s: workspace %s has no installation; not posting", sub.id, sub.team_id)
            return []
        with transaction(self.services.sessions) as session:
            last = ledger.last_period(session, sub.id)
        # after the newest ledger period (or from it, when it may still need a retry), else from the start
        start = max(sub.created_at, now - self.config.lookback)
        if last is not None:
            scheduled, settled = last
            start = max(start, scheduled if settled else scheduled - timedelta(microseconds=1))
        done = []
        for period in occurrences(cadence_of(sub), start, now):
            if now - period.scheduled_for > self.config.grace:
                outcome = self._skip(sub, period, now)
            else:
                outcome = self.run_one(sub, period, now)
            if outcome is not Outcome.NOT_OURS:  # another worker's run is counted by that worker
                DIGEST_RUNS.labels(outcome=outcome.value).inc()
            done.append((sub.id, period.key, outcome))
        return done

    def _skip(self, sub: DigestSubscription, period: Period, now: datetime) -> Outcome:
        late = now - period.scheduled_for
        reason = f"missed by {late} (grace {self.config.grace}); skipped"
        with transaction(self.services.sessions) as session:
            written = ledger.record_skipped(session, sub, period, self.worker_id, reason, now=now)
        if not written:
            return Outcome.NOT_OURS
        log.warning("digest %s period %s for channel %s skipped: it was due %s ago, beyond the %s grace period",
                    sub.id, period.key, sub.channel_id, late, self.config.grace)
        return Outcome.SKIPPED

    # ---------------------------------------------------------------- one period
    def run_one(self, sub: DigestSubscription, period: Period, now: datetime) -> Outcome:
        with transaction(self.services.sessions) as session:
            run = ledger.claim(session, sub, period, self.worker_id, now=now,
                               max_attempts=self.config.max_attempts, lease=self.config.lease)
            if run is None:
                return Outcome.NOT_OURS
            run_id, earlier_ts, attempt = run.id, run.message_ts, run.attempts
            before = ledger.previous_posted(session, sub.team_id, sub.id, before=period.scheduled_for)
            previous, since = (before.totals, before.posted_at) if before else (None, None)
        where = f"digest {sub.id} period {period.key} (attempt {attempt}, run {run_id})"
        try:
            content = load_digest(self.services, sub.team_id, sub.campaign_id, as_of=now, previous=previous,
                                  since=since)
            with transaction(self.services.sessions) as session:
                if not ledger.start_posting(session, run_id, self.worker_id, now=now):
                    log.warning("%s: claim lost before posting; leaving it to its new owner", where)
                    return Outcome.NOT_OURS
            client = self.clients.client_for(sub.team_id)
            ts = send_digest(client, sub.channel_id, content, cadence=sub.cadence, update_ts=earlier_ts)
        except Exception as exc:  # noqa: BLE001 - recorded and retried on the next tick
            log.exception("%s failed before posting; it will be retried", where)
            self._record_failure(run_id, f"{type(exc).__name__}: {exc}", earlier_ts, sub.channel_id, where)
            return Outcome.FAILED
        try:
            with transaction(self.services.sessions) as session:
                ledger.record_posted(session, run_id, self.worker_id, channel_id=sub.channel_id, ts=ts,
                                     totals=content.snapshot(), now=now)
        except Exception as exc:  # noqa: BLE001 - posted but not recorded: keep the ts for chat.update
            log.exception("%s posted as %s but recording it failed; the retry will edit that message", where, ts)
            self._record_failure(run_id, f"posted, not recorded: {type(exc).__name__}: {exc}", ts, sub.channel_id,
                                 where)
            return Outcome.FAILED
        log.info("%s %s in %s as %s", where, "updated" if earlier_ts else "posted", sub.channel_id, ts)
        if sub.chart:
            attach_chart(client, self.services, content, sub.channel_id, ts)
        return Outcome.UPDATED if earlier_ts else Outcome.POSTED

    def _record_failure(self, run_id: int, error: str, ts: str | None, channel_id: str, where: str) -> None:
        try:
            with transaction(self.services.sessions) as session:
                ledger.record_failed(session, run_id, self.worker_id, error, ts=ts, channel_id=channel_id)
        except Exception:  # noqa: BLE001 - the row stays claimed/posting; the lease rules decide what happens
            log.exception("%s: could not even record the failure", where)
