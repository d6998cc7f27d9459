"""Graceful stop for `influencer-bot run` and `scheduler`: SIGTERM (or Ctrl-C) ends them in bounded time.

On the signal the listening socket closes at once, so a load balancer or `docker compose` sends new
requests to another replica and /healthz stops answering. Requests already read are answered, and
the work queued after their acks (Bolt's listener executor, the scheduler's running jobs) is given
until SHUTDOWN_GRACE_S has passed; then the process exits 0. Work still running at that point is
named in the log and abandoned (os._exit), because Python would otherwise wait for it forever.
A second Ctrl-C or SIGTERM during the grace period exits at once (status 128 + the signal number).

Waitress has no graceful stop of its own (its run() ends on KeyboardInterrupt and cancels queued
requests), so `serve_until_stopped` drives its event loop one poll at a time instead.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from waitress import wasyncore

log = logging.getLogger("influencer_bot.lifecycle")

Drain = tuple[str, Callable[[], None]]  # what it is (for the log), and a call that returns once it is done
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_requested(wake: Callable[[], None] = lambda: None) -> Iterator[threading.Event]:
    """An event that the first SIGTERM or SIGINT sets (calling `wake` too); a second one exits at once."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        for sig in STOP_SIGNALS:
            signal.signal(sig, at_once)
        log.info("%s received: no new work; finishing what is in hand", signal.Signals(signum).name)
        stop.set()
        wake()

    def at_once(signum: int, _frame: Any) -> None:
        log.warning("second %s: exiting now, abandoning the work in hand", signal.Signals(signum).name)
        logging.shutdown()
        os._exit(128 + signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_until_stopped(server: Any, *, grace_s: float, drains: Sequence[Drain] = ()) -> list[str]:
    """Run a waitress server until SIGTERM/SIGINT, then drain it within `grace_s` seconds.

    Returns what was still running when the time was up (empty when everything finished)."""
    with stop_requested(wake=server.pull_trigger) as stop:
        while not stop.is_set():
            _poll(server, server.adj.asyncore_loop_timeout)
        deadline = time.monotonic() + grace_s
        _stop_listening(server)
        while _answering(server) and time.monotonic() < deadline:
            _poll(server, min(0.2, max(0.0, deadline - time.monotonic())))
        unanswered = _answering(server)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=max(0.0, deadline - time.monotonic()))
        left = finish_within(drains, deadline)
    server.trigger.close()
    return (["HTTP requests"] if unanswered else []) + left


def finish_within(drains: Sequence[Drain], deadline: float) -> list[str]:
    """Run every drain at once, each in its own thread; the names of those not done by `deadline`."""
    threads = []
    for name, call in drains:
        thread = threading.Thread(target=_logged(name, call), name=f"drain {name}", daemon=True)
        thread.start()
        threads.append((name, thread))
    for _name, thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    return [name for name, thread in threads if thread.is_alive()]


def exit_after(left: Sequence[str], grace_s: float) -> None:
    """Log how the stop went; abandon work still running after the grace period (exit status 0)."""
    if not left:
        log.info("stopped cleanly")
        return
    log.warning("still running after SHUTDOWN_GRACE_S=%ss, abandoned: %s", grace_s, ", ".join(left))
    logging.shutdown()
    os._exit(0)


def _logged(name: str, call: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            call()
        except Exception:  # noqa: BLE001 - a failing drain must not stop the others
            log.exception("stopping %s failed", name)
    return run


def _poll(server: Any, timeout: float) -> None:
    wasyncore.loop(timeout=timeout, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)


def _stop_listening(server: Any) -> None:
    """Close the listening socket (not the trigger, which still wakes the loop) and idle keep-alives."""
    server.accepting = False
    wasyncore.dispatcher.close(server)
    for channel in list(server.active_channels.values()):
        if not channel.requests:
            channel.will_close = True


def _answering(server: Any) -> bool:
    return any(ch.requests or ch.total_outbufs_len for ch in list(server.active_channels.values()))
