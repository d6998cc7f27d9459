"""Throwaway PostgreSQL server for the test suite.

Nothing in this suite mocks the database: tests that need PostgreSQL get a
real server.  This module starts one private cluster per test session (or
uses an existing server named by ``INFLUENCER_TEST_DATABASE_URL``) and hands
out SQLAlchemy URLs of the form ``postgresql+psycopg://...``.

API
---
``start() -> PgServer``
    Start a cluster (or wrap the external server) and return a handle:
    ``.url`` is the SQLAlchemy URL of the database ``influencer_test``;
    ``.stop()`` shuts the cluster down (``pg_ctl stop -m immediate``) and
    deletes its directory (idempotent; a no-op for an external server).
    Raises ``PostgresUnavailable`` when no PostgreSQL binaries are found,
    ``PostgresError`` when they exist but the server cannot be started.
``start_or_skip() -> PgServer``
    Like ``start()``, but for use inside pytest: missing binaries become
    ``pytest.skip(reason)``, except when the environment variable ``CI`` is
    ``"true"``, where they become ``pytest.fail(reason)`` (never a silent
    skip in CI).  Any other start-up failure is always an error.
``fresh_database(url) -> str``
    Create a uniquely named, empty database (from ``template0``) on the
    server of ``url`` and return its URL.  Use it for tests that need
    isolation from each other.
``drop_database(url) -> None``
    Drop a database made by ``fresh_database`` (``WITH (FORCE)``, so open
    connections do not block it).  Refuses names it did not create unless
    ``force=True``.
``find_pg_bin() -> Path | None``
    Directory holding ``initdb``/``pg_ctl``: ``$INFLUENCER_PG_BIN``, else
    ``PATH``, else the highest version under ``/usr/lib/postgresql/*/bin``.

How the cluster is run
----------------------
* Data directory inside a fresh temp dir; the server listens only on
  ``127.0.0.1`` at a free port (unix sockets are disabled, so nothing is
  written to ``/var/run/postgresql``); trust auth; superuser ``postgres``.
* ``fsync``, ``synchronous_commit`` and ``full_page_writes`` are off: the
  data is disposable.
* ``initdb`` refuses to run as root, so when running as root the temp dir is
  chowned to the ``postgres`` system user and ``initdb``/``pg_ctl`` run as
  that user.  As any other user they run as the current user.
* An ``atexit`` hook stops the cluster if ``stop()`` was never called.

Environment variables
---------------------
``INFLUENCER_TEST_DATABASE_URL``  use this server instead of starting one
    (``postgresql://`` / ``postgres://`` are rewritten to
    ``postgresql+psycopg://``); the database in it is used as-is.
``INFLUENCER_PG_BIN``  directory of the PostgreSQL binaries (an invalid
    value is an error, not a skip).
``CI``  when ``"true"``, missing PostgreSQL fails instead of skipping.

Use from ``tests/conftest.py``
------------------------------
::

    import pytest
    import pg_server   # tests/ is on sys.path (rootdir/"prepend" import mode)

    @pytest.fixture(scope="session")
    def pg_url():
        server = pg_server.start_or_skip()   # skip, or fail when CI=true
        try:
            yield server.url
        finally:
            server.stop()

    @pytest.fixture
    def pg_fresh_url(pg_url):
        url = pg_server.fresh_database(pg_url)
        try:
            yield url
        finally:
            pg_server.drop_database(url)

If ``tests/`` becomes a package (``tests/__init__.py``), import it as
``from tests import pg_server`` instead.  Each pytest-xdist worker would
start its own cluster (separate temp dir and port), which is fine.
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

__all__ = [
    "PgServer",
    "PostgresError",
    "PostgresUnavailable",
    "drop_database",
    "find_pg_bin",
    "fresh_database",
    "start",
    "start_or_skip",
]

ENV_URL = "INFLUENCER_TEST_DATABASE_URL"
ENV_BIN = "INFLUENCER_PG_BIN"
TEST_DB = "influencer_test"
SUPERUSER = "postgres"
OS_USER_WHEN_ROOT = "postgres"
LIB_GLOB = "/usr/lib/postgresql/*/bin"
FRESH_PREFIX = "influencer_t_"
START_ATTEMPTS = 5
START_TIMEOUT_S = 60

_SERVER_SETTINGS = """
# --- influencer-bot test settings (throwaway cluster) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
"""


class PostgresError(RuntimeError):
    """PostgreSQL binaries exist but the server could not be set up."""


class PostgresUnavailable(PostgresError):
    """No PostgreSQL binaries on this machine (callers may skip)."""


# ---------------------------------------------------------------- binaries


def _has_tools(d: Path) -> bool:
    return all(os.access(d / tool, os.X_OK) for tool in ("initdb", "pg_ctl"))


def _version_key(path: str) -> tuple:
    # /usr/lib/postgresql/<ver>/bin -> numeric sort on <ver> ("9.6" < "15").
    ver = Path(path).parent.name
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.]", ver))


def find_pg_bin(env: dict[str, str] | None = None, lib_glob: str | None = None) -> Path | None:
    """Directory containing initdb and pg_ctl, or None if there is none.

    Order: $INFLUENCER_PG_BIN, then PATH, then the highest version under
    /usr/lib/postgresql/*/bin.  A set but invalid $INFLUENCER_PG_BIN raises
    PostgresError (an explicit setting that is wrong should be loud).
    """
    env = os.environ if env is None else env
    explicit = env.get(ENV_BIN)
    if explicit:
        d = Path(explicit)
        if not _has_tools(d):
            raise PostgresError(f"{ENV_BIN}={explicit!r} does not contain executable initdb and pg_ctl")
        return d
    initdb = shutil.which("initdb", path=env.get("PATH", ""))
    if initdb:
        d = Path(initdb).parent
        if _has_tools(d):
            return d
        pg_ctl = shutil.which("pg_ctl", path=env.get("PATH", ""))
        if pg_ctl:  # both on PATH but in different dirs: use initdb's real dir
            real = Path(os.path.realpath(initdb)).parent
            if _has_tools(real):
                return real
    candidates = [c for c in glob.glob(lib_glob or LIB_GLOB) if _has_tools(Path(c))]
    if candidates:
        return Path(max(candidates, key=_version_key))
    return None


# ---------------------------------------------------------------- helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _world_traversable(path: str) -> bool:
    p = Path(path).resolve()
    for part in [p, *p.parents]:
        try:
            if not os.stat(part).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _owner_ids() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pw = pwd.getpwnam(OS_USER_WHEN_ROOT)
    except KeyError:
        raise PostgresError(
            f"running as root, but there is no {OS_USER_WHEN_ROOT!r} system user to run "
            "initdb/postgres as (initdb refuses to run as root); install the 'postgresql' "
            "package or create that user"
        ) from None
    return pw.pw_uid, pw.pw_gid


def _run(cmd: list[str], ids: tuple[int, int] | None, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    kwargs: dict = {}
    if ids is not None:
        kwargs.update(user=ids[0], group=ids[1], extra_groups=[])
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("PGDATA", None)
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _normalize_url(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.drivername != "postgresql+psycopg":
        raise PostgresError(f"expected a postgresql+psycopg URL, got driver {u.drivername!r}")
    return u.render_as_string(hide_password=False)


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------- server


@dataclass
class PgServer:
    """A running test server. ``url`` points at the ``influencer_test`` database."""

    url: str
    owned: bool = True  # False for an external server (INFLUENCER_TEST_DATABASE_URL)
    base_dir: Path | None = None
    data_dir: Path | None = None
    bin_dir: Path | None = None
    port: int | None = None
    _ids: tuple[int, int] | None = field(default=None, repr=False)
    _pid: int = field(default_factory=os.getpid, repr=False)
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """``pg_ctl stop -m immediate`` and remove the temp dir. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self._atexit)
        if not self.owned:
            return
        try:
            if self.data_dir is not None and self.data_dir.exists():
                _run(
                    [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "30"],
                    self._ids,
                    self.base_dir,
                    timeout=60,
                )
        finally:
            if self.base_dir is not None:
                shutil.rmtree(self.base_dir, ignore_errors=True)

    def _atexit(self) -> None:
        if os.getpid() == self._pid:  # not in forked children
            self.stop()

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start() -> PgServer:
    """Start a throwaway cluster (or use $INFLUENCER_TEST_DATABASE_URL)."""
    external = os.environ.get(ENV_URL)
    if external:
        return PgServer(url=_normalize_url(external), owned=False)

    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL binaries not found (looked at $INFLUENCER_PG_BIN, PATH and "
            f"{LIB_GLOB}); install PostgreSQL (apt-get install postgresql), set "
            f"INFLUENCER_PG_BIN, or set {ENV_URL} to an existing server"
        )
    ids = _owner_ids()

    tmp_root = tempfile.gettempdir()
    if ids is not None and not _world_traversable(tmp_root):
        tmp_root = "/tmp"  # the postgres user must be able to reach the data dir
    base = Path(tempfile.mkdtemp(prefix="influencer-pg-", dir=tmp_root))
    server = PgServer(url="", base_dir=base, data_dir=base / "data", bin_dir=bin_dir, _ids=ids)
    atexit.register(server._atexit)
    try:
        if ids is not None:
            os.chown(base, *ids)
        _initdb(server)
        _start_cluster(server)
        admin_url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{server.port}/postgres"
        engine = _admin_engine(admin_url)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {_quote_ident(TEST_DB)}")
        finally:
            engine.dispose()
        server.url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{server.port}/{TEST_DB}"
        return server
    except BaseException:
        server.stop()
        raise


def _initdb(server: PgServer) -> None:
    proc = _run(
        [
            str(server.bin_dir / "initdb"),
            "-D", str(server.data_dir),
            "-U", SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ],
        server._ids,
        server.base_dir,
    )
    if proc.returncode != 0:
        raise PostgresError(f"initdb failed (exit {proc.returncode}):\n{proc.stdout}")
    with open(server.data_dir / "postgresql.conf", "a") as f:
        f.write(_SERVER_SETTINGS)


def _start_cluster(server: PgServer) -> None:
    log = server.base_dir / "postgres.log"
    last = ""
    for _ in range(START_ATTEMPTS):
        port = _free_port()
        proc = _run(
            [
                str(server.bin_dir / "pg_ctl"), "start",
                "-D", str(server.data_dir),
                "-l", str(log),
                "-w", "-t", str(START_TIMEOUT_S),
                "-o", f"-p {port}",
            ],
            server._ids,
            server.base_dir,
            timeout=START_TIMEOUT_S + 30,
        )
        if proc.returncode == 0:
            server.port = port
            return
        last = f"pg_ctl start failed (exit {proc.returncode}):\n{proc.stdout}\n--- server log ---\n{_tail(log)}"
        if "could not bind" not in last and "already in use" not in last:
            break  # not a port race: retrying will not help
        time.sleep(0.2)
    raise PostgresError(last)


def start_or_skip() -> PgServer:
    """start() for pytest: skip when PostgreSQL is missing, fail if CI=true."""
    import pytest

    try:
        return start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and PostgreSQL is required: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {exc}")


# ---------------------------------------------------------------- databases


def fresh_database(url: str) -> str:
    """Create a new, uniquely named empty database next to ``url``; return its URL."""
    name = f"{FRESH_PREFIX}{uuid.uuid4().hex[:16]}"
    engine = _admin_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {_quote_ident(name)} TEMPLATE template0 ENCODING 'UTF8'")
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, *, admin_db: str = "postgres", force: bool = False) -> None:
    """Drop the database named in ``url`` (connecting to ``admin_db`` to do it).

    Only databases created by fresh_database() are dropped unless force=True,
    so a stray call can't drop a real database on an external server.
    """
    u = make_url(url)
    name = u.database
    if not name:
        raise ValueError(f"URL has no database: {u!r}")
    if not force and not name.startswith(FRESH_PREFIX):
        raise ValueError(f"refusing to drop {name!r}: not created by fresh_database() (pass force=True)")
    if name == admin_db:
        raise ValueError(f"cannot drop the admin database {admin_db!r}")
    engine = _admin_engine(u.set(database=admin_db).render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")
    finally:
        engine.dispose()
