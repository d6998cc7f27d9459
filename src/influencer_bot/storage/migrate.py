"""Schema migrations (Alembic), run from code so no alembic.ini is needed in production.

`influencer-bot db upgrade` brings any database, empty or at an older revision, to head. Several
processes may run it at once (every replica of a deploy starting together): on PostgreSQL the whole
upgrade runs in one transaction that first takes the transaction-level advisory lock
MIGRATION_LOCK_KEY, so the others wait, then find the schema at head and do nothing; on SQLite the
transaction starts with BEGIN IMMEDIATE (storage/db.py), the file's write lock, with the same effect.

On start, SQLite databases are brought up to date, and so is an empty PostgreSQL one; a PostgreSQL
database at an older revision is left to `db upgrade` (the compose file's one-shot `migrate`
service), because replicas of the previous version may still be serving from it: a stale schema is
then a clear error, not a migration started by whichever replica came up first.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
# The pg_advisory_xact_lock key held while migrating: the ASCII bytes of "influenc" as a bigint.
# Documented (README, "Running in production") so that operators can see it in pg_locks.
MIGRATION_LOCK_KEY = 7_597_122_237_432_688_227  # == int.from_bytes(b"influenc", "big")


class SchemaOutOfDate(RuntimeError):
    pass


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head", *, scoring: Mapping[str, object] | None = None) -> None:
    """Upgrade in one transaction. Data steps that read rows through the ORM (which describes the
    head schema) are queued by their migration in `after_upgrade` and run here once the schema is
    at head; upgrading to an older revision skips them (`influencer-bot db rescore` does that work).
    `scoring` (thresholds=, rules=) is what those steps index creators with: the bot passes its settings."""
    cfg = _config(engine)
    cfg.attributes["scoring"] = dict(scoring or {})
    with engine.begin() as conn:
        _one_migrator_at_a_time(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if MigrationContext.configure(conn).get_current_revision() == head_revision(engine):
            for step in cfg.attributes.get("after_upgrade", {}).values():
                step(conn)


def _one_migrator_at_a_time(conn: Connection) -> None:
    """Wait for any other upgrade of this database to commit; Alembic then reads the revision it left.

    The lock is released with the transaction, so a killed migrator never leaves it held. A migration
    may take minutes on a big database: a statement timeout meant for requests does not apply to it."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL statement_timeout = 0"))
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def ensure_schema(engine: Engine, *, scoring: Mapping[str, object] | None = None) -> None:
    """Migrate SQLite or an empty database; refuse to run on a stale shared one."""
    current = current_revision(engine)
    if current == head_revision(engine):
        return
    if engine.dialect.name == "sqlite" or current is None:
        upgrade(engine, scoring=scoring)
        return
    raise SchemaOutOfDate(
        f"The database schema is at revision {current}, this version needs {head_revision(engine)}: "
        "run `influencer-bot db upgrade` once, then start again."
    )
