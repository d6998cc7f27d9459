"""The bounded work queue: what listeners hand over after their ack, run by a few worker threads.

Bolt's default ack mode runs a listener (ack and work alike) on one shared thread pool, so under a
burst the acks of new requests queue behind searches. The app runs with `process_before_response`
instead: each listener acks on the request thread, having only parsed and written its outbox row,
and gives the slow part to this queue. The queue is bounded: when it is full `submit` says so at
once and the listener's ack tells the user the bot is busy and when to retry, instead of letting the
work wait past the time anyone would still want it. Urgent work (a click's message update, a modal
that must open within the trigger's 3 s) goes ahead of queued searches.

Depth, waits and durations are exported (bot/metrics.py) and a wait longer than a few seconds is
logged. `wait_until_idle` lets the local driver and the tests wait for the work without sleeping.
"""

from __future__ import annotations

import contextvars
import logging
import math
import os
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ..handlers.replies import new_error_id
from .work_processes import WorkProcesses
from .metrics import QUEUE_DEPTH, QUEUE_REJECTED, QUEUE_WAIT_SECONDS, WORK_SECONDS

log = logging.getLogger("influencer_bot.work")

SLOW_WAIT_S = 5.0  # a wait longer than this is logged


def default_workers() -> int:
    """One worker per core, at least two: the work is CPU-bound searches and short database writes."""
    return max(2, os.cpu_count() or 1)


@dataclass(slots=True)
class _Item:
    name: str
    fn: Callable[[], None]
    work_id: int | None  # an outbox row: worker processes, when there are some, run it instead of `fn`
    queued_at: float = field(default_factory=time.monotonic)
    context: contextvars.Context = field(default_factory=contextvars.copy_context)  # the request's id


class WorkQueue:
    """`submit(name, fn)` runs `fn` on a worker thread, or returns False at once if the queue is full."""

    def __init__(self, workers: int | None = None, max_queued: int = 500, *, lease_s: float = 30.0,
                 owner: str | None = None, record_errors: bool = False, processes: WorkProcesses | None = None,
                 urgent_workers: int = 2) -> None:
        self.workers = workers or default_workers()
        self._processes = processes
        self.max_queued = max_queued
        # this process's name on the outbox rows it holds (storage/outbox.py), and how long it holds
        # one between renewals (bot/outbox_keeper.py renews them)
        self.owner = owner or f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease_s = lease_s
        self._cond = threading.Condition()
        self._urgent: deque[_Item] = deque()
        self._normal: deque[_Item] = deque()
        self._running = 0
        self._closed = False
        self._mean_s = 0.1  # moving average of a piece of work's duration, for the retry hint
        self._record = record_errors
        self._errors: list[BaseException] = []
        # urgent work has threads of its own, so a click's update never waits for a search to end
        self._threads = [threading.Thread(target=self._work, args=(False,), name=f"work-{n}", daemon=True)
                         for n in range(self.workers)]
        self._threads += [threading.Thread(target=self._work, args=(True,), name=f"urgent-{n}", daemon=True)
                          for n in range(urgent_workers)]
        for thread in self._threads:
            thread.start()

    @property
    def depth(self) -> int:
        with self._cond:
            return len(self._urgent) + len(self._normal)

    def submit(self, name: str, fn: Callable[[], None], *, urgent: bool = False, work_id: int | None = None) -> bool:
        """Queue `fn` (for outbox row `work_id`, if it is one); False (and nothing queued) when the queue
        is full or closed. Normal work on an outbox row runs in the worker processes, if any.

        Urgent work may use a second bound's worth of room: it is small and follows something
        already committed (a decision), so it is refused only when things are far past busy."""
        with self._cond:
            depth = len(self._urgent) + len(self._normal)
            if self._closed or depth >= self.max_queued * (2 if urgent else 1):
                QUEUE_REJECTED.inc()
                return False
            (self._urgent if urgent else self._normal).append(_Item(name, fn, work_id))
            QUEUE_DEPTH.set(depth + 1)
            self._cond.notify_all()
            return True

    def retry_after_s(self) -> int:
        """A fair guess of when a new request would find room: the queue's work shared among the workers."""
        with self._cond:
            depth, mean = len(self._urgent) + len(self._normal), self._mean_s
        return max(10, min(600, math.ceil(depth * mean / self.workers)))

    def _next(self, urgent: bool) -> _Item | None:
        lane = self._urgent if urgent else self._normal
        with self._cond:
            self._cond.wait_for(lambda: lane or self._closed)
            if not lane:
                return None
            item = lane.popleft()
            self._running += 1
            QUEUE_DEPTH.set(len(self._urgent) + len(self._normal))
            return item

    def _work(self, urgent: bool) -> None:
        while (item := self._next(urgent)) is not None:
            waited = time.monotonic() - item.queued_at
            QUEUE_WAIT_SECONDS.observe(waited)
            if waited > SLOW_WAIT_S:
                log.warning("%s waited %.1f s for a worker (%d queued)", item.name, waited, self.depth)
            started = time.monotonic()
            try:
                if self._processes is not None and item.work_id is not None and not urgent:
                    item.context.run(self._processes.run, item.work_id)
                else:
                    item.context.run(item.fn)
            except BaseException as exc:  # the work reports its own failures; this is the last net
                log.error("%s failed after its ack (error id %s)", item.name, new_error_id(), exc_info=exc)
                if self._record:
                    with self._cond:
                        self._errors.append(exc)
            finally:
                took = time.monotonic() - started
                WORK_SECONDS.labels(item.name).observe(took)
                with self._cond:
                    self._mean_s = 0.9 * self._mean_s + 0.1 * took
                    self._running -= 1
                    self._cond.notify_all()

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or running (work submitted meanwhile included)."""
        with self._cond:
            return self._cond.wait_for(lambda: not (self._urgent or self._normal or self._running), timeout)

    def take_errors(self) -> list[BaseException]:
        """Failures that escaped the work since the last call (kept only with `record_errors`)."""
        with self._cond:
            errors, self._errors = self._errors, []
        return errors

    def close(self, timeout: float | None = None) -> bool:
        """Take no more work, let the workers finish what is queued (for up to `timeout` s), stop them.

        True when everything finished; work still queued at the timeout is left to the outbox."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self._processes is not None:
            self._processes.shutdown()
        return not any(t.is_alive() for t in self._threads)
