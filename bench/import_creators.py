"""Benchmark: 50,000-row creators CSV into a fresh SQLite file (target: under 30 s).

Compares the batched import (`import_creators_file`: validate every row, then
`upsert_creators` 1,000 rows per transaction) with a naive per-row ORM import (select,
add, commit for each row) run on a 5,000-row sample and extrapolated, and times a
re-import of the same file (which must change nothing).

    python bench/import_creators.py [--rows 50000] [--sample 5000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from influencer_bot.storage.db import make_engine, make_session_factory
from influencer_bot.storage.importers import import_creators_file
from influencer_bot.storage.importers.creators_csv import ImportReport, parse_file
from influencer_bot.storage.migrate import ensure_schema
from influencer_bot.storage.models import Creator, MetricSnapshot, Workspace
from influencer_bot.storage.creators.records import METRIC_FIELDS, PROFILE_FIELDS

TEAM = "TBENCH"
TARGET_S = 30.0
HEADER = "platform,handle,display_name,followers,following,avg_likes,avg_comments,avg_views,posts_sampled," \
         "engagement_rate_pct,topics,category,country,price_usd,email\n"


def _count(n: int, rng: random.Random) -> str:
    """Follower counts written the way exports write them."""
    value = int(10 ** rng.uniform(2.5, 8))
    style = rng.random()
    if style < 0.3:
        return f"{value / 1e6:.1f}M" if value >= 1e6 else f"{value / 1e3:.1f}k"
    if style < 0.5:
        return f'"{value:,}"'
    if style < 0.52:
        return rng.choice(["#VALUE!", "N/A", "-", ""])
    return str(value)


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    platforms = ("instagram", "tiktok", "youtube")
    topics = ("vegan baking", "mechanical keyboards", "trail running", "skincare", "budget travel", "chess")
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(rows):
            platform = platforms[i % 3]
            likes = rng.choice([f"{rng.uniform(10, 90_000):.0f}", "#VALUE!"]) if i % 17 == 0 else f"{rng.uniform(10, 90_000):.0f}"
            views = f"{rng.uniform(500, 2e6):.0f}" if platform != "instagram" else ""
            price = f"${rng.randint(50, 5_000)}" if i % 4 == 0 else ""
            rate = f"{rng.uniform(0.3, 9):.2f}%" if i % 5 == 0 else "N/A"
            f.write(f"{platform},@creator_{i},Creator {i},{_count(i, rng)},{rng.randint(50, 3_000)},{likes},"
                    f"{rng.randint(0, 900)},{views},{rng.randint(1, 30)},{rate},\"{rng.choice(topics)}\","
                    f"{rng.choice(topics).title()},US,{price},creator{i}@example.com\n")


def fresh_factory(directory: Path, name: str):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{directory / name}")
    ensure_schema(engine)
    return make_session_factory(engine)


def naive_import(factory, path: Path, limit: int) -> int:  # type: ignore[no-untyped-def]
    """The obvious loop: per row, select the creator, add it (and a snapshot), commit."""
    records = parse_file(path, ImportReport(), None, {})[:limit]
    with factory() as session:
        session.add(Workspace(team_id=TEAM))
        session.commit()
        for _, record in records:
            creator = session.scalars(select(Creator).where(
                Creator.team_id == TEAM, Creator.platform == record.platform.value,
                Creator.handle == record.handle)).first()
            if creator is None:
                creator = Creator(team_id=TEAM, platform=record.platform.value, handle=record.handle)
                session.add(creator)
            for name in PROFILE_FIELDS:
                if getattr(record, name) is not None:
                    setattr(creator, name, getattr(record, name))
            session.flush()
            snapshot = MetricSnapshot(team_id=TEAM, creator_id=creator.id, source="csv",
                                      **{name: getattr(record, name) for name in METRIC_FIELDS})
            session.add(snapshot)
            session.flush()
            creator.latest_metrics_id = snapshot.id
            session.commit()
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=5_000, help="rows for the naive per-row baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        csv_path = directory / "creators.csv"
        generate(csv_path, args.rows)

        factory = fresh_factory(directory, "batched.db")
        t0 = time.perf_counter()
        first = import_creators_file(factory, TEAM, csv_path, progress=False)
        batched = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = import_creators_file(factory, TEAM, csv_path, progress=False)
        reimport = time.perf_counter() - t0
        with factory() as session:
            snapshots = session.scalar(select(func.count()).select_from(MetricSnapshot))
        assert again.created == again.updated == 0, "re-import must change nothing"

        naive_factory = fresh_factory(directory, "naive.db")
        t0 = time.perf_counter()
        sampled = naive_import(naive_factory, csv_path, args.sample)
        naive = (time.perf_counter() - t0) * args.rows / sampled

    imported = first.created + first.updated + first.unchanged
    print(f"{args.rows:,} generated rows: {imported:,} imported, {len(first.rejected):,} rejected, "
          f"{snapshots:,} snapshots; re-import: {again.unchanged:,} unchanged\n")
    print("| import | rows | seconds | rows/s | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| batched (`import_creators_file`) | {args.rows:,} | {batched:.2f} | {args.rows / batched:,.0f} | "
          f"< {TARGET_S:.0f} s: {'met' if batched < TARGET_S else 'MISSED'} |")
    print(f"| re-import, nothing changed | {args.rows:,} | {reimport:.2f} | {args.rows / reimport:,.0f} | |")
    print(f"| naive per-row ORM, commit per row (from {sampled:,} rows) | {args.rows:,} | ~{naive:.1f} | "
          f"{args.rows / naive:,.0f} | ×{naive / batched:.0f} slower |")


if __name__ == "__main__":
    main()
