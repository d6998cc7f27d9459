"""How alike two creators are by what they post about: cosine of their IDF-weighted terms.

A creator's vector holds, for each index term, its field weight (topics 100, category, bio:
terms.py) times the term's inverse document frequency in the workspace, log(N / df). A tag
most creators carry (#instagood, #love) gets an IDF near nothing, and a tag carried by more
than GENERIC_SHARE of the workspace is dropped outright; so is a term only the seed carries
(it can be shared with no one). Repeated-mention markers (synonyms.REPEATED) are not terms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .concepts import GENERIC_SHARE
from .synonyms import REPEATED

MIN_SIMILARITY = 0.15  # below this, two creators share no more than a stray tag or two
SHOWN_SHARED = 3


def idf(df: int, creators: int) -> float:
    """log(N / df), or 0 for terms too common (or too rare) to tell creators apart."""
    if df <= 1 or creators <= 0 or df > GENERIC_SHARE * creators:
        return 0.0
    return math.log(creators / df)


def vector(terms: Mapping[str, int], idfs: Mapping[str, float]) -> dict[str, float]:
    """term -> weight × IDF, without markers and zero entries."""
    out = {}
    for term, weight in terms.items():
        if term.startswith(REPEATED):
            continue
        w = weight * idfs.get(term, 0.0)
        if w > 0:
            out[term] = w
    return out


def norm(v: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in v.values()))


def vector_norm(terms: Mapping[str, int], idfs: Mapping[str, float]) -> float:
    """norm(vector(terms, idfs)) in one pass (markers have no IDF: they count 0)."""
    return math.sqrt(sum((w * idfs.get(t, 0.0)) ** 2 for t, w in terms.items()))


def shared_terms(seed: Mapping[str, float], other: Mapping[str, float], forms: Mapping[str, str],
                 limit: int = SHOWN_SHARED) -> list[str]:
    """The shared terms that add most to the similarity, as the seed wrote them (`forms`: a tag's
    several terms, #glutenfree -> glutenfre, gluten, free, show once), most first."""
    common = sorted(((seed[t] * other[t], t) for t in seed.keys() & other.keys()), key=lambda c: (-c[0], c[1]))
    shown = dict.fromkeys(forms.get(t, t) for _, t in common if not t.startswith("~"))
    return list(shown)[:limit]
