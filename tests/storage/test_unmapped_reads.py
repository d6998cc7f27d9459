"""Scattered-row reads through the unmapped view of the SQLite file (storage/unmapped.py), and the
bound on the lookalike's cache of document frequencies.

The view must give the answers the main schema gives: it is the same file, and it is used only
while the transaction has written nothing (a transaction that just indexed a creator must see it).
"""

from __future__ import annotations

from sqlalchemy import select, text

from conftest import TEAM
from factories import add, baker
from influencer_bot.storage import unmapped
from influencer_bot.storage.db import make_engine, reading, transaction
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.models import Creator
from influencer_bot.storage.search import index, lookalike

BAKERS = [
    baker("crumbandrye", 25_000, 1_200, price_usd=700, topics="#sourdough #veganbaking #rye #instagood",
          bio="Slow sourdough, plant-based bakes"),
    baker("panmasamadre", 30_000, 1_500, price_usd=650, topics="#masamadre #sourdough #panvegano #love",
          bio="Pan de masa madre 🌾"),
    baker("gf_crumbs", 12_000, 700, price_usd=300, topics="#glutenfree #veganbaking #glutenfreebaking",
          bio="Gluten-free and vegan | DM for collabs"),
]


def _ids(session) -> list[int]:  # type: ignore[no-untyped-def]
    return list(session.scalars(text("SELECT id FROM creators ORDER BY id")))


def _reads(session, ids: list[int]) -> tuple[dict, dict, dict]:  # type: ignore[no-untyped-def]
    terms = index.indexed_terms_of(session, TEAM, ids)
    words = {t for ts in terms.values() for t in ts} | {"nosuchterm"}
    return terms, index.indexed_terms(session, TEAM, ids[-1]), index.document_frequencies(session, TEAM, words)


def test_terms_and_frequencies_read_unmapped_equal_those_read_from_the_main_schema(engine, session_factory,
                                                                                   monkeypatch):
    add(session_factory, TEAM, *BAKERS)
    with transaction(session_factory) as session:
        ids = _ids(session)
        through = unmapped.options(session)
        if engine.dialect.name == "sqlite":
            assert through == {"schema_translate_map": {None: unmapped.UNMAPPED}}
            conn = session.connection()
            assert conn.exec_driver_sql(f"PRAGMA {unmapped.UNMAPPED}.mmap_size").scalar() == 0
            assert conn.exec_driver_sql("PRAGMA main.mmap_size").scalar() > 0
        else:
            assert through == {}  # PostgreSQL maps nothing
        read = _reads(session, ids)
        monkeypatch.setattr(unmapped, "options", lambda _session: {})
        assert _reads(session, ids) == read  # the same rows through the main schema
    terms, last, frequencies = read
    assert len(terms) == 3 and last == terms[ids[-1]] and frequencies["nosuchterm"] == 0
    assert max(frequencies.values()) >= 2  # the bakers share terms: counted across creators


def test_a_transaction_that_has_written_reads_its_own_writes(engine, session_factory):
    """After an import in the same transaction, the reads fall back to the main schema: the
    read-only view would not see the uncommitted rows."""
    add(session_factory, TEAM, *BAKERS[:1])
    with transaction(session_factory) as session:
        upsert_creators(session, TEAM, BAKERS[1:], source="test")
        assert unmapped.options(session) == {}
        ids = _ids(session)
        terms, last, frequencies = _reads(session, ids)
    assert len(terms) == 3 and last and last == terms[ids[-1]]  # the creators this transaction indexed
    assert all(frequencies[t] >= 1 for t in last)
    with transaction(session_factory) as session:  # a fresh transaction reads unmapped again
        assert unmapped.options(session) == ({"schema_translate_map": {None: unmapped.UNMAPPED}}
                                             if engine.dialect.name == "sqlite" else {})


def test_the_document_frequency_cache_never_holds_more_than_its_bound(session_factory, monkeypatch):
    add(session_factory, TEAM, *BAKERS)
    monkeypatch.setattr(lookalike, "DF_CACHE_MAX", 4)
    monkeypatch.setattr(lookalike, "_df_cache", {})
    with transaction(session_factory) as session:
        words = sorted({t for ts in index.indexed_terms_of(session, TEAM, _ids(session)).values() for t in ts
                        if not t.startswith("+")})[:7]
        assert len(words) == 7
        for size in (3, 7, 2, 7):  # some fit, some overflow it, one alone is larger than the bound
            got = lookalike._frequencies(session, TEAM, set(words[:size]))
            assert got == index.document_frequencies(session, TEAM, set(words[:size]))
            assert len(lookalike._df_cache) <= 4
        assert session.query(Creator).count() == 3


def test_a_read_only_session_sees_one_snapshot_through_both_views(engine, session_factory):
    """A search (db.reading) lets writers commit meanwhile; what it reads unmapped must still be what
    it read through the main schema, not a newer commit made after its BEGIN."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL has one view: nothing to compare
    add(session_factory, TEAM, *BAKERS)
    other = make_engine(engine.url.render_as_string(hide_password=False))  # another process's writer
    followers = select(Creator.followers).where(Creator.handle == "crumbandrye")  # a Table: the map applies
    try:
        with reading(session_factory) as session:
            before = session.execute(followers).scalar_one()
            with other.begin() as conn:  # commits after this session's BEGIN
                conn.execute(text("UPDATE creators SET followers = followers + 1 WHERE handle = 'crumbandrye'"))
            through = session.execute(followers, execution_options=unmapped.options(session)).scalar_one()
            assert unmapped.options(session)  # the unmapped view was used
            assert through == before
        with reading(session_factory) as session:
            assert session.execute(followers, execution_options=unmapped.options(session)).scalar_one() == before + 1
    finally:
        other.dispose()
