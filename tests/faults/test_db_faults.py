"""A database that is stopped, frozen or locked: bounded waits, plain words, nothing done behind the user's back.

PostgreSQL runs as a private cluster (pg_cluster.py) so stopping or freezing it touches no other
test; every freeze is thawed in a `finally`. Waits are bounded generously and never timed: a
test only checks that nothing hung past a deadline. The moment of a freeze is chosen with
SQLAlchemy events (just before the decision's UPDATE, or its COMMIT), not with sleeps.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, text

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of
from influencer_bot.bot.metrics import DB_POOL_IN_USE
from influencer_bot.bot.runtime import count_pool_use
from influencer_bot.bot.server import wsgi_app
from influencer_bot.handlers.services import Services
from influencer_bot.storage.db import is_reachable, make_engine, make_session_factory, transaction
from influencer_bot.storage.db_bounds import DbTimeouts
from influencer_bot.storage.migrate import upgrade
from influencer_bot.storage.models import Decision, ShortlistItem
from pg_cluster import PgCluster

BOUNDS = DbTimeouts(connect_s=2, pool_s=2, statement_s=5)
NOT_ANSWERING = "The database is not answering right now, so nothing was changed"
DEADLINE_S = 30  # generous: a wait that reaches it means something hung


@pytest.fixture(scope="module")
def cluster() -> Iterator[PgCluster]:
    c = PgCluster()
    try:
        upgrade(make_engine(c.url))
        yield c
    finally:
        c.close()


@pytest.fixture
def pg_engine(cluster):
    engine = make_engine(cluster.url, BOUNDS)
    with engine.begin() as conn:  # each test starts from empty tables
        conn.execute(text("TRUNCATE creators, shortlists, shortlist_items, decisions RESTART IDENTITY CASCADE"))
    yield engine
    cluster.thaw()
    engine.dispose()


def _driver(engine, slack) -> LocalDriver:
    services = Services(sessions=make_session_factory(engine), db_request_timeout_s=1.0)
    return LocalDriver(services, team_id=TEAM, slack=slack)


def _posted_shortlist(driver) -> tuple[dict, object]:
    add(driver.services.sessions, TEAM, baker("crumbs", 20_000, 800, price_usd=600),
        baker("sift", 8_000, 400, price_usd=300))
    driver.command("find vegan baking 2000")
    message = [m for m in driver.messages() if not m.get("ephemeral")][-1]
    return message, next(b for b in buttons_of(message, driver.channel_id) if b.text == "Approve")


def _replies(exchange) -> list[str]:
    return [c["params"].get("text", "") for c in exchange.calls if c["method"] == "response_url"]


def _in_thread(fn):  # type: ignore[no-untyped-def]
    """Run fn on a thread; its result, or AssertionError if it is still running at the deadline."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    worker.start()
    worker.join(DEADLINE_S)
    assert not worker.is_alive(), "hung past the deadline"
    return out[0]


def _settled(engine, item_id: int) -> tuple[str, int]:
    """The item's status and decision count once any transaction still holding the item has ended
    (a frozen backend finishes its work on thaw: the row lock is how we wait for it)."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '30s'"))
        status = conn.execute(select(ShortlistItem.status).where(ShortlistItem.id == item_id).with_for_update()
                              ).scalar_one()
        decisions = len(conn.execute(select(Decision.id).where(Decision.shortlist_item_id == item_id)).all())
    return status, decisions


def _is_decision(statement: str) -> bool:
    return statement.lstrip().upper().startswith("UPDATE SHORTLIST_ITEMS")


def _freeze_once(cluster, engine, name: str, when) -> threading.Event:  # type: ignore[no-untyped-def]
    """Freeze the cluster the first time engine event `name` fires with `when(*args)` true; set once it has."""
    once = threading.Event()

    def listener(*args):  # type: ignore[no-untyped-def]
        if not once.is_set() and when(*args):
            once.set()
            cluster.freeze()

    event.listen(engine, name, listener)
    return once


def _healthz(engine) -> str:
    statuses: list[str] = []
    body = wsgi_app(None, engine)({"PATH_INFO": "/healthz"}, lambda status, headers: statuses.append(status))
    return statuses[0] + " " + b"".join(body).decode()


@pytest.mark.postgres
def test_healthz_answers_503_while_postgres_is_frozen_and_200_once_it_thaws(cluster, pg_engine):
    assert _healthz(pg_engine).startswith("200")
    cluster.freeze()
    try:
        assert _in_thread(lambda: _healthz(pg_engine)).startswith("503")
        assert _in_thread(lambda: _healthz(pg_engine)).startswith("503")  # a probe still stuck: no new thread
    finally:
        cluster.thaw()
    assert any(is_reachable(pg_engine, timeout=DEADLINE_S) for _ in range(3))


@pytest.mark.postgres
def test_a_click_whose_update_meets_a_frozen_database_is_refused_and_never_done_later(cluster, pg_engine, slack):
    with _driver(pg_engine, slack) as driver:
        _, approve = _posted_shortlist(driver)

        once = _freeze_once(cluster, pg_engine, "before_cursor_execute",
                            lambda conn, cursor, statement, *args: _is_decision(statement))
        try:
            exchange = _in_thread(lambda: driver.click(approve, user_id="UMANAGER"))
        finally:
            cluster.thaw()
    assert once.is_set()
    assert exchange.status == 200
    (reply,) = _replies(exchange)
    assert NOT_ANSWERING in reply
    assert _settled(pg_engine, json.loads(approve.value)["item"]) == ("proposed", 0)


@pytest.mark.postgres
def test_a_click_cut_off_during_its_commit_says_it_cannot_tell(cluster, pg_engine, slack):
    with _driver(pg_engine, slack) as driver:
        _, approve = _posted_shortlist(driver)
        deciding = threading.local()

        def mark(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            deciding.yes = getattr(deciding, "yes", False) or _is_decision(statement)

        event.listen(pg_engine, "before_cursor_execute", mark)
        once = _freeze_once(cluster, pg_engine, "commit", lambda conn: getattr(deciding, "yes", False))
        try:
            exchange = _in_thread(lambda: driver.click(approve, user_id="UMANAGER"))
        finally:
            cluster.thaw()
    assert once.is_set()
    (reply,) = _replies(exchange)
    assert "can't tell whether it was saved" in reply and "nothing was changed" not in reply
    status, decisions = _settled(pg_engine, json.loads(approve.value)["item"])
    assert (status, decisions) in {("proposed", 0), ("approved", 1)}  # whole or nothing, as the reply allows


@pytest.mark.postgres
def test_a_stopped_database_is_said_plainly_and_recovers_without_a_restart(cluster, pg_engine, slack):
    with _driver(pg_engine, slack) as driver:
        _, approve = _posted_shortlist(driver)
        cluster.stop()
        try:
            assert _healthz(pg_engine).startswith("503")
            click = _in_thread(lambda: driver.click(approve, user_id="UMANAGER"))
            find = _in_thread(lambda: driver.command("find vegan baking 2000"))
        finally:
            cluster.start()
        assert click.status == 200 and NOT_ANSWERING in _replies(click)[0]
        assert NOT_ANSWERING in find.ack["text"]  # its outbox row could not be written: said in the ack
        assert any(is_reachable(pg_engine, timeout=DEADLINE_S) for _ in range(3))
        again = driver.click(approve, user_id="UMANAGER")
    assert [c["method"] for c in again.calls] == ["chat.update"]
    assert _settled(pg_engine, json.loads(approve.value)["item"]) == ("approved", 1)


def test_a_locked_sqlite_database_is_said_plainly_and_nothing_is_recorded(tmp_path, slack):
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade(make_engine(url))
    engine = make_engine(url, DbTimeouts(statement_s=0.5))
    with _driver(engine, slack) as driver:
        _, approve = _posted_shortlist(driver)
        holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            exchange = _in_thread(lambda: driver.click(approve, user_id="UMANAGER"))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert exchange.status == 200 and NOT_ANSWERING in _replies(exchange)[0]
    with make_session_factory(engine)() as s:
        assert s.scalars(select(Decision)).all() == []
    engine.dispose()


def test_the_pool_gauge_counts_connections_in_use(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    count_pool_use(engine)
    gauge = lambda: DB_POOL_IN_USE.collect()[0].samples[0].value  # noqa: E731
    with engine.connect():
        with engine.connect():
            assert gauge() == 2
        assert gauge() == 1
    assert gauge() == 0
    engine.dispose()


def test_a_click_waiting_behind_a_stuck_writer_in_its_own_process_gives_up_at_its_deadline(tmp_path, slack):
    """SQLite writers of one process queue on a lock (storage/db.py); a click must not wait there past
    DB_REQUEST_TIMEOUT_S any more than it would in SQLite's own busy handler."""
    url = f"sqlite:///{tmp_path / 'queued.db'}"
    upgrade(make_engine(url))
    engine = make_engine(url)
    services = Services(sessions=make_session_factory(engine), db_request_timeout_s=0.5)
    with LocalDriver(services, team_id=TEAM, slack=slack) as driver:
        _, approve = _posted_shortlist(driver)
        holding, release = threading.Event(), threading.Event()

        def stuck_writer() -> None:  # e.g. an import's transaction that takes its time
            with transaction(services.sessions):
                holding.set()
                release.wait(2 * DEADLINE_S)

        writer = threading.Thread(target=stuck_writer, daemon=True)
        writer.start()
        holding.wait(DEADLINE_S)
        try:
            exchange = _in_thread(lambda: driver.click(approve, user_id="UMANAGER"))
            assert writer.is_alive()  # answered while the writer still held the lock
        finally:
            release.set()
            writer.join(DEADLINE_S)
    assert exchange.status == 200 and NOT_ANSWERING in _replies(exchange)[0]
    with make_session_factory(engine)() as s:
        assert s.scalars(select(Decision)).all() == []
    engine.dispose()
