"""Bounds on a slow or hung database: no request waits on it forever, and nothing it was told
had failed is done later.

PostgreSQL enforces `statement_timeout` itself, but a frozen server (a paused container, a
stalled disk, SIGSTOP) enforces nothing and the client would wait on its socket for ever. So a
watchdog thread gives every statement, commit, rollback and checkout ping a client-side limit:
the statement timeout plus a grace, or less when the caller set a `deadline()` (a request that
must answer Slack within 3 s). Past it, the watchdog shuts the connection's socket (PostgreSQL)
or interrupts it (SQLite): the waiting thread gets an error at once, the transaction is rolled
back by the server when it wakes (it never receives a COMMIT), and the error is raised as
`DatabaseHung`. The one case that cannot be known is a cut while the COMMIT itself was in flight:
`DatabaseHung.maybe_committed` says so, and the user is told exactly that.
"""

from __future__ import annotations

import contextvars
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, exc

GRACE_S = 2.0  # past the server's own statement_timeout, a statement still running means a hung server


@dataclass(frozen=True, slots=True)
class DbTimeouts:
    """Seconds; 0 means no limit. `statement_s` is PostgreSQL's statement_timeout (and the idle-in-
    transaction timeout) and SQLite's busy_timeout."""

    connect_s: float = 5.0
    pool_s: float = 5.0
    statement_s: float = 0.0


class DatabaseHung(exc.SQLAlchemyError):
    """The database did not answer within its limit; the connection was cut. `maybe_committed`: the cut
    came while the COMMIT was in flight, so whether it took effect cannot be known here."""

    def __init__(self, phase: str) -> None:
        super().__init__(f"the database did not answer in time (during the {phase})")
        self.maybe_committed = phase == "commit"


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("influencer_db_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Database work in this block (this thread and context) must be done within `seconds`."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left before this context's deadline (None when it has none)."""
    at = _DEADLINE.get()
    return None if at is None else at - time.monotonic()


class _Watchdog:
    """One daemon thread that cuts connections whose armed limit passed; woken by a condition, no polling."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, tuple[float, Any, str]] = {}  # id(dbapi conn) -> (due, conn, phase)
        self._cut: dict[int, str] = {}  # connections cut, and in which phase
        self._thread: threading.Thread | None = None
        # when the thread will next look (inf: only when woken). An arm due later needs no wake-up: under
        # load that spares a thread switch per statement, measured as a third of an ack's CPU.
        self._wake_at = math.inf

    def arm(self, conn: Any, seconds: float, phase: str) -> None:
        with self._cond:
            self._armed[id(conn)] = (time.monotonic() + seconds, conn, phase)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            if self._armed[id(conn)][0] < self._wake_at:
                self._wake_at = -math.inf  # woken: it sets its next time itself
                self._cond.notify()

    def disarm(self, conn: Any) -> None:
        with self._cond:
            self._armed.pop(id(conn), None)

    def forget(self, conn: Any) -> None:
        with self._cond:
            self._armed.pop(id(conn), None)
            self._cut.pop(id(conn), None)

    def cut_phase(self, conn: Any) -> str | None:
        with self._cond:
            return self._cut.get(id(conn))

    def _run(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                due = [key for key, (at, _, _) in self._armed.items() if at <= now]
                victims = []
                for key in due:
                    _, conn, phase = self._armed.pop(key)
                    self._cut[key] = phase
                    victims.append(conn)
                if not victims:
                    soonest = min((at for at, _, _ in self._armed.values()), default=math.inf)
                    self._wake_at = soonest
                    self._cond.wait(None if soonest == math.inf else soonest - now)
                    continue
            for conn in victims:
                _cut(conn)


def _cut(conn: Any) -> None:
    """Make a thread blocked on `conn` fail now: shut a PostgreSQL socket, interrupt SQLite."""
    try:
        if hasattr(conn, "interrupt"):  # sqlite3
            conn.interrupt()
            return
        fd = conn.pgconn.socket  # psycopg; raises once the connection is closed
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # noqa: BLE001 - already closed: nothing left to cut
        pass


WATCHDOG = _Watchdog()


def _limit(statement_s: float) -> float | None:
    """Seconds this statement may take: the statement bound, or less when a deadline is near."""
    limits = [statement_s + GRACE_S] if statement_s > 0 else []
    left = time_left()
    if left is not None:
        if left <= 0:
            raise DatabaseHung("the request's deadline")  # a thread that hung past it must not go on
        limits.append(left)
    return min(limits) if limits else None


def install(engine: Engine, timeouts: DbTimeouts, *, ping: bool) -> None:
    """Arm the watchdog around everything that waits on the server; ping pooled connections on checkout."""

    def arm(dbapi_conn: Any, phase: str) -> None:
        limit = _limit(timeouts.statement_s)
        if limit is not None:
            WATCHDOG.arm(dbapi_conn, limit, phase)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        arm(conn.connection.dbapi_connection, "statement")

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        WATCHDOG.disarm(conn.connection.dbapi_connection)

    @event.listens_for(engine, "handle_error")
    def _handle_error(ctx):  # type: ignore[no-untyped-def]
        try:
            dbapi_conn = ctx.connection.connection.dbapi_connection if ctx.connection is not None else None
        except exc.SQLAlchemyError:
            dbapi_conn = None
        if dbapi_conn is None:
            return
        WATCHDOG.disarm(dbapi_conn)
        phase = WATCHDOG.cut_phase(dbapi_conn)
        if phase is not None:
            ctx.is_disconnect = True
            raise DatabaseHung(phase) from ctx.original_exception

    # commit and rollback (the pool's reset on return included) reach the server through the dialect
    dialect = engine.dialect
    do_commit, do_rollback = dialect.do_commit, dialect.do_rollback

    def bounded_commit(proxied: Any) -> None:  # SQLAlchemy passes the pool's proxy; the watchdog keys the raw one
        dbapi_conn = getattr(proxied, "dbapi_connection", proxied)
        arm(dbapi_conn, "commit")
        try:
            do_commit(proxied)
        finally:
            WATCHDOG.disarm(dbapi_conn)

    def bounded_rollback(proxied: Any) -> None:  # never refused for a passed deadline: it undoes work
        dbapi_conn = getattr(proxied, "dbapi_connection", proxied)
        WATCHDOG.arm(dbapi_conn, max(timeouts.statement_s, 0) + GRACE_S, "rollback")
        try:
            do_rollback(proxied)
        finally:
            WATCHDOG.disarm(dbapi_conn)

    dialect.do_commit, dialect.do_rollback = bounded_commit, bounded_rollback  # type: ignore[method-assign]

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, proxy):  # type: ignore[no-untyped-def]
        if not ping or record.info.pop("fresh", False):
            return
        arm(dbapi_conn, "ping")
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
        except Exception as failure:
            hung = WATCHDOG.cut_phase(dbapi_conn) is not None
            WATCHDOG.forget(dbapi_conn)
            if hung:  # the server is there but frozen: reconnecting would hang too (the pool drops this one)
                raise DatabaseHung("ping") from failure
            raise exc.DisconnectionError() from failure  # a stale connection: the pool opens a new one
        finally:
            WATCHDOG.disarm(dbapi_conn)

    @event.listens_for(engine, "connect")
    def _fresh(dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["fresh"] = True  # just opened: no ping needed on its first checkout

    for name in ("checkin", "close", "close_detached", "invalidate", "soft_invalidate"):
        event.listen(engine, name, _forget_first)


def _forget_first(dbapi_conn: Any, *args: Any) -> None:
    if dbapi_conn is not None:
        WATCHDOG.forget(dbapi_conn)


def is_unavailable(failure: BaseException) -> bool:
    """Whether `failure` means the database could not be reached or did not answer (nothing was done)."""
    if isinstance(failure, DatabaseHung):
        return not failure.maybe_committed
    if isinstance(failure, exc.TimeoutError):  # no pooled connection came free in time
        return True
    return isinstance(failure, exc.DBAPIError) and (
        failure.connection_invalidated or isinstance(failure, (exc.OperationalError, exc.InterfaceError)))
