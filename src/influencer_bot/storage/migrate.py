"""Schema migrations (Alembic), run from code so no alembic.ini is needed in production.

SQLite databases are brought up to date on start; a PostgreSQL database is migrated on
start only when it is empty, because several replicas may share it: otherwise the
operator runs `influencer-bot db upgrade` once, and a stale schema is a clear error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


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
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if MigrationContext.configure(conn).get_current_revision() == head_revision(engine):
            for step in cfg.attributes.get("after_upgrade", {}).values():
                step(conn)


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
