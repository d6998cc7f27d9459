"""Sync runs as the terminal, the scheduler and Slack start them: per platform, per workspace,
each one claimed (runs.claim), run (creators_sync / posts_sync) and closed with its outcome.

One client per platform serves every workspace of the job. When a platform stops (the day's
quota, a refused token, throttling), the workspaces it did not reach get a run row with the same
status and message, without another call: the key, not the workspace, is what stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..db import transaction
from ..models import Creator, Post
from . import runs
from .batches import Ended
from .configured import LABELS, SyncPlatforms
from .creators_sync import Scoring, refresh_creators, stale_creators
from .fetched import PlatformClient
from .fetching import logged_error
from .posts_sync import due_posts, refresh_posts

log = logging.getLogger("influencer_bot.sync")
BUSY = "busy"  # not a sync_runs status: the claim was declined, nothing ran
STOPPED = (runs.QUOTA, runs.AUTH, runs.FAILED, "throttled")


@dataclass(frozen=True, slots=True)
class RunReport:
    team_id: str
    platform: str
    kind: str
    status: str  # a sync_runs status, or BUSY
    refreshed: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    quota_left: int | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """What to run: `creators` or `posts`, for which platform(s) and workspaces, started by whom."""

    kind: str
    trigger: str  # cli | schedule | slack
    platform: str | None = None
    team_ids: Sequence[str] | None = None
    stale_after: timedelta = timedelta(days=7)
    limit: int | None = None
    not_since: timedelta | None = None  # decline when a run started this recently (scheduler replicas)


def run_job(factory: sessionmaker[Session], platforms: SyncPlatforms, job: Job, *,
            clock: Callable[[], datetime], scoring: Scoring = Scoring()) -> list[RunReport]:
    reports: list[RunReport] = []
    for platform in platforms.configured(job.platform):
        with transaction(factory) as session:
            teams = list(job.team_ids) if job.team_ids is not None else _teams(session, platform, job.kind)
        if not teams:
            continue
        stopped: Ended | None = None
        done: list[RunReport] = []
        with platforms.connections[platform].open() as client:
            for team_id in teams:
                report = (_record_stopped(factory, team_id, platform, job, stopped, clock) if stopped
                          else _run_one(factory, client, team_id, job, clock, scoring))
                if report.status in STOPPED and report.status != runs.FAILED:
                    stopped = stopped or Ended(report.status, report.message)
                done.append(report)
        left = platforms.quota_left(platform)
        reports.extend(replace(r, quota_left=left) for r in done)
    return reports


def refresh_one(factory: sessionmaker[Session], client: PlatformClient, team_id: str, creator_id: int, *,
                clock: Callable[[], datetime], scoring: Scoring = Scoring()) -> RunReport:
    """One creator now (`/influencer creator … refresh`): a run of its own, which may overlap a batch run."""
    with transaction(factory) as session:
        run_id = runs.start(session, team_id, client.platform, runs.ONE_CREATOR, "slack", now=clock())
        refs = stale_creators(session, team_id, client.platform, now=clock(), stale_after=timedelta(0),
                              creator_ids=[creator_id])
    return _execute(factory, team_id, client.platform, runs.ONE_CREATOR, run_id,
                    lambda tally: refresh_creators(factory, team_id, client, refs, run_id=run_id, tally=tally,
                                                   clock=clock, scoring=scoring), clock)


def _teams(session: Session, platform: str, kind: str) -> list[str]:
    if kind == runs.POSTS:
        query = select(Post.team_id).where(Post.platform == platform, Post.external_id.is_not(None),
                                           Post.status == "live")
    else:
        query = select(Creator.team_id).where(Creator.platform == platform)
    return sorted(set(session.scalars(query.distinct())))


def _run_one(factory: sessionmaker[Session], client: PlatformClient, team_id: str, job: Job,
             clock: Callable[[], datetime], scoring: Scoring) -> RunReport:
    platform, now = client.platform, clock()
    with transaction(factory) as session:
        run_id = runs.claim(session, team_id, platform, job.kind, job.trigger, now=now, not_since=job.not_since)
        if run_id is not None:
            if job.kind == runs.POSTS:
                post_refs = due_posts(session, team_id, platform, now=now)
            else:
                creator_refs = stale_creators(session, team_id, platform, now=now, stale_after=job.stale_after,
                                              limit=job.limit)
    if run_id is None:
        recently = f" or ran it in the last {_hours(job.not_since)}" if job.not_since else ""
        return RunReport(team_id, platform, job.kind, BUSY,
                         message=f"Another process is running this sync{recently}; nothing to do here.")
    if job.kind == runs.POSTS:
        def work(tally: runs.Tally) -> Ended:
            if not post_refs:
                return Ended(runs.DONE, "No campaign post is due for a refresh.")
            return refresh_posts(factory, team_id, client, post_refs, run_id=run_id, tally=tally, clock=clock)
    else:
        def work(tally: runs.Tally) -> Ended:
            if not creator_refs:
                return Ended(runs.DONE, f"Nothing to refresh: every {LABELS[platform]} creator was synced "
                                        f"in the last {_hours(job.stale_after)}.")
            return refresh_creators(factory, team_id, client, creator_refs, run_id=run_id, tally=tally,
                                    clock=clock, scoring=scoring)
    return _execute(factory, team_id, platform, job.kind, run_id, work, clock)


def _execute(factory: sessionmaker[Session], team_id: str, platform: str, kind: str, run_id: int,
             work: Callable[[runs.Tally], Ended], clock: Callable[[], datetime]) -> RunReport:
    tally = runs.Tally()
    try:
        ended = work(tally)
    except Exception as exc:  # noqa: BLE001 - the run is closed as failed; what it committed stays
        missing = logged_error(f"{platform} {kind} sync of {team_id}", exc)
        ended = Ended(runs.FAILED, f"Stopped by an {missing.detail}; what it refreshed before was kept.")
    except BaseException:  # Ctrl-C, exit: release the claim now rather than hold it for the lease
        with transaction(factory) as session:
            runs.finish(session, run_id, tally, status=runs.FAILED, now=clock(),
                        message="Interrupted (Ctrl-C or the process stopping); what it refreshed before was kept.")
        raise
    with transaction(factory) as session:
        runs.finish(session, run_id, tally, status=ended.status, message=ended.message, now=clock())
    log.info("%s %s sync of %s: %s, %d refreshed, %d failed %s", LABELS.get(platform, platform), kind, team_id,
             ended.status, tally.refreshed, tally.failed, dict(tally.failures))
    return RunReport(team_id, platform, kind, ended.status, tally.refreshed, dict(tally.failures), ended.message)


def _record_stopped(factory: sessionmaker[Session], team_id: str, platform: str, job: Job, stopped: Ended,
                    clock: Callable[[], datetime]) -> RunReport:
    with transaction(factory) as session:
        run_id = runs.claim(session, team_id, platform, job.kind, job.trigger, now=clock(), not_since=job.not_since)
        if run_id is None:
            return RunReport(team_id, platform, job.kind, BUSY)
        runs.finish(session, run_id, runs.Tally(), status=stopped.status, message=stopped.message, now=clock())
    return RunReport(team_id, platform, job.kind, stopped.status, message=stopped.message)


def _hours(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    hours = delta.total_seconds() / 3600
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return f"{days} day{'s' * (days != 1)}"
    if hours >= 1:
        return f"{hours:g} h"
    return f"{delta.total_seconds() / 60:g} min"
