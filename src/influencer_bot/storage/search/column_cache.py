"""The score columns of a workspace, kept in the process between requests while they are unchanged.

Every find and lookalike judges its pool by the workspace's score columns (ids, price, value,
codes): at a million creators ~21 MB read and joined per request, ~40 ms of a lookalike's ~100
(measured). They change only when the index is written, so each write bumps a generation number
stored beside them (one `search_index` row, key GEN_KEY, in the writer's own transaction), and a
reader reuses its copy while the generation its transaction sees is the one the copy was read at.
Snapshots make that exact: the generation and the columns are read in the same transaction.
A database no writer of this version has touched has no generation yet (until migration 0011 adds
it): then nothing is cached. Entries also expire after MAX_AGE_S, in case a process of an older
version (a rolling deploy) writes without bumping.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from time import monotonic

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import IndexBlob

GEN_KEY = "g:columns"
MAX_AGE_S = 60.0
MAX_WORKSPACES = 4  # ~21 MB each at a million creators; least recently used go first

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], tuple[int, float, dict[str, np.ndarray]]] = OrderedDict()


def bump(session: Session, team_id: str) -> None:
    """The workspace's columns change in this transaction: readers must not reuse older copies."""
    b = IndexBlob
    done = session.execute(update(b).where(b.team_id == team_id, b.key == GEN_KEY, b.chunk == 0)
                           .values(n=b.n + 1)).rowcount
    if not done:
        session.add(IndexBlob(team_id=team_id, key=GEN_KEY, chunk=0, n=first_generation(), data=b""))
        session.flush()


def first_generation() -> int:
    """A random start, so that a workspace purged and filled again never repeats a generation that a
    process still holds columns for."""
    return secrets.randbelow(2**30)


def generation(session: Session, team_id: str) -> int | None:
    b = IndexBlob
    return session.scalar(select(b.n).where(b.team_id == team_id, b.key == GEN_KEY, b.chunk == 0))


def columns(session: Session, team_id: str, names: Sequence[str],
            read: Callable[[Sequence[str]], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """`read(names)`, or the copies read at the generation this transaction sees (read-only arrays)."""
    gen = generation(session, team_id)
    if gen is None:
        return read(names)
    key, now = (str(session.get_bind().url), team_id), monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == gen and now - hit[1] < MAX_AGE_S:
            _cache.move_to_end(key)
            have = hit[2]
        else:
            have = {}
    missing = [n for n in names if n not in have]
    if missing:
        fresh = read(missing)
        for array in fresh.values():
            array.flags.writeable = False  # shared between requests: nobody may change a copy in place
        have = {**have, **fresh}
        with _lock:
            current = _cache.get(key)
            if current is not None and current[0] == gen and now - current[1] < MAX_AGE_S:
                have = {**current[2], **fresh}  # another request's columns of the same generation too
                now = current[1]
            _cache[key] = (gen, now, have)
            _cache.move_to_end(key)
            while len(_cache) > MAX_WORKSPACES:
                _cache.popitem(last=False)
    return {n: have[n] for n in names}


def clear() -> None:
    with _lock:
        _cache.clear()
