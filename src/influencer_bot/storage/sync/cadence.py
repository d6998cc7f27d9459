"""When a campaign post's numbers are read again: often while they move, then less, then never.

A post gathers most of its views and likes in its first two days, so it is read hourly for
48 hours after it went live (its posted_at, else when it was recorded), then daily until it is
30 days old, then no more: the last snapshot is its final count. A post never read yet is read
once whatever its age, so an old link added to a campaign still gets its numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

HOURLY_FOR = timedelta(hours=48)
DAILY_UNTIL = timedelta(days=30)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
# a job that runs every hour must find a post read 59 minutes 58 seconds ago due again
SLACK = timedelta(minutes=2)


def refresh_due(live_since: datetime, last_synced_at: datetime | None, now: datetime) -> bool:
    if last_synced_at is None:
        return True
    age = now - live_since
    if age >= DAILY_UNTIL:
        return False
    every = HOUR if age < HOURLY_FOR else DAY
    return now - last_synced_at >= every - SLACK
