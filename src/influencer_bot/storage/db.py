"""Engines and sessions: one Session per request or job, passed explicitly.

SQLite is tuned for a single-machine bot (WAL, foreign keys, a busy timeout so two
threads wait instead of failing). Both get the bounds of `DbTimeouts` (storage/db_bounds.py):
connect, pool and statement timeouts, enforced by the client too when the server hangs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from . import unmapped
from .db_bounds import DatabaseHung, DbTimeouts, deadline, install, time_left

SQLITE_BUSY_S = 30.0  # when no statement timeout is set: how long a writer queues for SQLite's lock
_BUSY_S: WeakKeyDictionary[Engine, float] = WeakKeyDictionary()  # each SQLite engine's own
READ_ONLY = "influencer_read_only"  # execution option: this transaction only reads


def make_engine(url: str, timeouts: DbTimeouts = DbTimeouts(), **kwargs: object) -> Engine:
    """An engine with the bounds of `timeouts` (the defaults: 5 s to connect or get a pooled connection,
    no statement timeout; `run` passes the DB_*_TIMEOUT_S settings)."""
    engine = _sqlite_engine(url, timeouts, **kwargs) if url.startswith("sqlite") else _pg_engine(url, timeouts, **kwargs)
    install(engine, timeouts, ping=not url.startswith("sqlite"))
    return engine


def _pg_engine(url: str, timeouts: DbTimeouts, **kwargs: object) -> Engine:
    connect_args: dict[str, object] = {}
    if timeouts.connect_s > 0:  # libpq's (and psycopg's) minimum is 2 s
        connect_args["connect_timeout"] = max(2, round(timeouts.connect_s))
    if timeouts.statement_s > 0:
        ms = int(timeouts.statement_s * 1000)
        connect_args["options"] = f"-c statement_timeout={ms} -c idle_in_transaction_session_timeout={ms}"
    return create_engine(url, connect_args=connect_args, **_pool_args(timeouts, kwargs))  # type: ignore[arg-type]


def _pool_args(timeouts: DbTimeouts, kwargs: dict[str, object]) -> dict[str, object]:
    if timeouts.pool_s > 0 and kwargs.get("poolclass") is not NullPool:
        kwargs.setdefault("pool_timeout", timeouts.pool_s)
    return kwargs


def _sqlite_engine(url: str, timeouts: DbTimeouts, **kwargs: object) -> Engine:
    busy_s = timeouts.statement_s or SQLITE_BUSY_S
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_s},
                           **_pool_args(timeouts, kwargs))  # type: ignore[arg-type]
    _BUSY_S[engine] = busy_s

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        cur = dbapi_conn.cursor()
        if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_s * 1000)}")
        # Reads of the niche index's blobs (MBs a search) come straight from the mapped
        # file instead of being copied page by page: measured 13 ms -> 6 ms at 1M creators.
        cur.execute("PRAGMA mmap_size=1073741824")
        cur.close()
        unmapped.attach(dbapi_conn, _record.info)  # ...and scattered rows without it (storage/unmapped.py)

    @event.listens_for(engine, "begin")
    def _sqlite_begin_immediate(conn):  # type: ignore[no-untyped-def]
        # Take the write lock up front: concurrent writers then queue on busy_timeout
        # instead of failing with "database is locked" on lock upgrade. A `reading` session
        # takes none: with WAL it reads a snapshot while writers go on.
        read_only = bool(conn.get_execution_options().get(READ_ONLY))
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
        unmapped.mark_begin(conn, read_only=read_only)

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


_WRITERS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


@contextmanager
def _turn(lock: threading.RLock, wait_s: float) -> Iterator[None]:
    if not lock.acquire(timeout=max(0.0, wait_s)):
        raise DatabaseHung("wait for SQLite's write lock")
    try:
        yield
    finally:
        lock.release()


def _writer_turn(factory: sessionmaker[Session]) -> AbstractContextManager[object]:
    """SQLite has one writer at a time. Its busy handler makes waiting writers sleep in steps of up to
    100 ms, so under a burst some wait seconds while others keep the lock; within this process, writers
    queue on a lock instead and each goes the moment the last one is done. The wait is bounded like the
    busy handler's (by the request's deadline, if it has one). Other databases: no wait."""
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return nullcontext()
    with _WRITERS_LOCK:
        lock = _WRITERS.setdefault(engine, threading.RLock())
    left = time_left()
    busy_s = _BUSY_S.get(engine, SQLITE_BUSY_S)
    return _turn(lock, busy_s if left is None else min(left, busy_s))


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back whole on any error."""
    with _writer_turn(factory), factory() as session, session.begin():
        yield session


@contextmanager
def reading(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that only reads: on SQLite it holds no write lock, so a long search never holds up
    the short writes that acks make (outbox rows, decisions). Nothing it does is committed: closing
    it ends the transaction, and what it loaded stays readable (detached, not expired)."""
    with factory() as session:
        session.connection(execution_options={READ_ONLY: True})
        yield session


HEALTH_S = 0.8  # /healthz must answer within 1 s, whatever the database does


class _Probe:
    """A `select 1` on its own unpooled connection, on its own thread, waited for at most `HEALTH_S`.

    Never takes a connection from the request path's pool; a probe still stuck on a frozen server
    makes the next check answer "unreachable" at once instead of starting another thread.
    """

    def __init__(self, engine: Engine) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self.engine = make_engine(url, DbTimeouts(connect_s=2, statement_s=0), poolclass=NullPool)
        self.thread: threading.Thread | None = None
        self.ok = False

    def check(self, timeout: float) -> bool:
        if self.thread is not None and self.thread.is_alive():
            self.thread.join(timeout)
            return not self.thread.is_alive() and self.ok
        self.ok = False
        self.thread = threading.Thread(target=self._run, args=(timeout,), name="db-health", daemon=True)
        self.thread.start()
        self.thread.join(timeout)
        return not self.thread.is_alive() and self.ok

    def _run(self, timeout: float) -> None:
        try:
            with deadline(timeout), self.engine.connect() as conn:
                conn.execute(text("select 1"))
            self.ok = True
        except Exception:  # noqa: BLE001 - any failure means "not reachable" for /healthz
            self.ok = False


_PROBES: WeakKeyDictionary[Engine, _Probe] = WeakKeyDictionary()
_PROBES_LOCK = threading.Lock()


def is_reachable(engine: Engine, timeout: float = HEALTH_S) -> bool:
    """Whether the database answers `select 1` within `timeout` seconds (a hung one does not)."""
    with _PROBES_LOCK:
        probe = _PROBES.get(engine) or _PROBES.setdefault(engine, _Probe(engine))
    return probe.check(timeout)
