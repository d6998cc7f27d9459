"""Benchmark: YouTube sync of 10,000 channels and 50,000 videos against the local Data API stand-in.

    python bench/sync.py [--channels 10000] [--videos-per-channel 5] [--latency-ms 50]
                         [--naive-sample 500] [--workers 8] [--posted-share 0.14]

The stand-in (bot/local/platforms/youtube.py) runs in a child process with `--latency-ms` per call,
seeded with varied channels (log-uniform subscribers, ~3% hidden, multilingual titles, hidden
likes, disabled comments). The creators already have their channel ids (a previous sync or a
`youtube.com/channel/UC…` import stored them). Every path spends through the real quota ledger
(storage/sync/quota.py, on SQLite) and one unit per call, Google's cost.

- ours, cold: `YouTubeClient.fetch_profiles` with an empty cache: channels.list by id (50 a call),
  each channel's public feed for its 5 latest upload ids (the stand-in's copy, same latency, no
  quota units), videos.list (50 ids a call), on a thread pool of `--workers`.
- ours, next run: the same client cache (a long-lived scheduler process), after `--posted-share` of
  the channels uploaded a video (default 1/7: creators posting weekly, synced daily): channels.list
  revalidated by ETag (304s still cost a unit), feeds read again only where the video count
  moved, videos.list for every recent video's numbers.
- naive: per creator, sequentially: channels.list forHandle, playlistItems.list, then one
  videos.list per video (7 calls, no search.list). Run on `--naive-sample` creators and
  extrapolated linearly to all, which the table says.
Calls count every request the stand-in served, feed included; units are the ledger's.
Peak memory is this process's VmHWM (the stand-in's own memory is the child's). Prints Markdown.
Targets: ours >= 20x faster than naive, <= 1/40 of its quota units, <= 300 MB.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from shortlist import peak_rss_mb  # noqa: E402

from influencer_bot.storage.db import make_engine, make_session_factory  # noqa: E402
from influencer_bot.storage.migrate import upgrade  # noqa: E402
from influencer_bot.storage.sync.fetched import CreatorRef, FetchedProfile  # noqa: E402
from influencer_bot.storage.sync.http import HttpPolicy, make_client  # noqa: E402
from influencer_bot.storage.sync.quota import QuotaLedger  # noqa: E402
from influencer_bot.storage.sync.youtube import CHANNEL_PARTS, VIDEO_PARTS, YouTubeCache, YouTubeClient  # noqa: E402
from influencer_bot.storage.sync.youtube_feed import open_feed  # noqa: E402

KEY = "bench-youtube-key"
TITLES = ("Vegan meal prep", "Trail running vlog", "Mechanical keyboard build", "京都の朝ごはん", "Rezept: Linsen-Dal",
          "Receta fácil de arepas", "Skincare routine ✨", "Budget travel Lisbon", "Indie game devlog #12",
          "وصفة الفلافل", "Latte art basics", "Thrift haul 🛍️")


def channel_id(n: int) -> str:
    return f"UC{n:022d}"


def serve(conn, channels: int, per_channel: int, latency_s: float, seed: int) -> None:  # the child process
    from influencer_bot.bot.local.platforms.youtube import YouTubeStandIn

    rng = random.Random(seed)
    api = YouTubeStandIn(api_key=KEY, latency_s=latency_s)
    for n in range(channels):
        cid = channel_id(n)
        api.add_channel(cid, f"creator_{n}", f"{rng.choice(TITLES).split()[0]} {n}",
                        subscribers=int(math.exp(rng.uniform(math.log(800), math.log(5e6)))),
                        hidden_subscribers=rng.random() < 0.03, country=rng.choice([None, "DE", "US", "JP", "BR"]))
        for k in range(per_channel):
            views = int(math.exp(rng.uniform(math.log(200), math.log(2e6))))
            api.add_video(cid, f"{n:07d}{k:04d}", f"2024-05-{k + 1:02d}T12:00:00Z", rng.choice(TITLES),
                          description="#ad thanks to our sponsor" if rng.random() < 0.1 else "",
                          views=views, likes=None if rng.random() < 0.05 else views // 25,
                          comments=None if rng.random() < 0.03 else views // 400)
    api.start()
    conn.send((api.url, api.feed_url))
    while (command := conn.recv()) != "stop":
        if command == "calls":
            conn.send(api.quota_used + api.feed_calls)
        elif isinstance(command, tuple) and command[0] == "post":  # ("post", share): new uploads
            picked = random.Random(seed + 1).sample(range(channels), int(channels * command[1]))
            for n in picked:
                api.add_video(channel_id(n), f"{n:07d}new1", "2024-06-01T12:00:00Z", "New upload", views=10)
            conn.send(len(picked))
    api.stop()


def ledger(tmp: Path, name: str) -> QuotaLedger:
    engine = make_engine(f"sqlite:///{tmp / name}.db")
    upgrade(engine)
    return QuotaLedger(make_session_factory(engine), "youtube", KEY, 100_000_000)


def run_ours(url: str, feed_url: str, quota: QuotaLedger, refs: list[CreatorRef], workers: int,
             cache: YouTubeCache) -> int:
    policy = HttpPolicy(timeout_s=30)
    with make_client(url, policy) as http, open_feed(feed_url, policy) as feed:
        client = YouTubeClient(KEY, http, quota, recent_videos=5, workers=workers, cache=cache, feed=feed)
        complete = sum(isinstance(p, FetchedProfile) and len(p.recent_posts) >= 5
                       for _, p in client.fetch_profiles(refs))
    print(f"  feed fallbacks to playlistItems.list: {client.feed_fallbacks}", file=sys.stderr)
    return complete


def run_naive(url: str, quota: QuotaLedger, handles: list[str]) -> int:
    http = make_client(url, HttpPolicy(timeout_s=30))
    headers = {"X-Goog-Api-Key": KEY}
    complete = 0
    for handle in handles:
        quota.spend(1)
        channel = http.get("channels", params={"part": CHANNEL_PARTS, "forHandle": "@" + handle},
                           headers=headers).json()["items"][0]
        quota.spend(1)
        uploads = http.get("playlistItems", params={
            "part": "contentDetails", "maxResults": "5",
            "playlistId": channel["contentDetails"]["relatedPlaylists"]["uploads"]}, headers=headers).json()
        videos = []
        for item in uploads["items"]:
            quota.spend(1)
            videos += http.get("videos", params={"part": VIDEO_PARTS, "id": item["contentDetails"]["videoId"]},
                               headers=headers).json()["items"]
        complete += len(videos) >= 5
    return complete


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--channels", type=int, default=10_000)
    ap.add_argument("--videos-per-channel", type=int, default=5)
    ap.add_argument("--latency-ms", type=float, default=50.0)
    ap.add_argument("--naive-sample", type=int, default=500)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--posted-share", type=float, default=1 / 7)
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()
    ctx = multiprocessing.get_context("spawn")
    conn, child_conn = ctx.Pipe()
    t0 = time.perf_counter()
    child = ctx.Process(target=serve, args=(child_conn, args.channels, args.videos_per_channel,
                                            args.latency_ms / 1000, args.seed), daemon=True)
    child.start()
    url, feed_url = conn.recv()
    print(f"stand-in seeded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    refs = [CreatorRef(n, f"creator_{n}", channel_id(n)) for n in range(args.channels)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = YouTubeCache()

        def served() -> int:
            conn.send("calls")
            return conn.recv()

        def measure(label: str, run, quota: QuotaLedger, creators: int, scale: float = 1.0) -> None:
            calls0 = served()
            t = time.perf_counter()
            complete = run(quota)
            wall = time.perf_counter() - t
            calls = served() - calls0
            units = quota.daily_limit - quota.units_left()
            rows.append((label, creators, complete, calls * scale, units * scale, wall * scale, peak_rss_mb()))
            print(f"{label}: {wall:.1f} s, {calls} calls, {units} units", file=sys.stderr)

        measure(f"ours, cold ({args.workers} threads)",
                lambda q: run_ours(url, feed_url, q, refs, args.workers, cache), ledger(Path(tmp), "cold"),
                len(refs))
        conn.send(("post", args.posted_share))
        posted = conn.recv()
        measure(f"ours, next run ({posted:,} channels posted since)",
                lambda q: run_ours(url, feed_url, q, refs, args.workers, cache), ledger(Path(tmp), "warm"),
                len(refs))
        sample = [r.handle for r in random.Random(args.seed).sample(refs, min(args.naive_sample, len(refs)))]
        scale = len(refs) / len(sample)
        measure(f"naive, sequential (measured on {len(sample):,}, x{scale:g})",
                lambda q: run_naive(url, q, sample), ledger(Path(tmp), "naive"), len(sample), scale)
    conn.send("stop")
    child.join(timeout=30)
    report(args, rows)
    return 0


def report(args: argparse.Namespace, rows: list[tuple]) -> None:
    print(f"\n### YouTube sync, {args.channels:,} channels, {args.channels * args.videos_per_channel:,} videos, "
          f"{args.latency_ms:g} ms per call\n")
    print("| path | creators complete | calls | quota units | wall time | peak memory |\n|---|---|---|---|---|---|")
    for label, creators, complete, calls, units, wall, peak in rows:
        print(f"| {label} | {complete:,} of {creators:,} | {calls:,.0f} | {units:,.0f} | {wall:,.1f} s | {peak:.0f} MB |")
    naive = rows[-1]
    print("\n| ours vs naive | speed-up (target >= 20x) | quota units (target <= 1/40) |\n|---|---|---|")
    for label, _, _, _, units, wall, _ in rows[:-1]:
        print(f"| {label} | {naive[5] / wall:.1f}x | 1/{naive[4] / units:.1f} |")


if __name__ == "__main__":
    raise SystemExit(main())
