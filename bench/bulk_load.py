"""Bulk-load a synthetic workspace for the shortlist benchmark (bench/shortlist.py).

The population is the demo one (influence/demo_population.py), and every derived row,
the creator_terms index with its scores, is computed by the same functions the write
path uses (storage/creator_index.term_rows). Only the writing differs: raw driver
executemany on SQLite with the index rows in primary-key order, COPY on PostgreSQL with
the index's keys built after the load. A million creators take a few minutes instead of
the ~hour that batch-by-batch upserts would.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from array import array
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Engine, text

from influencer_bot.influence.demo_population import generate_population
from influencer_bot.influence.flags import QualityRules
from influencer_bot.influence.tiers import TierThresholds
from influencer_bot.storage.creator_index import COLUMNS, term_rows
from influencer_bot.storage.creators import CreatorView

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
            self.cur.execute("DROP INDEX ix_creator_terms_creator")
            self.cur.execute("BEGIN")
        else:
            self.cur.execute("ALTER TABLE creator_terms DROP CONSTRAINT pk_creator_terms")
            self.cur.execute("DROP INDEX ix_creator_terms_creator")
            self.cur.execute("ALTER TABLE creator_terms DROP CONSTRAINT creator_terms_creator_id_fkey")

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
            self.cur.execute("ALTER TABLE creator_terms ADD CONSTRAINT pk_creator_terms "
                             "PRIMARY KEY (team_id, term, creator_id)")
            self.cur.execute("CREATE INDEX ix_creator_terms_creator ON creator_terms (creator_id)")
            self.cur.execute("ALTER TABLE creator_terms ADD CONSTRAINT creator_terms_creator_id_fkey FOREIGN KEY "
                             "(creator_id) REFERENCES creators (id) ON DELETE CASCADE")
            self.cur.execute("SELECT setval('creators_id_seq', (SELECT max(id) FROM creators))")
            self.cur.execute("SELECT setval('metric_snapshots_id_seq', (SELECT max(id) FROM metric_snapshots))")
            self.raw.commit()
            driver = self.raw.driver_connection
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
        else:
            self.cur.execute("CREATE INDEX ix_creator_terms_creator ON creator_terms (creator_id)")
            self.cur.execute("COMMIT")
            self.cur.execute("ANALYZE")
            self.cur.execute("PRAGMA journal_mode=WAL")
        self.raw.close()


def build(engines: list[Engine], team_id: str, n: int, seed: int = 7, batch: int = 20_000) -> dict[str, float]:
    """Write n demo creators into every engine's (migrated, empty) database; returns timings."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    thresholds, rules = TierThresholds(), QualityRules()
    writers = [Writer(e) for e in engines]
    for w in writers:
        w.write("workspaces", ("team_id", "name", "created_at"), [(team_id, "bench", now)])
    postings: dict[str, tuple[array, array]] = defaultdict(lambda: (array("i"), array("b")))
    payload: list[tuple[Any, ...]] = [()]  # by creator id
    creators: list[tuple] = []
    snaps: list[tuple] = []
    cid = 0
    for demo in generate_population(n, seed):
        cid += 1
        f = dict(demo.fields)
        platform = f.pop("platform").value  # type: ignore[attr-defined]
        metrics = {k: f[k] for k in SNAP_COLS[5:]}
        for k in SNAP_COLS[7:]:
            del f[k]
        c = SimpleNamespace(id=cid, platform=platform, **f, latest_metrics_id=cid)
        snap = SimpleNamespace(**metrics)
        history = [(now - timedelta(days=e.days_ago), e.followers) for e in demo.history] + [(now, f["followers"])]
        rows = term_rows(team_id, CreatorView(c, snap), history, thresholds, rules)  # type: ignore[arg-type]
        payload.append(rows[0][4:] if rows else ())
        for _, term, _, weight, *_ in rows:
            ids, weights = postings[term]
            ids.append(cid)
            weights.append(weight)
        creators.append((cid, team_id, platform, f["handle"], f["display_name"], f["followers"], f["following"],
                         f["posts_total"], f["country"], f["language"], f["bio"], f["email"],
                         f["quoted_price_cents"], f["topics"], f["category"], cid, now, now))
        snaps.append((cid, team_id, cid, now, "bench", *metrics.values()))
        if len(creators) >= batch:
            _flush(writers, creators, snaps)
    _flush(writers, creators, snaps)
    generated = time.perf_counter() - started
    terms = 0
    for term in sorted(postings):
        ids, weights = postings.pop(term)
        rows = [(team_id, term, i, w, *payload[i]) for i, w in zip(ids, weights)]
        terms += len(rows)
        for w in writers:
            w.write("creator_terms", COLUMNS, rows)
    loaded = time.perf_counter() - started
    for w in writers:
        w.finish()
    total = time.perf_counter() - started
    print(f"loaded {n:,} creators, {terms:,} index rows in {total:.0f}s "
          f"(generate and creators {generated:.0f}s, index rows {loaded - generated:.0f}s, keys and analyze "
          f"{total - loaded:.0f}s)", file=sys.stderr)
    return {"creators": n, "index_rows": terms, "seconds": total}


def _flush(writers: list[Writer], creators: list[tuple], snaps: list[tuple]) -> None:
    for w in writers:
        w.write("creators", CREATOR_COLS, creators)
        w.write("metric_snapshots", SNAP_COLS, snaps)
    creators.clear()
    snaps.clear()


def count(engine: Engine, team_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM creators WHERE team_id = :t"), {"t": team_id}).scalar_one()
