"""How platform sync is put into words, on the creator card and in `/influencer sync status`."""

from __future__ import annotations

from datetime import UTC, datetime

from ...storage.sync.configured import LABELS
from ...storage.sync.jobs import RunReport

#: Missing reasons (storage/sync/fetched.py) and run statuses, as people read them
REASONS = {
    "not_found": "no such account",
    "not_discoverable": "not discoverable (only business and creator accounts can be read)",
    "private": "private",
    "deleted": "deleted",
    "hidden": "numbers hidden by the creator",
    "error": "unexpected error",
}
STATUSES = {"running": "running", "done": "done", "quota": "stopped: quota used up", "auth": "stopped: token refused",
            "throttled": "stopped: rate-limited", "failed": "failed"}


def platform_label(platform: str) -> str:
    return LABELS.get(platform, platform)


def reason_words(reason: str) -> str:
    return REASONS.get(reason, reason.replace("_", " "))


def failures_text(failures: dict[str, int]) -> str:
    return ", ".join(f"{reason_words(reason)} {n:,}" for reason, n in sorted(failures.items(), key=lambda kv: -kv[1]))


def ago(when: datetime, now: datetime | None = None) -> str:
    """`just now`, `12 min ago`, `2 h ago`, `3 days ago`."""
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86_400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86_400)} days ago"


def day_text(when: datetime, now: datetime | None = None) -> str:
    """`3 Dec`, with the year when it is not this year's."""
    now = now or datetime.now(UTC)
    return f"{when.day} {when:%b}" + ("" if when.year == now.year else f" {when.year}")


def origin_text(source: str | None, at: datetime | None, synced_at: datetime | None, sync_status: str | None,
                platform: str, now: datetime | None = None) -> str:
    """Where a creator's numbers came from and when: "Numbers from YouTube, synced 2 h ago",
    "Numbers from the CSV import of 3 Dec"; plus what the last sync said when it found nothing."""
    if source in LABELS and (synced_at or at):
        text = f"Numbers from {LABELS[source]}, synced {ago(synced_at or at, now)}"  # type: ignore[arg-type]
    elif source == "csv" and at:
        text = f"Numbers from the CSV import of {day_text(at, now)}"
    elif source == "demo" and at:
        text = f"Numbers from the demo data of {day_text(at, now)}"
    elif source and at:
        text = f"Numbers from {source}, {day_text(at, now)}"
    else:
        text = "No numbers yet"
    if sync_status and sync_status != "ok":
        text += f" · last {platform_label(platform)} sync: {reason_words(sync_status)}"
    return text


def refresh_note(report: RunReport, handle: str) -> str:
    """What `/influencer creator … refresh` did on one platform, in one line."""
    label = platform_label(report.platform)
    if report.failures:
        reason = next(iter(report.failures))
        return f"{label} gave no numbers for @{handle}: {reason_words(reason)}. Its numbers stay as they were."
    if report.status != "done":
        return f"{label} sync stopped: {report.message or STATUSES.get(report.status, report.status)}"
    return f"Refreshed from {label} just now."
