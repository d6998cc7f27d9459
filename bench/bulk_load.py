"""Bulk-load a synthetic workspace for the shortlist benchmark (bench/shortlist.py).

The population is the demo one (storage/demo/population.py), and every derived row,
the niche index's postings and score columns, is computed by the same function the write
path uses (storage/creator_index.index_entry) and encoded by search_index's own encoders.
Only the writing differs: raw driver executemany on SQLite, COPY on PostgreSQL, and each
blob written once instead of re-encoded batch by batch. A million creators take a few
minutes instead of the hours that batch-by-batch upserts would.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from array import array
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import numpy as np
from pyroaring import BitMap
from sqlalchemy import Engine, text

from influencer_bot.storage.demo.population import generate_population
from influencer_bot.influence.flags import QualityRules
from influencer_bot.influence.tiers import TierThresholds
from influencer_bot.storage.search import index as search_index
from influencer_bot.storage.search.indexer import index_entry
from influencer_bot.storage.creators.views import CreatorView

CREATOR_COLS = ("id", "team_id", "platform", "handle", "display_name", "followers", "following", "posts_total",
                "country", "language", "bio", "email", "quoted_price_cents", "topics", "category",
                "latest_metrics_id", "created_at", "updated_at")
SNAP_COLS = ("id", "team_id", "creator_id", "captured_at", "source", "followers", "following", "avg_likes",
             "avg_comments", "avg_shares", "avg_saves", "avg_views", "posts_sampled", "reported_rate_pct")


class Writer:
    """Rows to one database: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        engine.dispose()
        if self.pg:
            self.raw = engine.raw_connection()
        else:  # the driver itself: no pool, WAL off for the load (set back after)
            self.raw = sqlite3.connect(engine.url.database, isolation_level=None)
        self.cur = self.raw.cursor()
        if not self.pg:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-400000"):
                self.cur.execute(f"PRAGMA {pragma}")
            self.cur.execute("BEGIN")

    def write(self, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
        if self.pg:
            with self.cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 rows)

    def finish(self) -> None:
        if self.pg:
            self.cur.execute("SELECT setval('creators_id_seq', (SELECT max(id) FROM creators))")
            self.cur.execute("SELECT setval('metric_snapshots_id_seq', (SELECT max(id) FROM metric_snapshots))")
            self.raw.commit()
            driver = self.raw.driver_connection
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
        else:
            self.cur.execute("COMMIT")
            self.cur.execute("ANALYZE")
            self.cur.execute("PRAGMA journal_mode=WAL")
        self.raw.close()


# Snapshot columns the demo population does not measure (export- and sync-only figures): the
# stand-in snapshot below must still carry them, as None, because CreatorView.facts reads them.
UNMEASURED = ("rate_window_days", "avg_engagements", "avg_authentic_engagements", "posts_per_week", "sponsored_share")


def build(engines: list[Engine], team_id: str, n: int, seed: int = 7, batch: int = 20_000) -> dict[str, float]:
    """Write n demo creators into every engine's (migrated, empty) database; returns timings."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    thresholds, rules = TierThresholds(), QualityRules()
    writers = [Writer(e) for e in engines]
    for w in writers:
        w.write("workspaces", ("team_id", "name", "created_at"), [(team_id, "bench", now)])
    postings: dict[tuple[str, int, int], array] = defaultdict(lambda: array("I"))  # (key, chunk) -> ids
    scores: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))  # chunk -> column -> values
    creators: list[tuple] = []
    snaps: list[tuple] = []
    indexed: list[tuple] = []
    cid = 0
    for demo in generate_population(n, seed):
        cid += 1
        f = dict(demo.fields)
        platform = f.pop("platform").value  # type: ignore[attr-defined]
        metrics = {k: f[k] for k in SNAP_COLS[5:]}
        for k in SNAP_COLS[7:]:
            del f[k]
        c = SimpleNamespace(id=cid, platform=platform, **f, latest_metrics_id=cid)
        snap = SimpleNamespace(**{**dict.fromkeys(UNMEASURED), **metrics})
        history = [(now - timedelta(days=e.days_ago), e.followers) for e in demo.history] + [(now, f["followers"])]
        entry = index_entry(CreatorView(c, snap), history, thresholds, rules)  # type: ignore[arg-type]
        if entry is not None:
            chunk = cid >> search_index.CHUNK_BITS
            for term, weight in entry.terms.items():
                postings[(search_index.posting_key(term, weight), chunk)].append(cid)
            cols = scores[chunk]
            cols["ids"].append(cid)
            for name, value in entry.values().items():
                cols[name].append(value)
            indexed.append((cid, team_id, search_index.format_terms(entry.terms)))
        creators.append((cid, team_id, platform, f["handle"], f["display_name"], f["followers"], f["following"],
                         f["posts_total"], f["country"], f["language"], f["bio"], f["email"],
                         f["quoted_price_cents"], f["topics"], f["category"], cid, now, now))
        snaps.append((cid, team_id, cid, now, "bench", *metrics.values()))
        if len(creators) >= batch:
            _flush(writers, creators, snaps)
    _flush(writers, creators, snaps)
    generated = time.perf_counter() - started
    for w in writers:
        w.write("search_terms", ("creator_id", "team_id", "terms"), indexed)
    blobs = []
    for (key, chunk), ids in sorted(postings.items()):
        bits = BitMap(ids)
        bits.run_optimize()
        blobs.append((team_id, key, chunk, len(bits), bits.serialize()))
    memberships = sum(len(ids) for ids in postings.values())
    postings.clear()
    for chunk, cols in sorted(scores.items()):
        for name, dtype in search_index.COLUMNS.items():
            blobs.append((team_id, search_index.column_key(name), chunk, len(cols["ids"]),
                          np.asarray(cols[name], dtype=dtype).tobytes()))
    for start in range(0, len(blobs), 1_000):
        for w in writers:
            w.write("search_index", ("team_id", "key", "chunk", "n", "data"), blobs[start:start + 1_000])
    loaded = time.perf_counter() - started
    for w in writers:
        w.finish()
    total = time.perf_counter() - started
    print(f"loaded {n:,} creators, {memberships:,} term memberships in {total:.0f}s "
          f"(generate and creators {generated:.0f}s, index {loaded - generated:.0f}s, analyze "
          f"{total - loaded:.0f}s)", file=sys.stderr)
    return {"creators": n, "index_rows": memberships, "seconds": total}


def _flush(writers: list[Writer], creators: list[tuple], snaps: list[tuple]) -> None:
    for w in writers:
        w.write("creators", CREATOR_COLS, creators)
        w.write("metric_snapshots", SNAP_COLS, snaps)
    creators.clear()
    snaps.clear()


def count(engine: Engine, team_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM creators WHERE team_id = :t"), {"t": team_id}).scalar_one()
