"""The niche index as blobs: postings (compressed bitmaps of creator ids) and score columns.

A workspace's creators are split by id into chunks of 2**16. For each chunk the index holds
- one Roaring bitmap (pyroaring) per (term, weight): the creators under that term whose
  best field for it has that weight;
- one packed array per score column, aligned with the chunk's sorted `ids` column.
A search reads the bitmaps of its terms and the columns it needs (a few MB at a million
creators) and works out the pool, the exclusion counts and the ranking in memory with
numpy: no per-creator row is visited in SQL. A write re-encodes only the blobs of the
chunks and keys its creators touch, under a per-workspace lock on PostgreSQL (SQLite's
writers are serialised already), so two imports at once never lose each other's changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pyroaring import BitMap
from sqlalchemy import Select, delete, func, select, text, tuple_
from sqlalchemy.orm import Session

from ...influence.platforms import Platform
from ...influence.terms import WEIGHT_BIO, WEIGHT_CATEGORY, WEIGHT_TOPICS
from ...influence.tiers import Tier
from .. import unmapped
from . import column_cache
from ..models import IndexBlob, IndexedCreator

CHUNK_BITS = 16
IN_LIST = 500  # keys per IN (...) list

PLATFORMS = tuple(p.value for p in Platform)
TIERS = (None, *(t.value for t in Tier))  # code 0: no tier (no follower count)

# columns: name -> numpy dtype; a missing number is -1 (price) or NaN
COLUMNS = {"ids": np.uint32, "price": np.int64, "engagements": np.float64, "impressions": np.float64,
           "er": np.float64, "codes": np.uint8}
_MISSING = {"ids": 0, "price": -1, "engagements": np.nan, "impressions": np.nan, "er": np.nan, "codes": 0}
BLOCKED_BIT = 0x80
WEIGHTS = (WEIGHT_TOPICS, WEIGHT_CATEGORY, WEIGHT_BIO)


def posting_key(term: str, weight: int) -> str:
    return f"t:{term}:{weight}"


def column_key(name: str) -> str:
    return f"c:{name}"


def encode_codes(platform: str, tier: str | None, blocked: bool) -> int:
    return PLATFORMS.index(platform) | (TIERS.index(tier) << 2) | (BLOCKED_BIT if blocked else 0)


def platform_code(platform: str) -> int:
    return PLATFORMS.index(platform)


def tier_code(tier: str | None) -> int:
    return TIERS.index(tier)


def platform_codes(codes: np.ndarray) -> np.ndarray:
    """The platform code of each entry of a `codes` column (see encode_codes)."""
    return codes & 0x03


def tier_codes(codes: np.ndarray) -> np.ndarray:
    return (codes >> 2) & 0x07


def blocked(codes: np.ndarray) -> np.ndarray:
    return (codes & BLOCKED_BIT) != 0


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index holds of one creator: its terms and the scores a search ranks by."""

    terms: Mapping[str, int]  # term -> weight of the best field it came from
    price_cents: int | None
    engagements: float | None
    impressions: float | None
    er_pct: float | None
    codes: int

    def values(self) -> dict[str, float | int]:
        return {"price": -1 if self.price_cents is None else self.price_cents,
                "engagements": np.nan if self.engagements is None else self.engagements,
                "impressions": np.nan if self.impressions is None else self.impressions,
                "er": np.nan if self.er_pct is None else self.er_pct, "codes": self.codes}


# ---------------------------------------------------------------- writing

def _lock(session: Session, team_id: str) -> None:
    """Serialise index writers of one workspace (their read-modify-write of shared blobs)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"search_index:{team_id}"})


def format_terms(terms: Mapping[str, int]) -> str:
    """A creator's terms as search_terms stores them: `term=weight` lines."""
    return "\n".join(f"{term}={weight}" for term, weight in sorted(terms.items()))


def _parse_terms(stored: str) -> dict[str, int]:
    out = {}
    for line in stored.splitlines():
        term, _, weight = line.rpartition("=")
        out[term] = int(weight)
    return out


def write(session: Session, team_id: str, entries: Mapping[int, Entry | None]) -> None:
    """Put these creators in the index as `entries` says (None or no terms: out of it)."""
    if not entries:
        return
    _lock(session, team_id)
    ids = sorted(entries)
    old: dict[int, dict[str, int]] = {}
    for start in range(0, len(ids), IN_LIST):
        for cid, terms in session.execute(select(IndexedCreator.creator_id, IndexedCreator.terms).where(
                IndexedCreator.team_id == team_id, IndexedCreator.creator_id.in_(ids[start:start + IN_LIST]))):
            old[cid] = _parse_terms(terms)
    adds: dict[tuple[str, int], list[int]] = defaultdict(list)
    removes: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows: dict[int, dict[str, float | int] | None] = {}  # column values by creator (None: remove)
    for cid in ids:
        entry = entries[cid]
        chunk = cid >> CHUNK_BITS
        before = {posting_key(t, w) for t, w in old.get(cid, {}).items()}
        after = {posting_key(t, w) for t, w in entry.terms.items()} if entry else set()
        for key in before - after:
            removes[(key, chunk)].append(cid)
        for key in after - before:
            adds[(key, chunk)].append(cid)
        rows[cid] = entry.values() if after else None
    _update_postings(session, team_id, adds, removes)
    _update_columns(session, team_id, rows)
    column_cache.bump(session, team_id)
    for start in range(0, len(ids), IN_LIST):
        session.execute(delete(IndexedCreator).where(IndexedCreator.team_id == team_id,
                                                     IndexedCreator.creator_id.in_(ids[start:start + IN_LIST])))
    fresh = [{"creator_id": cid, "team_id": team_id, "terms": format_terms(e.terms)}
             for cid in ids if (e := entries[cid]) is not None and e.terms]
    for start in range(0, len(fresh), 5_000):
        session.execute(IndexedCreator.__table__.insert(), fresh[start:start + 5_000])


def _load(session: Session, team_id: str, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
    wanted = sorted(set(wanted))
    found: dict[tuple[str, int], bytes] = {}
    b = IndexBlob
    for start in range(0, len(wanted), IN_LIST):
        part = wanted[start:start + IN_LIST]
        for key, chunk, data in session.execute(select(b.key, b.chunk, b.data).where(
                b.team_id == team_id, tuple_(b.key, b.chunk).in_(part))):
            found[(key, chunk)] = bytes(data)
    return found


def _store(session: Session, team_id: str, blobs: Mapping[tuple[str, int], tuple[int, bytes] | None],
           existing: Iterable[tuple[str, int]]) -> None:
    """Write blobs (None: delete): the existing ones are replaced, the rest inserted."""
    gone = sorted(existing)
    b = IndexBlob
    for start in range(0, len(gone), IN_LIST):
        session.execute(delete(b).where(b.team_id == team_id, tuple_(b.key, b.chunk).in_(gone[start:start + IN_LIST])))
    rows = [{"team_id": team_id, "key": key, "chunk": chunk, "n": value[0], "data": value[1]}
            for (key, chunk), value in sorted(blobs.items()) if value is not None]
    for start in range(0, len(rows), 2_000):
        session.execute(b.__table__.insert(), rows[start:start + 2_000])


def _update_postings(session: Session, team_id: str, adds: Mapping[tuple[str, int], list[int]],
                     removes: Mapping[tuple[str, int], list[int]]) -> None:
    keys = set(adds) | set(removes)
    if not keys:
        return
    found = _load(session, team_id, keys)
    blobs: dict[tuple[str, int], tuple[int, bytes] | None] = {}
    for key in keys:
        bits = BitMap.deserialize(found[key]) if key in found else BitMap()
        if key in removes:
            bits.difference_update(BitMap(removes[key]))
        if key in adds:
            bits.update(adds[key])
        if bits:
            bits.run_optimize()
            blobs[key] = (len(bits), bits.serialize())
        else:
            blobs[key] = None
    _store(session, team_id, blobs, found)


def _update_columns(session: Session, team_id: str, rows: Mapping[int, dict[str, float | int] | None]) -> None:
    by_chunk: dict[int, list[int]] = defaultdict(list)
    for cid in rows:
        by_chunk[cid >> CHUNK_BITS].append(cid)
    keys = [(column_key(name), chunk) for chunk in by_chunk for name in COLUMNS]
    found = _load(session, team_id, keys)
    blobs: dict[tuple[str, int], tuple[int, bytes] | None] = {}
    for chunk, cids in by_chunk.items():
        cols = {name: np.frombuffer(found.get((column_key(name), chunk), b""), dtype=dtype).copy()
                for name, dtype in COLUMNS.items()}
        keep = ~np.isin(cols["ids"], np.asarray(cids, dtype=np.uint32))
        new = sorted(cid for cid in cids if rows[cid] is not None)
        merged = {name: np.concatenate([col[keep], np.asarray(
            new if name == "ids" else [rows[cid][name] for cid in new],  # type: ignore[index]
            dtype=COLUMNS[name])]) for name, col in cols.items()}
        order = np.argsort(merged["ids"], kind="stable")
        for name, col in merged.items():
            blobs[(column_key(name), chunk)] = (len(col), col[order].tobytes()) if len(col) else None
    _store(session, team_id, blobs, found)


# ---------------------------------------------------------------- reading

def postings(session: Session, team_id: str, terms: Sequence[str]) -> dict[str, dict[int, BitMap]]:
    """term -> weight -> the creators under that term with that weight (all chunks)."""
    out: dict[str, dict[int, BitMap]] = defaultdict(dict)
    if not terms:
        return out
    by_key = {}
    for term in terms:
        for weight in WEIGHTS:
            by_key[posting_key(term, weight)] = (term, weight)
    b = IndexBlob
    for key, data in _fetch(session, select(b.key, b.data).where(b.team_id == team_id, b.key.in_(sorted(by_key)))
                            .order_by(b.key, b.chunk)):
        term, weight = by_key[key]
        bits = BitMap.deserialize(data)
        if weight in out[term]:
            out[term][weight] |= bits
        else:
            out[term][weight] = bits
    return out


def columns(session: Session, team_id: str, names: Sequence[str], *, chunk: int | None = None
            ) -> dict[str, np.ndarray]:
    """The score columns of every indexed creator of the workspace (or of one chunk), aligned by id order;
    the whole workspace's are kept between requests while unchanged (column_cache), read-only."""
    if chunk is None:
        return column_cache.columns(session, team_id, names, lambda wanted: _read_columns(session, team_id, wanted))
    return _read_columns(session, team_id, names, chunk=chunk)


def _read_columns(session: Session, team_id: str, names: Sequence[str], *, chunk: int | None = None
                  ) -> dict[str, np.ndarray]:
    parts: dict[str, list[bytes]] = {name: [] for name in names}
    b = IndexBlob
    keys = {column_key(name): name for name in names}
    query = select(b.key, b.data).where(b.team_id == team_id, b.key.in_(sorted(keys)))
    if chunk is not None:
        query = query.where(b.chunk == chunk)
    for key, data in _fetch(session, query.order_by(b.key, b.chunk)):
        parts[keys[key]].append(data)
    return {name: np.frombuffer(b"".join(chunks), dtype=COLUMNS[name]) for name, chunks in parts.items()}


def indexed_terms(session: Session, team_id: str, creator_id: int) -> dict[str, int] | None:
    """One creator's terms as the postings hold them (term -> weight), or None if it is not indexed."""
    stored = session.scalar(select(IndexedCreator.terms).where(IndexedCreator.team_id == team_id,
                                                               IndexedCreator.creator_id == creator_id),
                            execution_options=unmapped.options(session))
    return None if stored is None else _parse_terms(stored)


def indexed_terms_of(session: Session, team_id: str, creator_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """indexed_terms for many creators at once (those not indexed are left out). Scattered rows:
    read unmapped (storage/unmapped.py)."""
    out, options = {}, unmapped.options(session)
    for start in range(0, len(creator_ids), IN_LIST):
        rows = session.execute(select(IndexedCreator.creator_id, IndexedCreator.terms).where(
            IndexedCreator.team_id == team_id, IndexedCreator.creator_id.in_(creator_ids[start:start + IN_LIST])),
            execution_options=options)
        out.update({cid: _parse_terms(text) for cid, text in rows})
    return out


def _fetch(session: Session, query: Select) -> list[tuple[str, bytes]]:  # type: ignore[type-arg]
    """(key, blob) rows. On PostgreSQL in binary format: bytea in the default text format
    arrives hex-encoded, twice the bytes plus a decode (measured: 21 MB of columns took
    ~120 ms that way, ~40 ms in binary)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [(key, data) for key, data in connection.execute(query)]
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    with connection.connection.driver_connection.cursor(binary=True) as cursor:
        cursor.execute(str(compiled), compiled.params)
        return cursor.fetchall()


def term_frequencies(session: Session, team_id: str, prefix: str, limit: int) -> list[tuple[str, int]]:
    """The most frequent indexed terms starting with `prefix`: (term, creators), most first."""
    b = IndexBlob
    start = posting_key(prefix, 0)[:-2]  # "t:<prefix>"
    counts: dict[str, int] = defaultdict(int)
    for key, n in session.execute(select(b.key, b.n).where(b.team_id == team_id, b.key >= start,
                                                           b.key < start + "\uffff")):
        counts[key[2:].rpartition(":")[0]] += n  # a creator is under one weight of a term
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def document_frequencies(session: Session, team_id: str, terms: Collection[str]) -> dict[str, int]:
    """How many creators of the workspace carry each term (a creator is under one weight of a term).
    Read through the mapping, unlike search_terms: the blob reads map these pages anyway, and
    mapped they answer faster (measured 3.0 vs 3.9 ms for 30 terms)."""
    by_key = {posting_key(term, weight): term for term in terms for weight in WEIGHTS}
    counts: dict[str, int] = dict.fromkeys(terms, 0)
    b = IndexBlob
    keys = sorted(by_key)
    for start in range(0, len(keys), IN_LIST):
        for key, n in session.execute(select(b.key, b.n).where(b.team_id == team_id,
                                                               b.key.in_(keys[start:start + IN_LIST]))):
            counts[by_key[key]] += n
    return counts


def indexed_count(session: Session, team_id: str) -> int:
    """Creators in the workspace's index (the length of its ids column)."""
    b = IndexBlob
    return int(session.scalar(select(func.coalesce(func.sum(b.n), 0)).where(
        b.team_id == team_id, b.key == column_key("ids"))) or 0)
