"""`influencer-bot db upgrade` as a deploy runs it: several replicas at once, on a database that already
holds data at an older revision. Real processes, real PostgreSQL (and SQLite); no sleeps."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

import pg_server
from conftest import TEAM
from processes import start_bot
from influencer_bot.storage.db import make_engine
from influencer_bot.storage.migrate import MIGRATION_LOCK_KEY, current_revision, head_revision, upgrade

OLD = "0004_digest_scope_unique"
REPLICAS = 2


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    url = pg_server.fresh_database(request.getfixturevalue("pg_template_url"))
    yield url
    pg_server.drop_database(url)


def _db_upgrade(url: str, cwd: Path) -> subprocess.Popen[str]:
    return start_bot(["db", "upgrade"], cwd, DATABASE_URL=url)


def _old_database_with_a_creator(url: str) -> None:
    """The schema of an older release, holding a workspace and a creator (raw SQL: the models are newer)."""
    engine = make_engine(url)
    upgrade(engine, OLD)
    rows = {"t": TEAM, "now": datetime.now(UTC)}
    statements = [
        "INSERT INTO workspaces (team_id, name, created_at) VALUES (:t, 'old', :now)",
        "INSERT INTO creators (id, team_id, platform, handle, followers, following, topics, quoted_price_cents, "
        "created_at, updated_at) VALUES (1, :t, 'instagram', 'crème_brûlée_ça', 20000, 300, '#veganbaking', "
        "50000, :now, :now)",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), rows)
    engine.dispose()


def test_replicas_upgrading_an_old_database_at_once_all_succeed_and_migrate_it_once(empty_db, tmp_path):
    _old_database_with_a_creator(empty_db)
    procs = [_db_upgrade(empty_db, tmp_path) for _ in range(REPLICAS)]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    engine = make_engine(empty_db)
    head = head_revision(engine)
    for proc, out in zip(procs, outputs):
        assert proc.returncode == 0, out
        assert f"schema revision {head} (latest {head})" in out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
        assert conn.execute(text("SELECT handle FROM creators WHERE team_id = :t"), {"t": TEAM}).scalars().all() \
            == ["crème_brûlée_ça"]
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_waits_for_the_documented_advisory_lock(pg_template_url, tmp_path):
    """Another migrator holds MIGRATION_LOCK_KEY: `db upgrade` waits on it (seen in pg_locks) instead of
    migrating alongside, and finishes once the lock is released."""
    url = pg_server.fresh_database(pg_template_url)
    engine = make_engine(url)
    try:
        holder = engine.connect()
        holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        proc = _db_upgrade(url, tmp_path)
        waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                       "AND classid::bigint = :hi AND objid::bigint = :lo AND objsubid = 1")
        key = {"hi": MIGRATION_LOCK_KEY >> 32, "lo": MIGRATION_LOCK_KEY & 0xFFFFFFFF}
        deadline = time.monotonic() + 120
        with engine.connect() as observer:
            while observer.execute(waiting, key).scalar_one() == 0:
                assert proc.poll() is None, f"it did not wait for the lock: {proc.communicate()[0]}"
                assert time.monotonic() < deadline, "db upgrade never waited on the advisory lock"
                threading.Event().wait(0.05)  # a poll interval
        assert current_revision(engine) is None, "it migrated while another migrator held the lock"
        holder.rollback()
        holder.close()
        out = proc.communicate(timeout=120)[0]
        assert proc.returncode == 0, out
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()
        pg_server.drop_database(url)
