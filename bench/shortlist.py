"""Benchmark: the shortlist engine on a workspace of 1,000,000 creators.

    python bench/shortlist.py [--creators 1000000] [--requests 100] [--baseline 10]
                                             [--no-postgres] [--ip-instances 200]
                                             [--db-dir DIR] [--pg-url URL]

1. Bulk-loads one workspace (bench/bulk_load.py) into SQLite and, when PostgreSQL binaries
   are found (tests/pg_server.py), into a private PostgreSQL cluster.
2. Per database, in a fresh child process (so its peak RSS, VmHWM, is the request path's and
   not the loader's): warms up with 3 requests, then runs `--requests` varied find
   requests (niches, budgets $500-$500,000 log-uniform, platform/tier/max/min-er/goal options;
   a fifth of them lookalikes, `like:@handle` with a random creator of the workspace, timed apart)
   through the whole path of `influencer-bot shortlist` and the Slack command: parse, match
   and count in SQL, optimise, build profiles, render the Block Kit message. Reports p50/p95/max,
   and the peak memory both as VmHWM and split: private memory at its peak, database file mapped.
   On the same candidates it runs the value-per-dollar greedy, and on the first `--baseline`
   requests the naive skeleton path (bench/naive_baseline.py: LIKE scan, Profile per match,
   greedy), whose picks are valued with our objective.
3. Runs bench/optimizer_vs_ip.py (the optimiser against PuLP/CBC on 200 random instances).
With `--db-dir` the SQLite database is kept in DIR and reused by the next run when it already
holds the workspace (migrations are applied to it first); `--pg-url` does the same with an
existing PostgreSQL database instead of a private cluster. Prints Markdown tables. Targets: p95 <= 150 ms SQLite, <= 250 ms PostgreSQL, peak <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
TEAM = "TBENCH"
NICHES = ("vegan baking", "food", "fitness", "skincare", "gaming", "travel", "sustainable fashion",
          "mechanical keyboards", "coffee", "parenting", "personal finance", "hiking", "plant-based recipes", "yoga",
          "books", "photography", "home barista", "trail running", "desserts", "keebs", "street food", "meal prep",
          "budget travel", "book reviews", "latte art", "vegan", "strength training", "film photography", "thrift",
          "toddler activities", "skincare routine", "indie games", "slow fashion", "specialty coffee")


LIKE_SHARE = 0.2  # of the requests: `like:@handle` (lookalikes) with a handle drawn from the workspace


def requests(n: int, seed: int, handles: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        what = f"like:@{rng.choice(handles)}" if handles and rng.random() < LIKE_SHARE else rng.choice(NICHES)
        budget = round(math.exp(rng.uniform(math.log(500), math.log(500_000))))
        opts = []
        if rng.random() < 0.3:
            opts.append(f"platform:{rng.choice(['instagram', 'tiktok', 'youtube'])}")
        if rng.random() < 0.2:
            opts.append(f"tier:{rng.choice(['nano', 'micro', 'macro'])}")
        if rng.random() < 0.6:
            opts.append(f"max:{rng.randint(3, 20)}")
        if rng.random() < 0.15:
            opts.append(f"min-er:{rng.choice(['1.5', '3', '5'])}")
        if rng.random() < 0.2:
            opts.append("goal:reach")
        out.append(" ".join([what, str(budget), *opts]))
    return out


def peak_rss_mb() -> float:
    """VmHWM, this process's peak resident memory. Not ru_maxrss: Linux carries that across
    exec, so a child started by the loader would report the loader's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


class PrivatePeak:
    """The peak of the process's private (anonymous) resident memory, sampled every 10 ms from
    /proc/self/statm, and its mapped file pages at the end. On SQLite, VmHWM also counts the pages of
    the database file mapped by mmap: the OS page cache, there whether or not it is mapped."""

    def __init__(self) -> None:
        self.peak_kb, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if Path("/proc/self/statm").exists():
            self._thread.start()

    @staticmethod
    def sample() -> tuple[int, int]:
        """(private, file-backed) resident KB."""
        _, resident, shared = (int(x) for x in Path("/proc/self/statm").read_text().split()[:3])
        page_kb = resource.getpagesize() // 1024
        return (resident - shared) * page_kb, shared * page_kb

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak_kb = max(self.peak_kb, self.sample()[0])

    def stop(self) -> dict:
        self._stop.set()
        if not self._thread.is_alive():
            return {}
        self._thread.join()
        private, mapped = self.sample()
        return {"private_mb": max(self.peak_kb, private) / 1024, "mapped_mb": mapped / 1024}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run_requests(url: str, n: int, seed: int, baseline: int, handles: list[str]) -> dict:
    """The child process: time every request end to end; report latency, memory, quality.
    `handles`: lookalike seeds, drawn by the parent so that reading them is not in this peak."""
    from naive_baseline import naive_shortlist

    from influencer_bot.handlers.commands.find import run_proposal
    from influencer_bot.handlers.services import Services
    from influencer_bot.handlers.shortlist_state import view_from_proposal
    from influencer_bot.handlers.views.shortlist import empty_result_text, shortlist_blocks
    from influencer_bot.influence.find_query import parse_find
    from influencer_bot.influence.optimizer import greedy
    from influencer_bot.storage.db import make_engine, make_session_factory, transaction

    services = Services(sessions=make_session_factory(make_engine(url)))
    memory = PrivatePeak()

    def one(text: str):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        query = parse_find(text)
        with transaction(services.sessions) as session:
            proposal = run_proposal(session, TEAM, query, services)
        if proposal.picks:
            shortlist_blocks(view_from_proposal(proposal, "UBENCH"))
        else:
            empty_result_text(query.niche, query.budget_cents, proposal.excluded, proposal.pool, proposal.suggestions)
        return time.perf_counter() - start, query, proposal

    for text in requests(3, seed + 1, handles):
        one(text)
    latencies, stages, greedy_ratio, naive, gaps, pools = [], {}, [], [], 0, []
    naive_queue, like_latencies = [], []
    for i, text in enumerate(requests(n, seed, handles)):
        seconds, query, p = one(text)
        (like_latencies if query.like else latencies).append(seconds)
        if query.like:
            continue  # the pool and quality columns are about niche searches
        pools.append(p.pool)
        gaps += not p.selection.optimal
        for stage, ms in p.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
        if p.selection.total_value > 0:
            greedy_ratio.append(greedy(p.candidates, query.budget_cents, query.max_items).total_value
                                / p.selection.total_value)
            if i < baseline:
                naive_queue.append((query, {c.key: c.value for c in p.candidates}, p.selection.total_value))
    rss_mb = peak_rss_mb()  # before the naive path's ORM objects
    split = memory.stop()
    for query, values, ours in naive_queue:
        start = time.perf_counter()
        with transaction(services.sessions) as session:
            sel = naive_shortlist(session, TEAM, query)
        # creators the naive path picks that our engine excludes or never ranked count as 0
        naive.append((time.perf_counter() - start, sum(values.get(k, 0.0) for k in sel.keys) / ours))
    return {"p50": pct(latencies, .5), "p95": pct(latencies, .95), "max": max(latencies),
            "like_n": len(like_latencies), "like_p50": pct(like_latencies, .5) if like_latencies else None,
            "like_p95": pct(like_latencies, .95) if like_latencies else None,
            "like_max": max(like_latencies, default=None),
            "stages_p95_ms": {k: pct(v, .95) for k, v in stages.items()}, "gaps": gaps,
            "pool_median": statistics.median(pools), "pool_max": max(pools),
            "rss_mb": rss_mb, **split,
            "greedy_mean": statistics.mean(greedy_ratio), "greedy_min": min(greedy_ratio),
            "naive_p50": pct([t for t, _ in naive], .5) if naive else None,
            "naive_max": max((t for t, _ in naive), default=None),
            "naive_value_mean": statistics.mean(v for _, v in naive) if naive else None, "naive_n": len(naive)}


def sample_handles(engine, seed: int, n: int = 200) -> list[str]:  # type: ignore[no-untyped-def]
    """Handles of random creators of the workspace that have terms (lookalike seeds)."""
    from sqlalchemy import func, select

    from influencer_bot.storage.db import make_session_factory, transaction
    from influencer_bot.storage.models import Creator

    with transaction(make_session_factory(engine)) as session:
        top = session.scalar(select(func.max(Creator.id)).where(Creator.team_id == TEAM)) or 0
        ids = random.Random(seed).sample(range(1, top + 1), min(n, top))
        return list(session.scalars(select(Creator.handle).where(
            Creator.team_id == TEAM, Creator.id.in_(ids), Creator.topics.is_not(None))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--creators", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--baseline", type=int, default=10, help="requests also run through the naive path")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--ip-instances", type=int, default=200)
    ap.add_argument("--db-dir", metavar="DIR", help="keep the SQLite database here and reuse it when loaded")
    ap.add_argument("--pg-url", metavar="URL", help="an existing PostgreSQL database to load once and reuse")
    ap.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        handles = json.loads(sys.stdin.read() or "[]")
        print(json.dumps(run_requests(args.child, args.requests, args.seed, args.baseline, handles)))
        return 0

    from bulk_load import build, count

    from influencer_bot.storage.db import make_engine
    from influencer_bot.storage.migrate import upgrade

    results, server = {}, None
    with tempfile.TemporaryDirectory() as tmp:
        db_dir = Path(args.db_dir or tmp)
        db_dir.mkdir(parents=True, exist_ok=True)
        urls = {"SQLite": f"sqlite:///{db_dir}/bench.sqlite3"}
        if args.pg_url:
            urls["PostgreSQL"] = args.pg_url
        elif not args.no_postgres:
            import pg_server
            try:
                server = pg_server.start()
                urls["PostgreSQL"] = pg_server.fresh_database(server.url)
            except pg_server.PostgresUnavailable as exc:
                print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        try:
            engines = [make_engine(u) for u in urls.values()]
            for e in engines:
                upgrade(e)
            loaded = {e: count(e, TEAM) for e in engines}
            if any(n not in (0, args.creators) for n in loaded.values()):
                raise SystemExit(f"a kept database holds another number of creators: {list(loaded.values())}")
            fresh = [e for e, n in loaded.items() if n == 0]
            load = build(fresh, TEAM, args.creators) if fresh else {
                "creators": args.creators, "index_rows": _index_rows(engines[0]), "seconds": 0.0}
            handles = sample_handles(engines[0], args.seed) if LIKE_SHARE else []
            for e in engines:
                e.dispose()
            for name, url in urls.items():
                child = subprocess.run([sys.executable, __file__, "--child", url, "--requests", str(args.requests),
                                        "--seed", str(args.seed), "--baseline", str(args.baseline)],
                                       input=json.dumps(handles), capture_output=True, text=True, check=True)
                results[name] = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            if server is not None:
                server.stop()
    ip = subprocess.run([sys.executable, str(HERE / "optimizer_vs_ip.py"), "--instances", str(args.ip_instances)],
                        capture_output=True, text=True)
    report(args, load, results, ip.stdout + ip.stderr)
    return 0 if ip.returncode == 0 else 1


def _index_rows(engine) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(n) FROM search_index WHERE key LIKE 't:%'")).scalar_one()


def report(args: argparse.Namespace, load: dict, results: dict, ip_table: str) -> None:
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    loaded = f"loaded in {load['seconds']:.0f} s" if load["seconds"] else "a kept database"
    print(f"\n### Shortlist engine, {load['creators']:,} creators ({load['index_rows']:,} term memberships, "
          f"{loaded}), {args.requests} requests\n")
    names = list(results)
    print("| metric | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    rows = [
        ("find p50 / p95 / max (parse, match, optimise, profiles, render)",
         lambda r: f"{ms(r['p50'])} / {ms(r['p95'])} / {ms(r['max'])}"),
        ("p95 target", lambda r: None),
        (f"lookalike (like:@handle, {LIKE_SHARE:.0%} of requests) p50 / p95 / max",
         lambda r: f"{ms(r['like_p50'])} / {ms(r['like_p95'])} / {ms(r['like_max'])} ({r['like_n']} requests)"
         if r.get("like_n") else "—"),
        ("stage p95: match / optimise / profiles (ms)",
         lambda r: " / ".join(f"{r['stages_p95_ms'].get(k, 0):.0f}" for k in ("match", "optimise", "profiles"))),
        ("matching pool: median / max", lambda r: f"{r['pool_median']:,.0f} / {r['pool_max']:,}"),
        ("answers with a proven gap (time limit)", lambda r: r["gaps"]),
        ("peak memory (VmHWM of the request process, before the naive path runs)", lambda r: f"{r['rss_mb']:.0f} MB"),
        ("of it: private memory at its peak / database file mapped at the end (SQLite mmap: OS page cache)",
         lambda r: f"{r['private_mb']:.0f} / {r['mapped_mb']:.0f} MB" if "private_mb" in r else "—"),
        ("greedy value/dollar on the candidates the optimiser saw: value / ours (mean / min)",
         lambda r: f"{r['greedy_mean']:.3f} / {r['greedy_min']:.3f}"),
        ("naive path (LIKE scan + Profile per match + greedy): p50 / max",
         lambda r: f"{ms(r['naive_p50'])} / {ms(r['naive_max'])} ({r['naive_n']} requests)" if r["naive_n"] else "—"),
        ("naive path's picks valued by our objective / ours (mean)",
         lambda r: f"{r['naive_value_mean']:.3f}" if r["naive_n"] else "—"),
    ]
    targets = {"SQLite": 0.150, "PostgreSQL": 0.250}
    for label, fn in rows:
        if label == "p95 target":
            cells = [f"≤ {ms(targets[n])}: {'met' if results[n]['p95'] <= targets[n] else 'MISSED'}" for n in names]
        else:
            cells = [str(fn(results[n])) for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\n### Optimiser vs PuLP/CBC ({args.ip_instances} random instances)\n\n{ip_table.strip()}")


if __name__ == "__main__":
    sys.exit(main())
