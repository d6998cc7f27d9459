"""Niche synonyms: built-in groups indexed with creators, added pairs applied when searching.

Three layers: a small built-in table of groups (words that name the same niche), indexed
with each creator (with_groups; `db rescore` after changing it); a settings file
(SYNONYMS_FILE, every workspace of this install) and each workspace's own pairs
(`/influencer config synonym plant-based = vegan`), both applied at search time, so a new
pair works at once, with no re-indexing, and one workspace's words never change another's
results. An added pair works both ways and one hop only: chaining pairs would let
"vegan = plant-based" and "plant-based = paleo" turn vegan into paleo.

Each side is kept as one term (terms.phrase_term): "plant-based", "plant based" and
"#plantbased" are the same side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError
from .names import NameRule, visible_name
from .terms import phrase_term

EXAMPLE = "/influencer config synonym plant-based = vegan"
MAX_PHRASE_CHARS = 60
SIDE_RULE = NameRule("Each side of a synonym", MAX_PHRASE_CHARS, EXAMPLE)

# Words that name the same niche (or its people, places and products), one group a line.
BUILTIN_LINES = (
    "baking = baker, bakery, pastry, patisserie, dessert, cake",
    "fitness = workout, gym, strength training, personal trainer",
    "skincare = skin care, skin, esthetician, spf",
    "gaming = gamer, video games, videogames, streamer, esports",
    "travel = traveller, traveler, wanderlust, travelgram",
    "keyboards = keebs, keyboard",
    "coffee = barista, espresso, latte, specialty coffee",
    "parenting = parents, momlife, dadlife, mum, mom, dad",
    "finance = money, budgeting, investing",
    "hiking = hiker, hikes, trails, outdoors, trail running",
    "yoga = yogi, yoga teacher, meditation",
    "books = bookstagram, booktok, reading, book reviews",
    "photography = photographer, photos, film photography",
    "sustainable fashion = slow fashion, ethical fashion, thrifting, thrifted, secondhand",
    "food = foodie, recipes, home cooking",
)


@dataclass(frozen=True, slots=True)
class Pair:
    phrase: str  # as the user wrote it, for `config synonym list`
    synonym: str
    term: str  # both sides normalised (terms.phrase_term)
    synonym_term: str


def _side(text: str) -> tuple[str, str]:
    if not text.strip():
        raise UserError("Write a synonym as two words or phrases joined by “=”.", EXAMPLE)
    shown = visible_name(text, SIDE_RULE)
    term = phrase_term(shown)
    if not term:
        raise UserError(f"“{shown}” has no letters or digits to search for.", EXAMPLE)
    return shown, term


def parse_pair(text: str, *, lenient: bool = False) -> Pair:
    """`plant-based = vegan` -> a Pair; raises UserError with an example when malformed."""
    left, sep, right = text.partition("=")
    if not sep or "=" in right:
        raise UserError("Write a synonym as two words or phrases joined by one “=”.", EXAMPLE)
    (phrase, term), (synonym, synonym_term) = _side(left), _side(right)
    if term == synonym_term and not lenient:
        raise UserError(f"“{phrase}” and “{synonym}” are already the same word to me.", EXAMPLE)
    return Pair(phrase, synonym, term, synonym_term)


def parse_lines(lines: Iterable[str], origin: str = "synonyms") -> list[Pair]:
    """`word = other, another` lines (# comments, blank lines allowed): one pair per alternative."""
    pairs = []
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        head, sep, tail = line.partition("=")
        if not sep:
            raise ValueError(f"{origin} line {number}: expected “word = synonym, synonym”, got “{line[:60]}”")
        for alternative in filter(None, (a.strip() for a in tail.split(","))):
            try:
                pair = parse_pair(f"{head}={alternative}", lenient=True)
            except UserError as err:
                raise ValueError(f"{origin} line {number}: {err.message}") from None
            if pair.term != pair.synonym_term:
                pairs.append(pair)
    return pairs


def load_file(path: str | Path) -> list[Pair]:
    p = Path(path)
    try:
        return parse_lines(p.read_text(encoding="utf-8").splitlines(), str(p))
    except OSError as exc:
        raise ValueError(f"SYNONYMS_FILE {p}: {exc.strerror or exc}") from None


def _canonical(pairs: Iterable[Pair]) -> dict[str, str]:
    """Each built-in group as one index term: every word of a group -> "~" + its first word."""
    canon: dict[str, str] = {}
    for p in pairs:
        head = canon.setdefault(p.term, "~" + p.term)
        canon.setdefault(p.synonym_term, head)
    return canon


BUILTIN_PAIRS = parse_lines(BUILTIN_LINES, "built-in synonyms")
_CANON = _canonical(BUILTIN_PAIRS)


def canonical(term: str) -> str | None:
    """The index term of the built-in group holding `term`, if any."""
    return _CANON.get(term)


REPEATED = "+"  # index term prefix: the creator mentions this term (or group) at least twice


def repeated(terms: dict[str, int], mentions: Iterable[Iterable[str]]) -> dict[str, int]:
    """REPEATED + term (with the term's weight) for each term of `terms`, built-in group included,
    found in at least two separate mentions: one #plantbased among thirty travel tags is not a
    plant-based creator."""
    seen: dict[str, int] = {}
    for mention in mentions:
        found = set(mention)
        found |= {g for t in mention if (g := _CANON.get(t)) is not None}
        for term in found:
            seen[term] = seen.get(term, 0) + 1
    return {REPEATED + t: terms[t] for t, n in seen.items() if n >= 2 and t in terms}


def group_members(term: str) -> frozenset[str]:
    """Every word of the built-in group holding `term` (itself included), or nothing."""
    head = _CANON.get(term)
    return _MEMBERS.get(head, frozenset()) if head else frozenset()


def _members(canon: dict[str, str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for term, head in canon.items():
        out.setdefault(head, set()).add(term)
    return {head: frozenset(terms) for head, terms in out.items()}


_MEMBERS = _members(_CANON)


def with_groups(terms: dict[str, int]) -> dict[str, int]:
    """A creator's terms plus the term of each built-in group they belong to (best weight).

    Built-in groups are indexed, not expanded at search time: every word of a group then
    looks up one term, and a one-word niche is one index range the database need not group."""
    out = dict(terms)
    for term, weight in terms.items():
        group = _CANON.get(term)
        if group is not None and out.get(group, 0) < weight:
            out[group] = weight
    return out


@dataclass(frozen=True, slots=True)
class Synonyms:
    """The synonyms added to the built-in groups (SYNONYMS_FILE, a workspace's own):
    term -> the terms that may stand for it, both directions, one hop."""

    table: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, *groups: Iterable[Pair]) -> Synonyms:
        return cls().with_pairs(p for pairs in groups for p in pairs)

    def with_pairs(self, pairs: Iterable[Pair]) -> Synonyms:
        merged = {t: set(s) for t, s in self.table.items()}
        for p in pairs:
            merged.setdefault(p.term, set()).add(p.synonym_term)
            merged.setdefault(p.synonym_term, set()).add(p.term)
        return Synonyms({t: frozenset(s) for t, s in merged.items()})

    def expand(self, term: str) -> frozenset[str]:
        """The index terms to look a niche word up by: its built-in group's (or its own)
        and those of its added synonyms."""
        found = {term, *self.table.get(term, ())}
        return frozenset(canonical(t) or t for t in found)


BUILTIN = Synonyms()
