"""`influencer-bot sync creators|posts`: platform sync from the terminal, one summary line per run."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ..influence.errors import UserError
from ..influence.platforms import parse_platform
from ..storage.sync.configured import LABELS
from ..storage.sync.creators_sync import Scoring
from ..storage.sync.jobs import BUSY, Job, RunReport, run_job
from .settings import Settings

EXAMPLE = "influencer-bot sync creators --platform youtube --stale-after 7d --limit 500"
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|days?|hours?|min|minutes?)", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """`7d`, `12h`, `30m` (or `7 days`, `1.5h`) -> a timedelta; anything else is a UserError."""
    found = _DURATION.fullmatch(text.strip())
    if not found:
        raise UserError(f"“{text[:30]}” is not a duration: give a number with d (days), h (hours) or m (minutes), "
                        "e.g. 7d, 12h or 30m.", EXAMPLE)
    number, unit = float(found[1]), found[2][0].lower()
    return timedelta(**{_UNITS[unit]: number})


def add_parser(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="refresh creators (or campaign posts) from the platforms' APIs")
    sync.add_argument("kind", choices=["creators", "posts"],
                      help="creators: profiles and recent posts; posts: live campaign posts on their cadence")
    sync.add_argument("--platform", help="instagram, tiktok or youtube (default: every configured platform)")
    sync.add_argument("--workspace", metavar="T", help="one Slack team id (default: every workspace)")
    sync.add_argument("--stale-after", metavar="AGE",
                      help="refresh creators last synced longer ago than this: 7d, 12h, 30m (default: "
                           "SYNC_STALE_AFTER_DAYS)")
    sync.add_argument("--limit", type=int, metavar="N", help="at most N creators per platform and workspace")


def cmd_sync(args: argparse.Namespace, settings: Settings, *,
             clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    from .runtime import build_services, open_database

    platform = parse_platform(args.platform, EXAMPLE).value if args.platform else None
    stale_after = (parse_duration(args.stale_after) if args.stale_after
                   else timedelta(days=settings.sync_stale_after_days))
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit takes a number of creators, 1 or more.", EXAMPLE)
    if args.kind == "posts" and (args.stale_after or args.limit):
        raise UserError("--stale-after and --limit apply to `sync creators`; posts follow their own cadence.",
                        "influencer-bot sync posts --platform youtube")
    services = build_services(settings, open_database(settings))
    platforms = services.sync
    wanted = [platform] if platform else list(LABELS)
    for name in wanted:
        if name in platforms.unconfigured:
            print(f"{LABELS[name]}: {platforms.unconfigured[name]}")
    if not platforms.configured(platform):
        print("influencer-bot: nothing to sync: no platform has its credentials configured (see above).")
        return 2
    job = Job(args.kind, "cli", platform, [args.workspace] if args.workspace else None, stale_after, args.limit)
    reports = run_job(services.sessions, platforms, job, clock=clock,
                      scoring=Scoring(services.thresholds, services.quality_rules))
    for name in platforms.configured(platform):
        mine = [r for r in reports if r.platform == name]
        if not mine:
            where = f"workspace {args.workspace}" if args.workspace else "any workspace"
            print(f"{LABELS[name]}: nothing to sync: no {'campaign posts' if args.kind == 'posts' else 'creators'} "
                  f"on {LABELS[name]} in {where}.")
        for report in mine:
            print(summary_line(report))
    return 0


def summary_line(r: RunReport) -> str:
    what = "posts" if r.kind == "posts" else "creators"
    if r.status == BUSY:
        return f"{LABELS[r.platform]} {what} · {r.team_id}: skipped. {r.message or ''}".rstrip()
    failed = sum(r.failures.values())
    line = f"{LABELS[r.platform]} {what} · {r.team_id}: {r.refreshed:,} refreshed, {failed:,} failed"
    if r.failures:
        line += " (" + ", ".join(f"{reason} {n:,}" for reason, n in sorted(r.failures.items())) + ")"
    if r.quota_left is not None:
        line += f"; quota left today: {r.quota_left:,} units"
    if r.status != "done":
        line += f"\n  stopped ({r.status}): {r.message or 'no reason given'}"
    elif r.message:
        line += f"\n  {r.message}"
    return line
