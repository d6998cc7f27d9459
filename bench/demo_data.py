"""Benchmark: demo data into a fresh SQLite file (target: 100,000 creators in under 60 s).

    python bench/demo_data.py [--creators 100000] [--seed 7] [--db PATH]

Times the first load (everything is new: two snapshots per creator) and a second,
idempotent load (nothing to write), and prints a Markdown table. CPU seconds are shown
too: on a shared 2-core machine wall time also measures the neighbours.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from influencer_bot.storage.db import make_engine, make_session_factory
from influencer_bot.storage.demo.creators import load_demo_data
from influencer_bot.storage.migrate import ensure_schema
from influencer_bot.storage.models import Creator, MetricSnapshot

TARGET_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="SQLite file (default: a fresh temporary one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "demo.sqlite3"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        ensure_schema(engine)
        factory = make_session_factory(engine)

        rows = []
        for label in ("first load", "second load (idempotent)"):
            started, cpu = time.perf_counter(), time.process_time()
            report = load_demo_data(factory, "TDEMO", creators=args.creators, seed=args.seed)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            rows.append((label, report.creators, report.created, report.unchanged, seconds, cpu))
            print(report.summary(), file=sys.stderr)
        with factory() as session:
            creators = session.scalar(select(func.count()).select_from(Creator))
            snapshots = session.scalar(select(func.count()).select_from(MetricSnapshot))
        engine.dispose()

    print(f"\nSQLite, {args.creators:,} creators, seed {args.seed}: {creators:,} creator rows, "
          f"{snapshots:,} metric snapshots\n")
    print("| run | rows | created | unchanged | seconds | CPU seconds | rows/s | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, n, created, unchanged, seconds, cpu in rows:
        verdict = "" if label != "first load" else ("✅ < 60 s" if seconds < TARGET_SECONDS else "❌ ≥ 60 s")
        print(f"| {label} | {n:,} | {created:,} | {unchanged:,} | {seconds:.1f} | {cpu:.1f} | {n / seconds:,.0f} | {verdict} |")
    return 0 if rows[0][4] < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
