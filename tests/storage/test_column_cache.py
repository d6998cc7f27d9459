"""Score columns kept between requests (storage/search/column_cache.py): reused while the index is
unchanged, never once it has changed, in this process or another."""

from __future__ import annotations

from sqlalchemy import delete

from conftest import TEAM
from factories import add, baker
from influencer_bot.influence.find_query import parse_find
from influencer_bot.storage.db import make_engine, make_session_factory, reading, transaction
from influencer_bot.storage.models import IndexBlob
from influencer_bot.storage.search import column_cache, finder, index

BAKERS = [baker("crumbs", 20_000, 800, price_usd=600, topics="#veganbaking #pflanzlich"),
          baker("sift", 8_000, 400, price_usd=300, topics="#veganbaking #reposteríavegana"),
          baker("masamadre", 12_000, 500, price_usd=450, topics="#veganbaking #masamadre #instagood")]


def _prices(session_factory) -> dict[int, int]:  # type: ignore[no-untyped-def]
    with reading(session_factory) as session:
        cols = index.columns(session, TEAM, ["ids", "price"])
    return dict(zip(cols["ids"].tolist(), cols["price"].tolist()))


def _picked_prices(session_factory, text: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with reading(session_factory) as session:
        proposal = finder.propose(session, TEAM, parse_find(text))
    return {p.view.creator.handle: p.profile.price.cents for p in proposal.picks if p.profile.price}


def test_columns_are_reused_until_a_write_and_never_after(engine, session_factory):
    column_cache.clear()
    add(session_factory, TEAM, *BAKERS)
    with reading(session_factory) as session:
        first = index.columns(session, TEAM, ["ids", "price"])
    with reading(session_factory) as session:
        again = index.columns(session, TEAM, ["ids", "price"])
    assert again["price"] is first["price"]  # the same arrays: nothing was read again
    assert not first["price"].flags.writeable  # shared: nobody may change them in place

    assert sum(_picked_prices(session_factory, "find vegan baking 1000").values()) <= 100_000

    # another process (its own engine) re-imports one creator at a new price
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        add(make_session_factory(other), TEAM, baker("sift", 8_000, 400, price_usd=500,
                                                      topics="#veganbaking #reposteríavegana"))
    finally:
        other.dispose()
    assert sorted(_prices(session_factory).values()) == [45_000, 50_000, 60_000]
    # chosen at the new price: with the old one kept, crumbs + sift ($1,100 now) would be over budget
    assert sum(_picked_prices(session_factory, "find vegan baking 1000").values()) <= 100_000


def test_a_reader_keeps_the_columns_of_its_own_snapshot(engine, session_factory):
    """A search that began before a write judges its pool by the columns of its own snapshot."""
    column_cache.clear()
    add(session_factory, TEAM, *BAKERS)
    with reading(session_factory) as session:
        before = index.columns(session, TEAM, ["ids", "price"])["price"].tolist()
        add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=999, topics="#veganbaking"))
        if engine.dialect.name == "sqlite":  # PostgreSQL's READ COMMITTED sees a commit at the next statement
            assert index.columns(session, TEAM, ["ids", "price"])["price"].tolist() == before
    assert 99_900 in _prices(session_factory).values()


def test_a_workspace_emptied_and_filled_again_is_not_served_old_columns(session_factory):
    column_cache.clear()
    add(session_factory, TEAM, *BAKERS)
    assert len(_prices(session_factory)) == 3
    with transaction(session_factory) as session:  # as `workspace purge` does
        session.execute(delete(IndexBlob).where(IndexBlob.team_id == TEAM))
    assert _prices(session_factory) == {}
    add(session_factory, TEAM, baker("fresh", 5_000, 300, price_usd=120, topics="#veganbaking"))
    assert sorted(_prices(session_factory).values()) == [12_000]
