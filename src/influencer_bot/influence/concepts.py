"""A niche as concepts: `plant based desserts` = {plant-based, dessert}, `coffee latte art` =
{coffee, latte art}. The shortlist fills with creators who match every concept first
(storage/search/finder.py), so what counts as one concept decides what "whole" means.

Rules, all general (none knows a particular niche):
- Phrases. Two adjacent words are one concept when their joined form is a known term: a synonym
  (built-in or added) or a term at least PHRASE_MIN_CREATORS creators of the workspace carry
  (#latteart, #plantbased, "trail running" in topics). Among overlapping pairs the more frequent
  wins. A phrase concept is looked up only by its joined term and its synonyms, never by its
  words on their own, so "art" from #theartofslowliving is not "latte art".
- Filler. Words that only qualify ("based", "inspired", "style"…; STOPISH) and words carried by
  more than GENERIC_SHARE of the workspace's creators carry no concept unless nothing else is left.
- Synonyms. Added pairs (settings file, the workspace's own) always stand for their word. A
  built-in group's word stands for another only if it is not much broader: a member carried by
  more than BROADER times the creators of the word asked for is left out, so #food does not
  satisfy "recipes", nor #photooftheday's "photo" "photography". When every member passes, the
  group's own index term is used (one lookup).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from .synonyms import Synonyms, canonical, group_members
from .terms import STOPWORDS, phrase_term, raw_tokens

PHRASE_MIN_CREATORS = 3
GENERIC_SHARE = 0.5
BROADER = 1.5
STOPISH = frozenset(
    "based inspired style styled themed friendly focused related lover lovers loving content creator creators "
    "influencer influencers account accounts ideas tips page pages best top daily".split())

#: terms -> how many creators of the workspace carry each (any field)
Frequencies = Callable[[Collection[str]], Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing a niche asks for: how it is shown, its own term, and the terms that satisfy it."""

    label: str
    term: str
    alternatives: frozenset[str]


def _words(niche: str) -> list[str]:
    return [t.lstrip("#") for t in raw_tokens(niche) if t.lstrip("#") not in STOPWORDS]


def _units(words: list[str], df: Mapping[str, int], known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(label, term) of each concept in order: known adjacent pairs joined, most frequent first."""
    pairs = []
    for i in range(len(words) - 1):
        joined = phrase_term(words[i] + words[i + 1])
        if known(joined) or df.get(joined, 0) >= PHRASE_MIN_CREATORS:
            pairs.append((df.get(joined, 0), -i, i, joined))
    taken: dict[int, str] = {}
    for _, _, i, joined in sorted(pairs, reverse=True):
        if i not in taken and i + 1 not in taken:
            taken[i] = taken[i + 1] = joined
    units, i = [], 0
    while i < len(words):
        if i in taken and taken.get(i + 1) == taken[i] and (i - 1 not in taken or taken[i - 1] != taken[i]):
            units.append((f"{words[i]} {words[i + 1]}", taken[i]))
            i += 2
        else:
            units.append((words[i], phrase_term(words[i])))
            i += 1
    return units


def niche_concepts(niche: str, frequencies: Frequencies, creators: int, synonyms: Synonyms) -> list[Concept]:
    """The concepts of a niche, in the order typed (see the module's rules)."""
    words = _words(niche) or [t.lstrip("#") for t in raw_tokens(niche)]
    if not words:
        return []
    joined = [phrase_term(a + b) for a, b in zip(words, words[1:])]
    df = dict(frequencies({phrase_term(w) for w in words} | set(joined)))
    units = _units(words, df, lambda t: canonical(t) is not None or t in synonyms.table)
    units = [u for u in dict((term, (label, term)) for label, term in units).values() if u[1]]
    carrying = [u for u in units if not (" " not in u[0] and (
        u[0] in STOPISH or creators and df.get(u[1], 0) > GENERIC_SHARE * creators))]
    units = carrying or units
    members = {u[1]: group_members(u[1]) for u in units}
    df.update(frequencies({m for ms in members.values() for m in ms} - set(df)))
    concepts = []
    for label, term in units:
        own = df.get(term, 0)
        group = members[term]
        kept = {m for m in group if not own or df.get(m, 0) <= BROADER * own}
        via_group = {canonical(term)} if group and kept == set(group) else kept  # type: ignore[arg-type]
        added = {canonical(s) or s for s in synonyms.table.get(term, ())}
        concepts.append(Concept(label, term, frozenset({term} | via_group | added)))
    return concepts
