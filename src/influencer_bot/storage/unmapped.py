"""Reads of scattered rows through a view of the SQLite file that is not memory-mapped.

SQLite maps the database file (db.py: PRAGMA mmap_size) because the niche index's blobs, MBs a
search, read about a third faster from a mapping that stays in place between requests. But a
page read through the mapping stays mapped, and the kernel maps up to 64 KB around each fault:
a lookalike's 400 candidate rows of search_terms, scattered over the table, left 20-30 MB more
of the file resident in the process each time, 200 MB after 18 lookalikes at 1M creators, and
the shortlists' profile reads (a creator row and its snapshots per pick) 80 MB after 100 finds
(measured; the pages are the OS page cache either way, but they count in the process's RSS).

So each SQLite connection also attaches its own file read-only as UNMAPPED with mmap off, and
reads of scattered rows (search_terms, profiles) go through it with
`options(session)`; at 1M creators the process then maps ~80 MB of the file, the index. That
view equals the main one only while this transaction has written nothing: a writing transaction
here begins IMMEDIATE (db.py), so no other connection can commit meanwhile, and `options` falls
back to the main schema once this one has written. A read-only one (db.reading: a plain BEGIN, so
writers go on) takes both views' snapshots at its BEGIN, one statement after the other: only a
commit landing in those microseconds could make them differ, and then the scattered rows read
unmapped are the newer ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection
from sqlalchemy.orm import Session

UNMAPPED = "unmapped"
_ATTACHED = "unmapped_attached"  # keys of the pooled connection's info
_CHANGES = "changes_at_begin"


def attach(dbapi_conn: Any, info: dict[Any, Any]) -> None:
    """Attach the connection's own file read-only, unmapped. Skipped for an in-memory database or
    an SQLite built without URI filenames (`file:...?mode=ro` would name some other file, and a
    read-write alias would deadlock on its own BEGIN IMMEDIATE)."""
    if ("USE_URI",) not in dbapi_conn.execute("PRAGMA compile_options").fetchall():
        return
    row = dbapi_conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    path = row[0] if row else ""
    if not path:
        return
    dbapi_conn.execute(f"ATTACH DATABASE ? AS {UNMAPPED}", (f"file:{quote(path)}?mode=ro",))
    attached = dbapi_conn.execute(
        f"SELECT file FROM pragma_database_list WHERE name = '{UNMAPPED}'").fetchone()
    if not attached or not attached[0] or Path(attached[0]) != Path(path):
        dbapi_conn.execute(f"DETACH DATABASE {UNMAPPED}")
        return
    dbapi_conn.execute(f"PRAGMA {UNMAPPED}.mmap_size=0")
    info[_ATTACHED] = True


def mark_begin(conn: Connection, *, read_only: bool = False) -> None:
    """Note how many rows the connection had changed when this transaction began; a read-only
    transaction starts its snapshot of both views now (WAL starts one at a schema's first read)."""
    if conn.info.get(_ATTACHED):
        conn.info[_CHANGES] = conn.connection.driver_connection.total_changes  # type: ignore[union-attr]
        if read_only:
            conn.exec_driver_sql("SELECT 1 FROM main.sqlite_master LIMIT 1")
            conn.exec_driver_sql(f"SELECT 1 FROM {UNMAPPED}.sqlite_master LIMIT 1")


def options(session: Session) -> dict[str, Any]:
    """Execution options that read the statement's tables through UNMAPPED when that is safe
    (SQLite file, nothing written in this transaction yet); none otherwise."""
    conn = session.connection()
    if not conn.info.get(_ATTACHED):
        return {}
    if conn.connection.driver_connection.total_changes != conn.info.get(_CHANGES):  # type: ignore[union-attr]
        return {}
    return {"schema_translate_map": {None: UNMAPPED}}
