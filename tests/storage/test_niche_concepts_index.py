"""What the whole-niche matcher reads from the index, on SQLite and PostgreSQL: document
frequencies, the creator count, repeated mentions (+term), and Match.whole."""

from __future__ import annotations

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.influence.synonyms import REPEATED
from influencer_bot.storage.models import Creator
from influencer_bot.storage.search import index, niche_match
from sqlalchemy import select


def _world(session_factory) -> None:
    add(session_factory, TEAM,
        baker("kilnlife", 9_000, 300, price_usd=200, topics="#pottery #stoneware #potterywheel", bio="Potter in Porto"),
        baker("glazes", 7_000, 250, price_usd=150, topics="#glaze #pottery #ceramics", bio="Glaze nerd"),
        baker("vanlife", 90_000, 2_000, price_usd=900, topics="#vanlife #roadtrip #pottery #camping", bio="On the road"))
    add(session_factory, OTHER_TEAM, baker("elsewhere", 9_000, 300, topics="#pottery #pottery", bio="Pottery"))


def test_frequencies_count_creators_of_the_workspace_only(session_factory):
    _world(session_factory)
    with session_factory() as s:
        assert index.document_frequencies(s, TEAM, ["potteri", "glaze", "nowhere"]) == {
            "potteri": 3, "glaze": 1, "nowhere": 0}
        assert index.indexed_count(s, TEAM) == 3


def test_only_a_repeated_mention_makes_a_whole_match(session_factory):
    _world(session_factory)
    with session_factory() as s:
        ids = dict(s.execute(select(Creator.handle, Creator.id).where(Creator.team_id == TEAM)).all())
        assert REPEATED + "potteri" in index.indexed_terms(s, TEAM, ids["kilnlife"])  # #pottery, #potterywheel
        assert REPEATED + "potteri" not in index.indexed_terms(s, TEAM, ids["vanlife"])  # one stray tag
        found = niche_match.match(s, TEAM, [frozenset({"potteri"})], niche_match.Filters(), repeated=True)
        whole = {int(i) for i, w in zip(found.ids, found.whole) if w}
        assert whole == {ids["kilnlife"]} and len(found.ids) == 3  # glazes: pottery once, too
        loose = niche_match.match(s, TEAM, [frozenset({"potteri"})], niche_match.Filters())
        assert loose.whole.all()
