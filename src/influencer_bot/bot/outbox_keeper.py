"""Keeps the outbox moving in a running process: renews its leases, claims what is due, prunes.

Every few seconds (a third of the lease) it renews the leases of the rows this process holds,
so no other process takes them; then it claims due rows nobody holds (those of a process that
died, work released to be retried later, and work other code enqueued, storage/outbox.py) and
queues them. Its first pass runs at start-up: that is how work accepted before a crash resumes.
Finished rows are kept for a day, long after Slack stops retrying a delivery, then deleted.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from slack_sdk import WebClient

from ..handlers.accepted_work import hand_over
from ..handlers.services import Services
from ..handlers.workspace_clients import WorkspaceClients, as_clients
from ..storage import outbox
from ..storage.db import transaction
from .work_queue import WorkQueue

log = logging.getLogger("influencer_bot.work")

KEEP_FINISHED = timedelta(days=1)
PRUNE_EVERY = 100  # passes


class OutboxKeeper:
    def __init__(self, services: Services, clients: WorkspaceClients | WebClient, queue: WorkQueue) -> None:
        """`clients`: each resumed row runs with its own workspace's token."""
        self.services, self.clients, self.queue = services, as_clients(clients), queue
        self.interval_s = max(0.2, queue.lease_s / 3)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="outbox-keeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        passes = 0
        while not self._stop.is_set():
            try:
                self.run_once(prune=passes % PRUNE_EVERY == 0)
            except Exception:  # the database may be down: try again next pass
                log.warning("outbox pass failed", exc_info=True)
            passes += 1
            self._stop.wait(self.interval_s)

    def run_once(self, *, prune: bool = False) -> int:
        """One pass; returns how many rows it claimed and queued."""
        q, s = self.queue, self.services
        with transaction(s.sessions) as session:
            outbox.renew(session, q.owner, q.lease_s)
        with transaction(s.sessions) as session:
            claimed = outbox.claim_due(session, q.owner, q.lease_s, limit=max(1, q.max_queued - q.depth))
            kinds = dict(session.execute(outbox.kinds_of(claimed)).all()) if claimed else {}
        for work_id in claimed:
            if not hand_over(q, s, self.clients, work_id, f"resumed {kinds.get(work_id, 'work')}"):
                with transaction(s.sessions) as session:
                    outbox.release(session, work_id, delay_s=q.lease_s)
        if claimed:
            log.info("resumed %d accepted piece(s) of work", len(claimed))
        if prune:
            with transaction(s.sessions) as session:
                outbox.purge_finished(session, KEEP_FINISHED)
        return len(claimed)
