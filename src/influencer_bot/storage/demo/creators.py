"""Demo data: a realistic synthetic workspace, written through the one creator write path.

The population itself is pure (storage/demo/population.py); this module writes it with
`upsert_creators`, batch by batch, one transaction per batch so a large load shows
progress and a failure loses one batch at most. New creators then get their history
(`add_past_snapshots`: back-dated snapshots, so follower spikes show), and are indexed
for search once, with it. A second load with the same seed changes nothing: creators
already present get only today's record, whose numbers equal their latest snapshot, so
the upsert sees nothing to write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from time import perf_counter

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .population import DemoCreator, generate_population
from ...influence.tiers import TierThresholds
from ..search.indexer import index_creators
from ..creators.store import Outcome, add_past_snapshots
from ..ingest import upsert_creators
from ..db import transaction
from ..models import Creator, utcnow
from ..creators.records import CreatorRecord
from ..workspaces import ensure_workspace

SOURCE = "demo"
BATCH = 2_500  # records per transaction: big enough to amortise round trips, small enough to show progress


def generate_records(n: int, seed: int) -> Iterator[CreatorRecord]:
    """Today's record of each demo creator (no history): what an import of them would carry."""
    for creator in generate_population(n, seed):
        yield CreatorRecord(**creator.fields)  # type: ignore[arg-type]


@dataclass(slots=True)
class DemoReport:
    team_id: str
    seed: int
    creators: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_platform: Counter[str] = field(default_factory=Counter)
    by_tier: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        platforms = ", ".join(f"{n:,} {p}" for p, n in sorted(self.by_platform.items()))
        tiers = ", ".join(f"{n:,} {t}" for t, n in self.by_tier.most_common())
        return (f"{self.creators:,} demo creators in {self.team_id} ({self.created:,} new, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged) in {self.seconds:.1f}s; {platforms}; {tiers}")


def load_demo_data(
    factory: sessionmaker[Session],
    team_id: str,
    *,
    creators: int = 2_000,
    seed: int = 7,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> DemoReport:
    """Write `creators` demo creators into one workspace; `progress(done, total)` after each batch."""
    started = perf_counter()
    now = now or utcnow()
    report = DemoReport(team_id, seed)
    tier_of = TierThresholds().tier_of
    with transaction(factory) as session:
        ensure_workspace(session, team_id)
    for batch in _batches(generate_population(creators, seed), BATCH):
        with transaction(factory) as session:
            current = [CreatorRecord(**c.fields) for c in batch]  # type: ignore[arg-type]
            touched: set[int] = set()  # indexed once, when today's numbers and the history are written
            outcomes = upsert_creators(session, team_id, current, source=SOURCE, now=now, defer_index=touched)
            new = [c for c, outcome in zip(batch, outcomes) if outcome is Outcome.CREATED]
            ids = _ids(session, team_id, new)
            add_past_snapshots(session, team_id, [
                (ids[_key(c)], now - timedelta(days=e.days_ago), CreatorRecord(**c.at(e)))  # type: ignore[arg-type]
                for c in new for e in c.history], source=SOURCE)
            index_creators(session, team_id, touched)
        for record, outcome in zip(current, outcomes):
            if outcome is Outcome.CREATED:
                report.created += 1
            elif outcome is Outcome.UNCHANGED:
                report.unchanged += 1
            else:
                report.updated += 1
            report.by_platform[record.platform.value] += 1
            report.by_tier[tier_of(record.followers).value] += 1  # type: ignore[union-attr]
        report.creators += len(batch)
        if progress is not None:
            progress(report.creators, creators)
    from .campaigns import load_demo_campaigns  # campaigns pick their members from the creators above

    load_demo_campaigns(factory, team_id, seed=seed, now=now)
    report.seconds = perf_counter() - started
    return report


def _batches(items: Iterable[DemoCreator], size: int) -> Iterator[list[DemoCreator]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _key(c: DemoCreator) -> tuple[str, str]:
    return c.fields["platform"].value, c.fields["handle"]  # type: ignore[attr-defined,return-value]


def _ids(session: Session, team_id: str, batch: list[DemoCreator]) -> dict[tuple[str, str], int]:
    """The ids of these creators (those the workspace has), by (platform, handle).

    One platform per query, so SQLite searches the (team, platform, handle) index instead
    of scanning the workspace for a `(platform, handle) IN` row-value list."""
    by_platform: dict[str, list[str]] = {}
    for c in batch:
        platform, handle = _key(c)
        by_platform.setdefault(platform, []).append(handle)
    found: dict[tuple[str, str], int] = {}
    for platform, handles in by_platform.items():
        for start in range(0, len(handles), 500):
            found.update(((p, h), i) for i, p, h in session.execute(
                select(Creator.id, Creator.platform, Creator.handle).where(
                    Creator.team_id == team_id, Creator.platform == platform,
                    Creator.handle.in_(handles[start:start + 500]))))
    return found
