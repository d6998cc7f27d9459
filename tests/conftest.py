"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL is a throwaway cluster started once per session (tests/pg_server.py); each
test gets its own database cloned from a migrated template, so tests never see each
other's rows and never pay for migrations twice.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).parent))
# the same answers where the semantic extra is installed as in CI (which has only .[test]); the tests of
# semantic matching turn it on themselves (tests/storage/test_semantic_matching.py)
os.environ.setdefault("SEMANTIC_MATCHING", "off")
import pg_server  # noqa: E402

from influencer_bot.bot.local.driver import LocalDriver  # noqa: E402
from influencer_bot.bot.local.web_api import LocalSlack  # noqa: E402
from influencer_bot.handlers.services import Services  # noqa: E402
from influencer_bot.storage.db import make_engine, make_session_factory  # noqa: E402
from influencer_bot.storage.migrate import upgrade  # noqa: E402

TEAM = "T0TEST"
OTHER_TEAM = "T0OTHER"


@pytest.fixture(scope="session")
def pg_template_url() -> Iterator[str]:
    """A migrated template database on a private PostgreSQL server."""
    server = pg_server.start_or_skip()
    try:
        template = server.url.rsplit("/", 1)[0] + "/influencer_template"
        with _admin(server.url) as conn:
            conn.execute(text("CREATE DATABASE influencer_template TEMPLATE template0"))
        engine = make_engine(template)
        upgrade(engine)
        engine.dispose()
        yield template
    finally:
        server.stop()


class _admin:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.conn = self.engine.connect()
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()
        self.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'influencer.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    template = request.getfixturevalue("pg_template_url")
    name = f"influencer_t_{secrets.token_hex(6)}"
    with _admin(template) as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE influencer_template'))
    yield str(make_url(template).set(database=name).render_as_string(hide_password=False))
    with _admin(template) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def services(session_factory: sessionmaker[Session]) -> Services:
    return Services(sessions=session_factory)


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as local:
        yield local


@pytest.fixture
def driver(services: Services, slack: LocalSlack) -> Iterator[LocalDriver]:
    with LocalDriver(services, team_id=TEAM, slack=slack) as d:
        yield d
