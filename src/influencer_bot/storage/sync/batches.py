"""The loop every sync run shares: fetch a batch, write it in one transaction, count, go on.

Each batch is fetched outside any transaction (HTTP never holds a database lock), then written
in one transaction together with the run's counters: a process that dies mid-run loses at most
the batch in hand. Each item is written in a savepoint, so one item's failure (counted as
`error`, logged with an error id) leaves the others' results in place. A `PlatformStopped`
ends the run after writing what was answered before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from ..db import transaction
from . import runs
from .fetched import Missing
from .fetching import fetch_batch, logged_error

Ref = TypeVar("Ref")
#: writes one answer inside its savepoint; returns the failure reason to count, or None when refreshed
WriteOne = Callable[[Session, Any, Any, datetime], str | None]


@dataclass(frozen=True, slots=True)
class Ended:
    """How a run ended: a sync_runs status and its line for the user."""

    status: str
    message: str | None = None


def run_batches(factory: sessionmaker[Session], refs: list[Ref],
                fetch: Callable[[Iterable[Ref]], Iterator[tuple[Ref, Any]]], *,
                prepare: Callable[[Session, list[tuple[Ref, Any]]], WriteOne],
                finish_batch: Callable[[Session], None] | None = None,
                platform: str, label: Callable[[Ref], str], run_id: int, tally: runs.Tally,
                clock: Callable[[], datetime], batch_size: int) -> Ended:
    """`prepare` loads a batch's rows and returns the per-item writer; `finish_batch` runs after
    the items, in the same transaction (re-indexing what changed)."""
    for start in range(0, len(refs), batch_size):
        batch = fetch_batch(fetch, refs[start:start + batch_size], platform=platform, label=label)
        now = clock()
        with transaction(factory) as session:
            write_one = prepare(session, batch.results)
            for ref, answer in batch.results:
                try:
                    with session.begin_nested():
                        reason = write_one(session, ref, answer, now)
                except Exception as exc:  # noqa: BLE001 - this item only; its savepoint undid its writes
                    logged_error(f"{platform} writing {label(ref)}", exc)
                    reason = "error"
                if reason is None:
                    tally.refreshed += 1
                else:
                    tally.fail(reason)
            if finish_batch is not None:
                finish_batch(session)
            ours = runs.progress(session, run_id, tally, now=now)
        if batch.stopped is not None:
            return Ended(batch.stopped.reason, batch.stopped.message)
        if not ours:
            return Ended(runs.FAILED, "Another process took this run over; it stopped after its last batch.")
    return Ended(runs.DONE)
