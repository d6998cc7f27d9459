"""Text to search terms: how a creator's topics, hashtags, category and bio become index terms,
and how a niche becomes the words to look for. The same functions serve both sides, so
"Baking", "bakes" and "#veganbakingrecipes" meet "vegan baking" on either backend.

Steps, each for a reason:
- Unicode NFKD with accents dropped and lower case: "Pâtisserie" and "patisserie" are one word.
- Snowball's English stemmer (the `snowballstemmer` package, pure Python, the reference
  implementation of Porter2): plurals and verb forms meet ("bakes", "baking" -> "bake"); a
  hand-rolled suffix list stems "bakery" and "bake" into different, wrong places.
- Compound splitting of hashtags and long tokens (segment.py): #veganbakingrecipes also
  yields vegan, bake, recip. The whole token stays a term too, so an odd split only adds terms.
- Joined pairs: "plant-based", "plant based" and "#plantbased" all yield "plantbas", so a
  hyphenated niche word or synonym matches every spelling as one term.

A term carries the weight of the best field it came from (topics and hashtags 100, category
80, bio 60): integers, so relevance is computed identically in SQL and Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from .segment import is_word, split_compound

WEIGHT_TOPICS = 100
WEIGHT_CATEGORY = 80
WEIGHT_BIO = 60
MAX_TERM_CHARS = 64
_MIN_COMPOUND = 7  # shorter tokens are rarely compounds ("keebs", "booktok" stays whole too)

_TOKEN = re.compile(r"#?[a-z0-9]+(?:[-'][a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its me my of on or our so that the this to "
    "us we with you your de la le el en et y und der die das het van da di il".split()
)
_stemmer = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents or marks (NFKD, combining characters dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One folded word to its index form (digits and short words kept as they are)."""
    if len(word) <= 2 or not word.isalpha():
        return word[:MAX_TERM_CHARS]
    return _stemmer.stemWord(word)[:MAX_TERM_CHARS]


@lru_cache(maxsize=200_000)
def token_terms(token: str, compounds: bool = True) -> tuple[str, ...]:
    """Terms of one token: `plant-based` -> plantbas, plant, base; `#veganbaking` -> veganbak,
    vegan, bake. With `compounds`, a long single word is split (hashtags, topics)."""
    word = token.lstrip("#").replace("'", "")
    parts = [p for p in word.split("-") if p]
    if compounds and len(parts) == 1 and len(word) >= _MIN_COMPOUND and word.isalpha():
        parts = split_compound(word)
    terms = [stem(word.replace("-", ""))]
    if len(parts) > 1:
        terms += [stem(p) for p in parts if p not in STOPWORDS]
        if len(parts) > 2:  # #plantbasedrecipes -> plantbas too
            terms += [stem(a + b) for a, b in zip(parts, parts[1:])]
    return tuple(dict.fromkeys(t for t in terms if t))


def raw_tokens(text: str) -> list[str]:
    """Folded words and hashtags of a text, stop words included."""
    return _TOKEN.findall(fold(text))


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(fold(text)) if t.lstrip("#") not in STOPWORDS]


@lru_cache(maxsize=100_000)
def field_terms(text: str, pairs: bool = False) -> tuple[str, ...]:
    """The terms of one field (cached: topics and categories repeat across many creators).
    With `pairs` (the topics field), adjacent words are also joined ("plant based" -> plantbas),
    as a hyphen would join them, and every long word is tried as a compound; elsewhere only
    hashtags are."""
    tokens = _tokens(text)
    terms = [term for token in tokens for term in token_terms(token, pairs or token.startswith("#"))]
    if pairs:
        words = [t for t in tokens if not t.startswith("#")]
        terms += [stem(a.replace("-", "") + b.replace("-", "")) for a, b in zip(words, words[1:])]
    return tuple(dict.fromkeys(terms))


def creator_terms(topics: str | None, category: str | None, bio: str | None) -> dict[str, int]:
    """Every index term of a creator with the weight of the best field it appears in."""
    terms: dict[str, int] = {}
    for text, weight, pairs in ((bio, WEIGHT_BIO, False), (category, WEIGHT_CATEGORY, False),
                                (topics, WEIGHT_TOPICS, True)):  # weakest first: a better field overwrites
        if text:
            terms.update(dict.fromkeys(field_terms(text, pairs), weight))
    return terms


def written_forms(*texts: str | None) -> dict[str, str]:
    """index term -> the creator's own token that first gave it (`veganbak` -> `#veganbaking`), to
    show terms as the creator wrote them."""
    forms: dict[str, str] = {}
    for text in texts:
        for token in _tokens(text or ""):
            for term in token_terms(token):
                forms.setdefault(term, token)
    return forms


def mentions(topics: str | None, category: str | None, bio: str | None) -> list[tuple[str, ...]]:
    """The terms of each separate mention of a creator: every tag or word of each field, and
    every joined pair of topic words. A term in two mentions is something the creator posts
    about more than once (synonyms.repeated), not a stray tag."""
    out: list[tuple[str, ...]] = []
    for text, pairs in ((topics, True), (category, False), (bio, False)):
        if not text:
            continue
        tokens = _tokens(text)
        out += [token_terms(t, pairs or t.startswith("#")) for t in tokens]
        if pairs:
            words = [t for t in tokens if not t.startswith("#")]
            out += [(stem(a.replace("-", "") + b.replace("-", "")),) for a, b in zip(words, words[1:])]
    return out


@dataclass(frozen=True, slots=True)
class NicheWord:
    """One word of a niche as typed, and the single term it is looked up by."""

    text: str
    term: str


def niche_words(niche: str) -> list[NicheWord]:
    """The words of a niche, each as one term: "plant-based desserts" -> plantbas, dessert.
    Stop words go unless the niche is nothing else ("the"), and repeated words count once."""
    tokens = _TOKEN.findall(fold(niche))
    kept = [t for t in tokens if t.lstrip("#") not in STOPWORDS] or tokens
    words: dict[str, NicheWord] = {}
    for token in kept:
        term = stem(token.lstrip("#").replace("-", "").replace("'", ""))
        if term and term not in words:
            words[term] = NicheWord(token.lstrip("#"), term)
    return list(words.values())


def phrase_term(phrase: str) -> str:
    """A synonym's side as one term: "plant-based", "plant based" and "#plantbased" -> plantbas."""
    return stem("".join(t.lstrip("#").replace("-", "").replace("'", "") for t in _TOKEN.findall(fold(phrase))))


def surface(term: str) -> str:
    """A readable word for an index term, to show in suggestions: recip -> recipe."""
    forms = [term, term + "e", term + "s", term + "ing", term + "ed"]
    if term.endswith("i"):
        forms.insert(1, term[:-1] + "y")
    return next((w for w in forms if stem(w) == term and is_word(w)), term)
