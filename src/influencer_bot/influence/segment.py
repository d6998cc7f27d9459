"""Split compound hashtags into words: #veganbakingrecipes -> vegan, baking, recipes.

A Viterbi split under a unigram model: choose the pieces whose word probabilities have
the largest product. The word counts come from the `wordsegment` package's English
unigrams (Google Web Trillion Word Corpus, as published by Peter Norvig); we read only
the ~67,000 words seen 200,000+ times (about 0.5 s once, ~8 MB) and do not call its own
`segment`, which also loads bigrams (5 s, ~80 MB) and takes 1-16 ms a word against
~0.1 ms here. Hashtags repeat endlessly across creators, so results are cached.

Conservative on purpose: every piece must be a known word of three letters or more, and
a word known as a whole ("wanderlust", "thrifted") is never split. A token that cannot
be split stays whole; the caller always indexes the whole token too.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

_MIN_COUNT = 200_000
_MIN_PIECE = 3
_MAX_PIECE = 24
_TOTAL = 1_024_908_267_229.0  # tokens in the corpus behind the counts


@lru_cache(maxsize=1)
def _log_probabilities() -> dict[str, float]:
    counts: dict[str, float] = {}
    text = resources.files("wordsegment").joinpath("unigrams.txt").read_text(encoding="utf-8")
    for line in text.splitlines():  # sorted by count, descending
        word, _, count = line.partition("\t")
        n = int(count)
        if n < _MIN_COUNT:
            break
        counts[word] = math.log(n / _TOTAL)
    return counts


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> list[str]:
    """The most probable split of a lower-case ASCII word into known words, or [word]."""
    logp = _log_probabilities()
    if word in logp or not word.isascii():
        return [word]
    n = len(word)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for i in range(_MIN_PIECE, n + 1):
        for j in range(max(0, i - _MAX_PIECE), i - _MIN_PIECE + 1):
            if best[j] == -math.inf:
                continue
            lp = logp.get(word[j:i])
            if lp is not None and best[j] + lp > best[i]:
                best[i], back[i] = best[j] + lp, j
    if best[n] == -math.inf:
        return [word]
    pieces = []
    i = n
    while i > 0:
        pieces.append(word[back[i]:i])
        i = back[i]
    return pieces[::-1]


def is_word(word: str) -> bool:
    """A common English word (seen 200,000+ times in the corpus)."""
    return word in _log_probabilities()
