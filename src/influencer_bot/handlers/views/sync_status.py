"""`/influencer sync status`: per platform, the last runs, creators never synced, quota left, or why
the platform is not configured."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from ...storage.models import SyncRun
from ...storage.sync.runs import failures_of
from ...storage.sync.status import PlatformStatus
from .format import clip, escape, slack_date, to_payload
from .sync_words import STATUSES, failures_text, platform_label


def _run_line(what: str, run: SyncRun | None) -> str:
    if run is None:
        return f"{what}: no run yet"
    failures = failures_of(run)
    counts = f"{run.refreshed:,} refreshed, {run.failed:,} failed" + (f" ({failures_text(failures)})" if failures else "")
    when = slack_date(run.started_at)
    line = f"{what}: {STATUSES.get(run.status, run.status)} · {when} · by {run.trigger} · {counts}"
    if run.message:
        line += f"\n      _{escape(run.message)}_"
    return line


def _platform_text(s: PlatformStatus) -> str:
    label = platform_label(s.platform)
    creators = f"{s.creators:,} creator{'s' * (s.creators != 1)}"
    if s.why_not is not None:
        return f"*{label}*: {escape(s.why_not)}\n{creators}; their numbers come from imports."
    head = f"*{label}* · {creators}, {s.never_synced:,} never synced"
    if s.quota_left is not None:
        head += f" · quota left today: {s.quota_left:,} units"
    return "\n".join([head, _run_line("Creators", s.last_creators), _run_line("Campaign posts", s.last_posts)])


def sync_status_blocks(statuses: Sequence[PlatformStatus]) -> list[dict]:
    blocks: list = [HeaderBlock(text="Platform sync")]
    blocks += [SectionBlock(text=MarkdownTextObject(text=clip(_platform_text(s)))) for s in statuses]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Creators are refreshed on a schedule (SYNC_EVERY_HOURS) and by `influencer-bot sync creators`; "
             "campaign posts hourly for 48 h, then daily until 30 days. "
             "Refresh one now: `/influencer creator veganbakes refresh`")]))
    return to_payload(blocks)


def sync_status_text(statuses: Sequence[PlatformStatus]) -> str:
    return "Platform sync: " + "; ".join(
        f"{platform_label(s.platform)} {'not configured' if s.why_not else 'configured'}" for s in statuses)
