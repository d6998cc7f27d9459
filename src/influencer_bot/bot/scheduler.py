"""The clock: APScheduler 3 jobs that call the digest runner at the right moments.

One CronTrigger job per active subscription (in the subscription's own timezone, so DST is
APScheduler's problem and 09:00 stays 09:00) posts on time. A sync job every
DIGEST_SYNC_SECONDS re-reads the subscriptions, so what people change from Slack takes
effect without a restart, and calls `run_due`, which retries failures and posts what
was missed while the bot was down (within the grace period). It also runs once at start.

The platform sync jobs (bot/sync_schedule.py) run on the same scheduler, under their own ids.

Jobs hold no state of their own: every decision is the runner's and the ledger's, so it
is safe to run this in several processes (`influencer-bot scheduler` replicas, or `run`
on several hosts) against one database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from ..storage.db import transaction
from ..storage.digests.subscriptions import active_subscriptions
from ..storage.models import DigestSubscription
from .digest_runner import DigestRunner

log = logging.getLogger("influencer_bot.scheduler")
SYNC_JOB = "digests:sync"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def job_id(sub: DigestSubscription) -> str:
    """Names the schedule, not just the subscription: a changed schedule gets a new job."""
    day = "*" if sub.weekday is None else str(sub.weekday)
    return f"digest:{sub.id}:{sub.cadence}:{day}:{sub.time_of_day}:{sub.timezone}"


def trigger_for(sub: DigestSubscription) -> CronTrigger:
    hour, minute = sub.time_of_day.split(":")
    day_of_week = "*" if sub.cadence == "daily" or sub.weekday is None else str(sub.weekday)  # 0 = mon in APS 3
    return CronTrigger(day_of_week=day_of_week, hour=int(hour), minute=int(minute), timezone=ZoneInfo(sub.timezone))


class DigestScheduler:
    def __init__(self, runner: DigestRunner, *, sync_seconds: float = 30.0,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.runner, self.sync_seconds, self.clock = runner, sync_seconds, clock
        self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})

    def start(self) -> None:
        self.scheduler.add_job(self.tick, "interval", seconds=self.sync_seconds, id=SYNC_JOB,
                               next_run_time=_utcnow(), misfire_grace_time=None)  # at once, in real time
        self.scheduler.start()
        log.info("digest scheduler started as worker %s (sync every %ss)", self.runner.worker_id, self.sync_seconds)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def tick(self) -> None:
        """Sync the cron jobs with the database, then run whatever is due (retries, missed digests)."""
        try:
            self.sync()
            self.runner.run_due(self.clock())
        except Exception:  # noqa: BLE001 - the next tick tries again; never kill the scheduler thread
            log.exception("digest scheduler tick failed; trying again in %ss", self.sync_seconds)

    def sync(self) -> tuple[int, int]:
        """Add a job for each new or changed subscription, remove the rest; (added, removed)."""
        with transaction(self.runner.services.sessions) as session:
            wanted = {job_id(s): s for s in active_subscriptions(session)}
        have = {j.id for j in self.scheduler.get_jobs() if j.id.startswith("digest:")}
        for stale in have - set(wanted):
            self.scheduler.remove_job(stale)
        for new in set(wanted) - have:
            sub = wanted[new]
            self.scheduler.add_job(self._fire, trigger_for(sub), args=[sub.id], id=new,
                                   misfire_grace_time=int(self.runner.config.grace.total_seconds()))
        return len(set(wanted) - have), len(have - set(wanted))

    def _fire(self, subscription_id: int) -> None:
        try:
            self.runner.run_subscription_id(subscription_id, self.clock())
        except Exception:  # noqa: BLE001 - the sync tick retries
            log.exception("digest %s: scheduled run failed; the next tick retries", subscription_id)


def scheduler_from_settings(settings, services, client) -> DigestScheduler:  # type: ignore[no-untyped-def]
    """The scheduler as configured by DIGEST_* settings, posting with `client` (a WebClient, or each
    workspace's own from bot/workspace_clients.py), with the
    platform sync jobs (SYNC_EVERY_HOURS) when a platform has credentials."""
    from datetime import timedelta

    from .digest_runner import RunnerConfig
    from .sync_schedule import SyncSchedule

    config = RunnerConfig(grace=timedelta(hours=settings.digest_grace_hours),
                          max_attempts=settings.digest_max_attempts,
                          lease=timedelta(minutes=settings.digest_claim_lease_minutes))
    scheduler = DigestScheduler(DigestRunner(services, client, config=config), sync_seconds=settings.digest_sync_seconds)
    SyncSchedule(services, every=timedelta(hours=settings.sync_every_hours),
                 stale_after=timedelta(days=settings.sync_stale_after_days)).add_to(scheduler.scheduler)
    return scheduler


def run_forever(scheduler: DigestScheduler, *, grace_s: float = 20.0) -> None:
    """`influencer-bot scheduler`: run until SIGTERM or Ctrl-C, then let the jobs in hand finish for up
    to `grace_s` seconds (bot/lifecycle.py)."""
    import time

    from .lifecycle import exit_after, finish_within, stop_requested

    with stop_requested() as stop:
        scheduler.start()
        while not stop.wait(3600):
            pass
        left = finish_within([("scheduled jobs", scheduler.shutdown)], time.monotonic() + grace_s)
    exit_after(left, grace_s)
