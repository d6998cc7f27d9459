"""Worker processes for the accepted work (searches above all), apart from the process that acks.

Threads share one interpreter lock: with searches running on worker threads, every short step of an
ack (a socket read, a database round trip) waits for the lock, and a burst of 200 acks took seconds
(measured: bench/load.py). The serving process therefore only acks, and the outbox rows it accepted
run here, in child processes forked at start-up, each with its own database engine and Slack
clients (each row's workspace's token), at a lower CPU priority so acks win the cores. A row is all a child needs (the work is
rebuilt from it, handlers/accepted_work.py), so only its id crosses the process boundary. The
children die with their parent: a killed bot leaves no orphan finishing work another process is
about to resume.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor, wait

from ..handlers import request_id
from ..handlers.accepted_work import run_accepted
from ..handlers.services import Services
from ..handlers.workspace_clients import WorkspaceClients

NICE = 10  # the children's CPU priority below the serving process's

_services: Services | None = None
_clients: WorkspaceClients | None = None  # each row's workspace's token (bot/workspace_clients.py)


def _die_with_parent() -> None:
    """Linux: SIGKILL this child when its parent exits, however it exits (kill -9 included)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's broken pipe ends idle children instead
        pass


def _start_child(nice: int) -> None:
    global _services, _clients
    _die_with_parent()
    os.nice(nice)
    from .runtime import build_services, db_timeouts, workspace_tokens
    from .settings import Settings
    from ..storage.db import make_engine

    settings = Settings()
    engine = make_engine(settings.database_url, db_timeouts(settings))
    _services = build_services(settings, engine)
    _clients = workspace_tokens(settings, engine)


def _run(work_id: int, request: str | None) -> None:
    assert _services is not None and _clients is not None, "the child was not started by WorkProcesses"
    with request_id.for_request(request):
        run_accepted(_services, _clients, work_id)


class WorkProcesses:
    """`run(work_id)` runs that outbox row in a child and returns when it is done (or raises its error).

    Create it before the process starts any thread or opens a database connection: the children
    are forked then, all at once, and inherit nothing else."""

    def __init__(self, processes: int, nice: int = NICE) -> None:
        self._pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_start_child, initargs=(nice,))
        wait([self._pool.submit(os.getpid) for _ in range(processes)])

    def run(self, work_id: int) -> None:
        """Run the row in a child, logging under the current request's id."""
        self._pool.submit(_run, work_id, request_id.current()).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
