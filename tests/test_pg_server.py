"""Tests for the throwaway-PostgreSQL harness in tests/pg_server.py.

These start their own real server (independent of any conftest fixture) so
that start(), stop() and the database helpers are exercised end to end.
"""

from __future__ import annotations

import os
import socket
import stat

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

try:
    import pg_server
except ImportError:  # tests/ turned into a package
    from tests import pg_server


@pytest.fixture(scope="module")
def server():
    srv = pg_server.start_or_skip()
    try:
        yield srv
    finally:
        srv.stop()


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _table_names(url: str) -> set[str]:
    engine = _engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_url_shape(server):
    u = make_url(server.url)
    assert u.drivername == "postgresql+psycopg"
    assert u.database == pg_server.TEST_DB
    if server.owned:
        assert u.host == "127.0.0.1"
        assert u.port == server.port


@pytest.mark.postgres
def test_version_and_roundtrip(server):
    engine = _engine(server.url)
    try:
        with engine.begin() as conn:
            version = conn.execute(sa.text("select version()")).scalar_one()
            assert version.startswith("PostgreSQL ")
            assert conn.execute(sa.text("select current_database()")).scalar_one() == pg_server.TEST_DB
            conn.execute(sa.text("create table pg_server_roundtrip (id serial primary key, handle text not null)"))
            conn.execute(
                sa.text("insert into pg_server_roundtrip (handle) values (:h)"),
                [{"h": "@alice"}, {"h": "@bób"}],
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select id, handle from pg_server_roundtrip order by id")).all()
        assert [tuple(r) for r in rows] == [(1, "@alice"), (2, "@bób")]
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("drop table if exists pg_server_roundtrip"))
        engine.dispose()


@pytest.mark.postgres
def test_speed_settings(server):
    if not server.owned:
        pytest.skip("external server: its settings are not ours")
    engine = _engine(server.url)
    try:
        with engine.connect() as conn:
            settings = {
                name: conn.execute(sa.text(f"show {name}")).scalar_one()
                for name in ("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")
            }
    finally:
        engine.dispose()
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "listen_addresses": "127.0.0.1",
    }


@pytest.mark.postgres
def test_fresh_databases_are_isolated(server):
    a = pg_server.fresh_database(server.url)
    b = pg_server.fresh_database(server.url)
    try:
        assert make_url(a).database != make_url(b).database
        assert make_url(a).database.startswith(pg_server.FRESH_PREFIX)
        engine = _engine(a)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("create table only_in_a (x int)"))
                conn.execute(sa.text("insert into only_in_a values (42)"))
            with engine.connect() as conn:
                assert conn.execute(sa.text("select x from only_in_a")).scalar_one() == 42
        finally:
            engine.dispose()
        assert "only_in_a" in _table_names(a)
        assert "only_in_a" not in _table_names(b)
        assert "only_in_a" not in _table_names(server.url)
    finally:
        pg_server.drop_database(a)
        pg_server.drop_database(b)


@pytest.mark.postgres
def test_drop_database_removes_it_even_with_open_connection(server):
    url = pg_server.fresh_database(server.url)
    name = make_url(url).database
    engine = _engine(url)
    conn = engine.connect()  # left open on purpose: WITH (FORCE) must cope
    try:
        conn.execute(sa.text("select 1"))
        pg_server.drop_database(url)
    finally:
        try:
            conn.close()
        except sa.exc.DBAPIError:
            pass  # its backend was terminated by DROP ... WITH (FORCE)
        engine.dispose()
    admin = _engine(server.url)
    try:
        with admin.connect() as c:
            exists = c.execute(sa.text("select count(*) from pg_database where datname = :n"), {"n": name}).scalar_one()
    finally:
        admin.dispose()
    assert exists == 0


def test_drop_database_refuses_foreign_names():
    with pytest.raises(ValueError, match="refusing to drop"):
        pg_server.drop_database("postgresql+psycopg://postgres@127.0.0.1:1/influencer_test")


@pytest.mark.postgres
def test_stop_shuts_down_and_cleans_up():
    if os.environ.get(pg_server.ENV_URL):
        pytest.skip(f"{pg_server.ENV_URL} is set: no cluster of our own to stop")
    srv = pg_server.start_or_skip()
    try:
        base, port = srv.base_dir, srv.port
        assert srv.data_dir.is_dir()
        if os.geteuid() == 0:  # initdb can't run as root: cluster owned by postgres
            import pwd

            assert srv.data_dir.stat().st_uid == pwd.getpwnam("postgres").pw_uid
        assert stat.S_IMODE(srv.data_dir.stat().st_mode) in (0o700, 0o750)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        srv.stop()
    srv.stop()  # idempotent
    assert not base.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# ------------------------------------------------- missing-PostgreSQL policy


@pytest.fixture
def no_postgres(monkeypatch, tmp_path):
    """An environment in which no PostgreSQL binaries can be found."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.delenv(pg_server.ENV_URL, raising=False)
    monkeypatch.delenv(pg_server.ENV_BIN, raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(pg_server, "LIB_GLOB", str(tmp_path / "nope" / "*" / "bin"))
    assert pg_server.find_pg_bin() is None


def test_missing_postgres_skips_outside_ci(no_postgres, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL not available"):
        pg_server.start_or_skip()


def test_missing_postgres_fails_in_ci(no_postgres, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        pg_server.start_or_skip()


def test_invalid_pg_bin_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv(pg_server.ENV_URL, raising=False)
    monkeypatch.setenv(pg_server.ENV_BIN, str(tmp_path))
    with pytest.raises(pg_server.PostgresError, match=pg_server.ENV_BIN) as info:
        pg_server.start()
    assert not isinstance(info.value, pg_server.PostgresUnavailable)


def test_find_pg_bin_prefers_highest_lib_version(tmp_path):
    for ver in ("9.6", "13", "15"):
        d = tmp_path / ver / "bin"
        d.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl"):
            (d / tool).write_text("#!/bin/sh\n")
            (d / tool).chmod(0o755)
    found = pg_server.find_pg_bin(env={"PATH": ""}, lib_glob=str(tmp_path / "*" / "bin"))
    assert found == tmp_path / "15" / "bin"
