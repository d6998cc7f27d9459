"""Calling a client for one batch so that one bad creator or post never costs the others.

Clients report per-item trouble as `Missing` and whole-platform trouble as `PlatformStopped`.
Anything else they raise (a bug, a shape nobody expected, a network failure past the retries)
breaks their batched generator part-way; the items it did not answer yet are then asked one by
one, so the failure lands on the item that causes it, logged under an error id and counted as
`error`. When even single items keep failing, the platform is not answering at all and the run
stops as `failed` instead of grinding through every creator.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .fetched import Missing, PlatformStopped
from .http import redact

log = logging.getLogger("influencer_bot.sync")

Ref = TypeVar("Ref")
Answer = TypeVar("Answer")
MAX_ERRORS_IN_A_ROW = 3


class PlatformUnreachable(PlatformStopped):
    """Single calls keep failing with unexpected errors: the run stops, marked failed."""

    reason = "failed"


@dataclass(slots=True)
class Batch(Generic[Ref, Answer]):
    results: list[tuple[Ref, Answer | Missing]]
    stopped: PlatformStopped | None = None


def logged_error(what: str, exc: BaseException) -> Missing:
    error_id = secrets.token_hex(4)
    # the traceback as text, redacted: an exception's message may quote a URL with its key
    log.error("%s failed (error id %s): %s", what, error_id, redact("".join(traceback.format_exception(exc))))
    return Missing("error", f"unexpected error (error id {error_id})")


def fetch_batch(fetch: Callable[[Iterable[Ref]], Iterator[tuple[Ref, Answer | Missing]]], refs: list[Ref], *,
                platform: str, label: Callable[[Ref], str]) -> Batch[Ref, Answer]:
    """Every ref answered (or failed as `error`), unless the platform stopped part-way."""
    batch: Batch[Ref, Answer] = Batch([])
    try:
        batch.results.extend(fetch(refs))
        return batch
    except PlatformStopped as stop:
        batch.stopped = stop
        return batch
    except Exception as exc:  # noqa: BLE001 - isolated below, item by item
        logged_error(f"{platform} batch of {len(refs)}", exc)
    answered = {ref for ref, _ in batch.results}
    in_a_row = 0
    for ref in (r for r in refs if r not in answered):
        try:
            batch.results.extend(fetch([ref]))
            in_a_row = 0
        except PlatformStopped as stop:
            batch.stopped = stop
            return batch
        except Exception as exc:  # noqa: BLE001 - counted as this item's failure
            batch.results.append((ref, logged_error(f"{platform} {label(ref)}", exc)))
            in_a_row += 1
            if in_a_row >= MAX_ERRORS_IN_A_ROW:
                batch.stopped = PlatformUnreachable(
                    f"{in_a_row} calls in a row failed unexpectedly ({redact(type(exc).__name__)}); "
                    f"stopped, the rest waits for the next run.")
                return batch
    return batch
