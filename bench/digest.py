"""Benchmark: channel digests at scale, SQL aggregation against a naive load-and-sum baseline.

    python bench/digest.py [--campaigns 1000] [--members 20000] [--snapshots 1000000]
                                          [--runs 30] [--channels 200] [--no-postgres]

A workspace with 1,000 campaigns, 20,000 members and 1,000,000 post snapshots, on SQLite
and (when PostgreSQL binaries are found, via tests/pg_server.py) PostgreSQL. Timed, in the
same run on the same data: building + rendering one campaign's digest (p50/p95 over
--runs different campaigns), a workspace-wide digest (all 1,000 campaigns), the chart,
and a full daily run of --channels subscribed channels posting to a local Slack Web API,
each against a baseline that loads the rows into Python and sums there. Target: one
channel's digest p95 ≤ 1 s on both databases. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from digest_data import NOW, TEAM, load  # noqa: E402
from digest_world import python_totals  # noqa: E402

from influencer_bot.bot.digest_runner import DigestRunner, RunnerConfig  # noqa: E402
from influencer_bot.bot.local.web_api import LocalSlack  # noqa: E402
from influencer_bot.bot.slack_client import make_web_client  # noqa: E402
from influencer_bot.handlers.services import Services  # noqa: E402
from influencer_bot.handlers.views.digest import digest_blocks  # noqa: E402
from influencer_bot.handlers.views.digest_chart import render_chart  # noqa: E402
from influencer_bot.influence.digest_schedule import Cadence  # noqa: E402
from influencer_bot.storage.digests import subscriptions as store  # noqa: E402
from influencer_bot.storage.db import make_engine, make_session_factory, transaction  # noqa: E402
from influencer_bot.storage.digests.content import build_content, chart_data  # noqa: E402
from influencer_bot.storage.migrate import upgrade  # noqa: E402

TARGET_P95_S = 1.0
AS_OF = NOW + timedelta(minutes=5)


def naive_digest(session, campaign_ids: list[int] | None) -> int:  # type: ignore[no-untyped-def]
    """The baseline: every row into Python, the latest snapshot per post and the sums computed there."""
    return len(python_totals(session, TEAM, campaign_ids, as_of=AS_OF))


def _times(fn: Callable[[int], object], runs: int) -> list[float]:
    out = []
    for n in range(runs):
        started = time.perf_counter()
        fn(n)
        out.append(time.perf_counter() - started)
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def bench(engine: Engine, label: str, args: argparse.Namespace, rows: list[tuple]) -> None:
    t0 = time.perf_counter()
    counts = load(engine, campaigns=args.campaigns, members=args.members, snapshots=args.snapshots)
    loaded = time.perf_counter() - t0
    print(f"{label}: loaded {counts} in {loaded:.1f}s", file=sys.stderr)
    factory = make_session_factory(engine)
    services = Services(sessions=factory)
    picks = random.Random(5).sample(range(1, args.campaigns + 1), args.runs)

    def one(n: int) -> None:
        with transaction(factory) as session:
            digest_blocks(build_content(session, TEAM, picks[n], as_of=AS_OF))

    def one_naive(n: int) -> None:
        with transaction(factory) as session:
            naive_digest(session, [picks[n]])

    def everything(_n: int) -> None:
        with transaction(factory) as session:
            digest_blocks(build_content(session, TEAM, None, as_of=AS_OF))

    def everything_naive(_n: int) -> None:
        with transaction(factory) as session:
            naive_digest(session, None)

    def chart(n: int) -> None:
        with transaction(factory) as session:
            render_chart(chart_data(session, TEAM, build_content(session, TEAM, picks[n], as_of=AS_OF)))

    ws_runs = max(3, args.runs // 5)
    for name, fn, naive, runs in (("one channel's digest (1 campaign)", one, one_naive, args.runs),
                                  (f"workspace-wide digest ({args.campaigns:,} campaigns)", everything,
                                   everything_naive, ws_runs)):
        sql, base = _times(fn, runs), _times(naive, runs)
        rows.append((label, name, runs, _p(sql, 50), _p(sql, 95), _p(base, 50), _p(base, 95),
                     "✅" if name.startswith("one") and _p(sql, 95) <= TARGET_P95_S else
                     ("❌" if name.startswith("one") else "")))
    charts = _times(chart, min(10, args.runs))
    rows.append((label, "chart for one campaign (14 days, render PNG)", len(charts), _p(charts, 50), _p(charts, 95),
                 None, None, ""))
    with transaction(factory) as session:
        for n, campaign in enumerate(picks[: args.channels] + list(range(1, args.channels + 1))[len(picks):]):
            sub, _ = store.subscribe(session, TEAM, f"CBENCH{n:04d}", store.Schedule(
                Cadence("daily", "09:00", "UTC"), campaign, chart=False), "UBENCH")
            sub.created_at = NOW - timedelta(days=1)
    with LocalSlack() as slack:
        runner = DigestRunner(services, make_web_client("xoxb-bench", slack.api_url), worker_id="bench",
                              config=RunnerConfig(grace=timedelta(hours=6)))
        started = time.perf_counter()
        done = runner.run_due(AS_OF)
        full = time.perf_counter() - started
        posted = len([c for c in slack.calls_to("chat.postMessage") if not c.failed])
    started = time.perf_counter()
    for n in range(args.channels):
        one_naive(n % len(picks))
    naive_full = time.perf_counter() - started
    assert posted == args.channels == len(done), (posted, len(done))
    rows.append((label, f"full daily run, {args.channels} channels (claim+build+post, no chart)", 1, full, full,
                 naive_full, naive_full, f"{posted} posted; naive: build only"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--campaigns", type=int, default=1_000)
    p.add_argument("--members", type=int, default=20_000)
    p.add_argument("--snapshots", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--channels", type=int, default=200)
    p.add_argument("--no-postgres", action="store_true")
    args = p.parse_args(argv)
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/digest-bench.db")
        upgrade(engine)
        bench(engine, "SQLite", args, rows)
        engine.dispose()
    if not args.no_postgres:
        import pg_server

        try:
            server = pg_server.start()
        except pg_server.PostgresUnavailable as exc:
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        else:
            try:
                engine = make_engine(pg_server.fresh_database(server.url))
                upgrade(engine)
                bench(engine, "PostgreSQL", args, rows)
                engine.dispose()
            finally:
                server.stop()
    print(f"\n{args.campaigns:,} campaigns, {args.members:,} members, {args.snapshots:,} post snapshots; "
          f"target: one channel's digest p95 ≤ {TARGET_P95_S:g} s\n")
    print("| database | what | runs | SQL p50 s | SQL p95 s | naive p50 s | naive p95 s | |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for label, name, runs, p50, p95, n50, n95, note in rows:
        naive = (f"{n50:.3f} | {n95:.3f}" if n50 is not None else "— | —")
        print(f"| {label} | {name} | {runs} | {p50:.3f} | {p95:.3f} | {naive} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
