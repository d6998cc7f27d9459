"""Load: the real `influencer-bot run` (HTTP mode, loopback) under bursts of signed Slack requests.

    python bench/load.py [--creators 20000] [--burst 200] [--total 1000] [--concurrency 50]
                         [--no-postgres] [--baseline-ref 035054f]

For each database (SQLite, and PostgreSQL in a throwaway cluster via tests/pg_server.py) it loads
`demo-data --creators N`, starts `influencer-bot run --no-scheduler` against the Slack Web API
stand-in (bot/local/web_api.py) in this process, and sends requests signed as Slack signs them:

- burst: `--burst` finds at once (a barrier releases them together), while one client sends
  `help` again and again until the burst's shortlists are all posted;
- steady: `--total` finds from `--concurrency` clients, each sending its next find once its last
  one's shortlist is posted (or it was told the bot is busy).

Each find has its own channel, so its completion is the first chat.postMessage (or response_url
reply) the stand-in sees for it; a second post to a channel is a duplicate. Ack times are measured
by the client, POST to HTTP answer; completion times from the POST to the stand-in's receipt.
With `--baseline-ref`, the same runs are made with that commit's code (a git worktree on
PYTHONPATH, its own database) for a column to compare. Prints Markdown.
Targets: burst 200/200 acks within 3 s, ack p99 ≤ 500 ms, help p99 ≤ 300 ms, every shortlist
posted exactly once; steady 100% of acks within 3 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "tests")]

from influencer_bot.bot.local.bot_process import BotProcess, cli  # noqa: E402
from influencer_bot.bot.local.signing import slash_command_body  # noqa: E402
from influencer_bot.bot.local.web_api import LocalSlack  # noqa: E402

TEAM = "T0LOAD"
NICHES = ("vegan baking", "fitness", "skincare", "gaming", "travel", "coffee", "hiking", "personal finance",
          "sustainable fashion", "parenting", "mechanical keyboards", "food")
SLACK_PATIENCE_S = 3.0


class WatchedSlack(LocalSlack):
    """The stand-in, also noting when each request's first answer (a post or a reply) arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, float] = {}
        self.posts: Counter[str] = Counter()
        self.replies: dict[str, list[str]] = defaultdict(list)
        self.events: dict[str, threading.Event] = defaultdict(threading.Event)
        self._reply_key: dict[str, str] = {}

    def response_url_for(self, key: str) -> str:
        url = self.new_response_url(channel=key, user="U" + key[1:])
        self._reply_key[url.rsplit("/", 1)[1]] = key
        return url

    def _handle(self, method, params, headers):  # type: ignore[no-untyped-def]
        answer = super()._handle(method, params, headers)
        key = params.get("channel") if method == "chat.postMessage" else (
            self._reply_key.get(params.get("response_url_id", "")) if method == "response_url" else None)
        if key:
            with self._cond:
                if method == "chat.postMessage":
                    self.posts[key] += 1
                else:
                    self.replies[key].append(str(params.get("text", "")))
                self.first.setdefault(key, time.perf_counter())
            self.events[key].set()
        return answer


@dataclass
class Runs:
    acks: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)
    late: int = 0
    busy: int = 0
    errors: int = 0
    unanswered: int = 0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def one_find(bot: BotProcess, slack: WatchedSlack, n: int, runs: Runs, lock: threading.Lock,
             wait_s: float = 600) -> None:
    key = f"C{n:06d}"
    body = slash_command_body(team_id=TEAM, user_id="U" + key[1:], channel_id=key,
                              text=f"find {NICHES[n % len(NICHES)]} {1000 + 500 * (n % 9)}",
                              response_url=slack.response_url_for(key))
    started = time.perf_counter()
    try:
        answer = bot.post(body)
    except httpx.HTTPError:
        with lock:
            runs.errors += 1
        return
    ack = time.perf_counter() - started
    busy = answer.status_code == 200 and "busy" in answer.text
    done = None if busy or answer.status_code != 200 else (
        slack.first[key] - started if slack.events[key].wait(wait_s) else None)
    apology = any("something went wrong" in r for r in slack.replies.get(key, []))
    with lock:
        runs.acks.append(ack)
        runs.late += ack > SLACK_PATIENCE_S
        runs.busy += busy
        runs.errors += answer.status_code != 200 or apology
        if done is not None:
            runs.done.append(done)
        elif not busy and answer.status_code == 200:
            runs.unanswered += 1


def burst(bot: BotProcess, slack: WatchedSlack, n: int) -> tuple[Runs, list[float]]:
    runs, lock, helps = Runs(), threading.Lock(), []
    gate, finished = threading.Barrier(n + 1), threading.Event()

    def find(i: int) -> None:
        gate.wait()
        one_find(bot, slack, i, runs, lock)

    def ask_help() -> None:
        gate.wait()
        for i in range(10_000):  # bounded; ends when the burst is done
            if finished.is_set():
                return
            body = slash_command_body(team_id=TEAM, user_id="UHELP", channel_id="CHELP", text="help",
                                      response_url=slack.response_url_for(f"H{i:06d}"))
            started = time.perf_counter()
            bot.post(body)
            helps.append(time.perf_counter() - started)
            finished.wait(0.05)

    with ThreadPoolExecutor(n + 1) as pool:
        futures = [pool.submit(find, i) for i in range(n)] + [pool.submit(ask_help)]
        for f in futures[:-1]:
            f.result()
        finished.set()
        futures[-1].result()
    return runs, helps


def steady(bot: BotProcess, slack: WatchedSlack, total: int, concurrency: int, first: int) -> Runs:
    runs, lock = Runs(), threading.Lock()
    with ThreadPoolExecutor(concurrency) as pool:
        for f in [pool.submit(lambda c=c: [one_find(bot, slack, first + i, runs, lock)
                                           for i in range(c, total, concurrency)]) for c in range(concurrency)]:
            f.result()
    return runs


def measure(label: str, database_url: str, args: argparse.Namespace, tmp: Path, pythonpath: str | None) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, **({"PYTHONPATH": pythonpath} if pythonpath else {})}
    print(f"[{label}] loading {args.creators:,} demo creators…", file=sys.stderr)
    cli("demo-data", "--creators", str(args.creators), "--workspace", TEAM, env=env, timeout=3600)
    with WatchedSlack() as slack:
        bot = BotProcess(database_url, slack.api_url, log_path=tmp / f"{label.replace(' ', '_')}.log",
                         pythonpath=pythonpath).start()
        try:
            print(f"[{label}] burst of {args.burst}…", file=sys.stderr)
            b, helps = burst(bot, slack, args.burst)
            print(f"[{label}] {args.total} at {args.concurrency}…", file=sys.stderr)
            s = steady(bot, slack, args.total, args.concurrency, first=100_000)
        finally:
            bot.stop()
        dup = sum(1 for count in slack.posts.values() if count > 1)
    return {"label": label, "burst": b, "helps": helps, "steady": s, "dup": dup, "n": args.burst}


def ms(v: float) -> str:
    return f"{v * 1000:,.0f}"


def report(rows: list[dict], args: argparse.Namespace) -> None:
    print(f"\n{args.creators:,} creators; burst of {args.burst} finds with `help` during it; "
          f"{args.total} finds at {args.concurrency} concurrency. Times in ms.\n")
    print("| run | burst acks ≤ 3 s | ack p50 / p95 / p99 | help p99 | posted p50 / p95 / max | "
          "posted once | busy | errors | steady acks ≤ 3 s | steady ack p99 | steady posted p50 / p95 | "
          "duplicates |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b, s = r["burst"], r["steady"]
        within = len(b.acks) - b.late
        once = len(b.done)
        s_within = 100 * (len(s.acks) - s.late) / max(1, len(s.acks))
        print(f"| {r['label']} | {within}/{r['n']} | {ms(pct(b.acks, 50))} / {ms(pct(b.acks, 95))} / "
              f"{ms(pct(b.acks, 99))} | {ms(pct(r['helps'], 99))} | {ms(pct(b.done, 50))} / {ms(pct(b.done, 95))} / "
              f"{ms(max(b.done, default=float('nan')))} | {once}/{r['n']} | {b.busy} | {b.errors + s.errors} | "
              f"{s_within:.1f}% | {ms(pct(s.acks, 99))} | {ms(pct(s.done, 50))} / {ms(pct(s.done, 95))} | "
              f"{r['dup']} |")


def baseline_source(ref: str, tmp: Path) -> str:
    where = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), ref], check=True,
                   capture_output=True)
    return str(where / "src")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--creators", type=int, default=20_000)
    p.add_argument("--burst", type=int, default=200)
    p.add_argument("--total", type=int, default=1_000)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--no-postgres", action="store_true")
    p.add_argument("--baseline-ref", help="also run this commit's code (e.g. 035054f) for comparison")
    args = p.parse_args(argv)
    codes: list[tuple[str, str | None]] = [("this branch", None)]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="load-bench-") as name:
        tmp = Path(name)
        os.chmod(tmp, 0o755)
        if args.baseline_ref:
            codes.append((f"baseline {args.baseline_ref}", baseline_source(args.baseline_ref, tmp)))
        try:
            for code, path in codes:
                rows.append(measure(f"SQLite, {code}", f"sqlite:///{tmp}/{len(rows)}.db", args, tmp, path))
            if not args.no_postgres:
                rows += postgres_rows(codes, args, tmp)
        finally:
            if args.baseline_ref:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "baseline")],
                               capture_output=True)
    report(rows, args)
    return 0


def postgres_rows(codes: list[tuple[str, str | None]], args: argparse.Namespace, tmp: Path) -> list[dict]:
    import pg_server

    try:
        server = pg_server.start()
    except pg_server.PostgresUnavailable as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return []
    try:
        return [measure(f"PostgreSQL, {code}", pg_server.fresh_database(server.url), args, tmp, path)
                for code, path in codes]
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
