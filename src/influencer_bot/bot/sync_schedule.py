"""Platform sync on the clock: creators every SYNC_EVERY_HOURS, campaign posts every hour.

The jobs hold no state: the sync_runs claim (storage/sync/runs.py) lets one process at a time
sync a platform of a workspace, and declines a run when another process started the same one
within 90% of the period, so several scheduler processes share the work instead of repeating it.
Which posts are due, and when, is storage/sync/cadence.py's decision; the job only wakes it up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from ..handlers.services import Services
from ..storage.sync.creators_sync import Scoring
from ..storage.sync.jobs import Job, RunReport, run_job

log = logging.getLogger("influencer_bot.sync")
CREATORS_JOB, POSTS_JOB = "sync:creators", "sync:posts"
POSTS_EVERY = timedelta(hours=1)
SHARE = 0.9  # a run started within this share of the period by any process counts as this period's


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SyncSchedule:
    def __init__(self, services: Services, *, every: timedelta, stale_after: timedelta,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.services, self.every, self.stale_after, self.clock = services, every, stale_after, clock

    def creators_tick(self) -> list[RunReport]:
        return self._run(Job("creators", "schedule", stale_after=self.stale_after, not_since=self.every * SHARE))

    def posts_tick(self) -> list[RunReport]:
        return self._run(Job("posts", "schedule", not_since=POSTS_EVERY * SHARE))

    def _run(self, job: Job) -> list[RunReport]:
        s = self.services
        try:
            return run_job(s.sessions, s.sync, job, clock=self.clock, scoring=Scoring(s.thresholds, s.quality_rules))
        except Exception:  # noqa: BLE001 - the next tick tries again; never kill the scheduler thread
            log.exception("scheduled %s sync failed; the next tick tries again", job.kind)
            return []

    def add_to(self, scheduler: BaseScheduler) -> bool:
        """Add both jobs (first run one period from now); False, with a log line, when no platform can sync."""
        if not self.services.sync.configured():
            log.info("platform sync is off: no platform has credentials (%s)",
                     "; ".join(f"{p}: {why}" for p, why in self.services.sync.unconfigured.items()))
            return False
        scheduler.add_job(self.creators_tick, "interval", seconds=self.every.total_seconds(), id=CREATORS_JOB,
                          misfire_grace_time=None)
        scheduler.add_job(self.posts_tick, "interval", seconds=POSTS_EVERY.total_seconds(), id=POSTS_JOB,
                          misfire_grace_time=None)
        log.info("platform sync scheduled: creators every %s, campaign posts every hour (%s)",
                 self.every, ", ".join(self.services.sync.configured()))
        return True
