"""What one platform answer does to one creator row: its profile, its metric history, its sync mark.

A profile updates what the platform states (followers, names, bio, country, its own id) and
merges its topics into the stored ones, so hashtags from an import stay searchable. A metric
snapshot is written only when the numbers differ from the latest one (measure.same_numbers):
re-running a sync over unchanged platform data adds no history. Either way `synced_at` moves,
because the platform answered.

A `Missing` marks the creator with its reason (not_found, not_discoverable, …) and keeps its
numbers. A Missing that answered (the platform said "no such account") moves `synced_at`,
so the creator waits its turn like the others; an `error` does not, so the next run tries it first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import Creator, MetricSnapshot
from .fetched import FetchedProfile, Missing
from .measure import is_empty, measure, same_numbers

OK = "ok"
ERROR = "error"
_PROFILE = ("followers", "following", "posts_total", "display_name", "bio", "country", "platform_id")
_MAX_CHARS = {"display_name": 200, "country": 64, "platform_id": 64}  # the columns' sizes


def merge_topics(stored: str | None, fetched: tuple[str, ...]) -> str | None:
    """Stored topics first (an import's hashtags), then the platform's new ones, each once."""
    words = (stored or "").split()
    seen = {w.lstrip("#").lower() for w in words}
    for topic in fetched:
        word = "-".join(topic.split())
        if word and word.lstrip("#").lower() not in seen:
            seen.add(word.lstrip("#").lower())
            words.append(word)
    return " ".join(words) or None


def apply_profile(session: Session, creator: Creator, profile: FetchedProfile, *, latest: MetricSnapshot | None,
                  source: str, now: datetime) -> bool:
    """Write what the platform says of this creator; True when something a search scores on changed
    (a new snapshot or profile fields), so the caller re-indexes it. `latest` is the creator's
    latest snapshot, which the caller loads for a whole batch at once."""
    changed = False
    for name in _PROFILE:
        value = getattr(profile, name)
        if isinstance(value, str):
            value = value.strip()[:_MAX_CHARS.get(name)] or None
        if value is not None and getattr(creator, name) != value:
            setattr(creator, name, value)
            changed = True
    topics = merge_topics(creator.topics, profile.topics)
    if topics != creator.topics:
        creator.topics, changed = topics, True
    values = measure(profile, now)
    if not is_empty(values) and not same_numbers(values, latest):
        snap_id = session.execute(insert(MetricSnapshot).returning(MetricSnapshot.id).values(
            team_id=creator.team_id, creator_id=creator.id, captured_at=now, source=source, **values)).scalar_one()
        creator.latest_metrics_id = snap_id
        changed = True
    creator.synced_at, creator.sync_status = now, OK
    if changed:
        creator.updated_at = now
    return changed


def apply_missing(creator: Creator, missing: Missing, *, now: datetime) -> None:
    """Mark why the platform gave no numbers; the creator's numbers stay as they were."""
    creator.sync_status = missing.reason[:32]
    if missing.reason != ERROR:
        creator.synced_at = now
