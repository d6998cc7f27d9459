"""Creators like a given one (`find like:@handle`): cosine of IDF-weighted terms (influence/similarity).

Cost is bounded by the seed, not the workspace: the seed's distinctive terms (IDF > 0) give,
from their postings, every creator sharing at least one of them and the dot product with the
seed (numpy over the postings). The platform and tier options are applied there; the
CANDIDATES best by dot product then have their own full vectors read (search_terms, one
query) for the exact cosine. Those at MIN_SIMILARITY or more form the pool, judged by the same
exclusion tests as a niche's (niche_match.score_pool) with value = base value × similarity.

Candidates are found through the seed's narrow terms (carried by at most RECALL_SHARE of the
workspace, or RECALL_ANY creators): broad ones add little to any cosine and much to
the postings read (a seed with none: its BROAD_TERMS rarest). Exactness: the optimiser's answer is exact over the pool. A creator outside
the CANDIDATES best by that dot product could have a higher cosine only with a much smaller
norm (few other terms); CANDIDATES (400) is 20 times the longest shortlist.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from time import monotonic

import numpy as np
from sqlalchemy.orm import Session

from ...influence.errors import NotFound
from ...influence.similarity import MIN_SIMILARITY, idf, norm, shared_terms, vector, vector_norm
from ...influence.synonyms import REPEATED
from ...influence.terms import written_forms
from ...influence.platforms import Platform
from ..creators.views import CreatorView, find_by_handle, similar_handles
from . import index
from .niche_match import Filters, Match, on_platform_and_tier, pool_columns, score_pool, word_weights

CANDIDATES = 400  # compared exactly (full vectors); a shortlist holds at most 20
RECALL_SHARE = 0.05  # candidates come through the seed's terms carried by at most 5% of the workspace
RECALL_ANY = 2_000  # ... or by at most this many: a small workspace reads all of its postings
BROAD_TERMS = 5  # a seed with no such term: through its 5 rarest
DF_TTL_S = 600.0  # document frequencies are cached this long per process (they move slowly)
DF_CACHE_MAX = 100_000  # entries (~260 bytes each: ~26 MB); a lookalike reads a few thousand
_df_cache: dict[tuple[str, str, str], tuple[float, int]] = {}  # (database, workspace, term) -> (when, df)


def _frequencies(session: Session, team_id: str, terms: set[str]) -> dict[str, int]:
    """index.document_frequencies through a per-process cache: a lookalike reads the frequencies of
    a few thousand terms, mostly the same from one request to the next."""
    now, db = monotonic(), str(session.get_bind().url)
    out, missing = {}, set()
    for t in terms:
        hit = _df_cache.get((db, team_id, t))
        if hit is not None and now - hit[0] < DF_TTL_S:
            out[t] = hit[1]
        else:
            missing.add(t)
    if missing:
        fresh = index.document_frequencies(session, team_id, missing)
        if len(_df_cache) + len(fresh) > DF_CACHE_MAX:  # full: start over rather than track ages
            _df_cache.clear()
        _df_cache.update({(db, team_id, t): (now, n) for t, n in list(fresh.items())[:DF_CACHE_MAX]})
        out |= fresh
    return out


@dataclass(frozen=True, slots=True)
class Lookalikes:
    found: Match  # the similar creators (relevance = cosine similarity), as a niche's pool
    seed: Seed | None = None
    terms: dict[int, dict[str, int]] | None = None  # the compared creators' indexed terms

    def shared(self, creator_id: int) -> list[str]:
        """The seed's terms this creator shares most, as the seed wrote them."""
        if self.seed is None or self.terms is None:
            return []
        return shared_terms(self.seed.vector, vector(self.terms.get(creator_id, {}), self.seed.idfs), self.seed.forms)


def seed_named(session: Session, team_id: str, handle: str, platform: Platform | None) -> CreatorView:
    """The creator to look like: the one on `platform` when the handle is on several, else the one
    with the most followers; NotFound with the nearest handles when there is none."""
    views = find_by_handle(session, team_id, handle)
    if not views:
        hints = similar_handles(session, team_id, handle)
        hint = f" Did you mean {', '.join('@' + h for h in hints)}?" if hints else ""
        raise NotFound(f"No creator @{handle} in this workspace to look like.{hint}",
                       f"/influencer find like:@{hints[0]} 2000" if hints else "/influencer find like:@veganbakes 2000")
    return next((v for v in views if platform and v.creator.platform == platform.value), views[0])


@dataclass(frozen=True, slots=True)
class Seed:
    """The seed's IDF-weighted vector, the IDFs known so far, and the workspace's size."""

    vector: dict[str, float]
    idfs: dict[str, float]
    creators: int
    forms: dict[str, str]  # term -> the seed's own tag or word

    def learn(self, session: Session, team_id: str, terms: Iterable[str]) -> None:
        """Look up the IDFs of terms not seen yet (one query for all)."""
        unseen = {t for t in terms if not t.startswith(REPEATED)} - self.idfs.keys()
        self.idfs.update({t: idf(n, self.creators) for t, n in _frequencies(session, team_id, unseen).items()})


def seed_vector(session: Session, team_id: str, seed: CreatorView) -> Seed:
    c = seed.creator
    terms = index.indexed_terms(session, team_id, c.id)
    if not terms:
        raise NotFound(f"@{c.handle} has no topics, category or bio to compare with: add some (an import or "
                       "`/influencer creator` shows what it has), or search by niche.",
                       "/influencer find like:@veganbakes 2000")
    s = Seed({}, {}, index.indexed_count(session, team_id), written_forms(c.topics, c.category, c.bio))
    s.learn(session, team_id, terms)
    s.vector.update(vector(terms, s.idfs))
    return s


@dataclass(frozen=True, slots=True)
class Alike:
    similarity: float
    shared: list[str]


def alike(session: Session, team_id: str, seed: CreatorView, terms: dict[str, int]) -> Alike:
    """How alike one creator (its indexed terms) is to the seed, and what they share."""
    s = seed_vector(session, team_id, seed)
    s.learn(session, team_id, terms)
    other = vector(terms, s.idfs)
    dot = sum(w * other.get(t, 0.0) for t, w in s.vector.items())
    return Alike(dot / ((norm(s.vector) * norm(other)) or 1.0), shared_terms(s.vector, other, s.forms))


def similar(session: Session, team_id: str, seed: CreatorView, f: Filters, rejected: Collection[int] = ()
            ) -> Lookalikes:
    """The creators like `seed` (never itself), on `f.platform` and `f.tier` when given."""
    s = seed_vector(session, team_id, seed)
    if not s.vector:  # nothing distinctive: every term is on most creators, or on it alone
        return Lookalikes(Match(0, {}, *(np.zeros(0, t) for t in (np.uint32, np.int64, float, float)),
                                np.zeros((0, 1), bool)))
    # the broad terms add little to any cosine and much to the postings read: rank by the narrow ones
    narrow_idf = math.log(s.creators / max(RECALL_SHARE * s.creators, RECALL_ANY))
    narrow = [t for t in sorted(s.vector) if s.idfs[t] >= narrow_idf]
    terms = narrow or sorted(s.vector, key=lambda t: -s.idfs[t])[:BROAD_TERMS]
    ids, weights = word_weights(session, team_id, [frozenset({t}) for t in terms])
    dots = np.zeros(len(ids), dtype=np.float32)
    for j, t in enumerate(terms):  # a column at a time: no pool × terms matrix of floats
        dots += weights[:, j] * np.float32(s.idfs[t] * s.vector[t])
    cols = pool_columns(session, team_id, f)
    pos = np.searchsorted(cols["ids"], ids)
    known = pos < len(cols["ids"])
    known[known] = cols["ids"][pos[known]] == ids[known]
    keep = known & (ids != seed.creator.id)
    keep[keep] = on_platform_and_tier(cols["codes"][pos[keep]], f)
    ids, dots = ids[keep], dots[keep]
    if len(ids) > CANDIDATES:
        top = np.argpartition(-dots, CANDIDATES - 1)[:CANDIDATES]
        ids, dots = ids[top], dots[top]
    full = index.indexed_terms_of(session, team_id, ids.tolist())
    s.learn(session, team_id, {t for ts in full.values() for t in ts})
    seed_norm = norm(s.vector)
    cos = np.array([dot / (seed_norm * (vector_norm(full.get(cid, {}), s.idfs) or 1.0))
                    for cid, dot in zip(ids.tolist(), dots)])
    close = cos >= MIN_SIMILARITY
    order = np.argsort(ids[close])
    ids, cos = ids[close][order], cos[close][order]
    found = score_pool(session, team_id, ids, cos, np.ones((len(ids), 1), bool), f, rejected, cols)
    return Lookalikes(found, s, full)
