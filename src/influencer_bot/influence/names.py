"""The one rule for names people give things (campaigns, synonym phrases, a campaign's niche).

A name must show something: after spaces are collapsed and invisible characters dropped it has
at least one letter, digit, punctuation mark or symbol, and it fits its documented length.
Otherwise a list, a digest or a picker would show a blank line that nobody can type back
(`campaign show …` would never find it), or two names that look the same but are not.

What "invisible" means is decided by Unicode categories, not by a hand-made list of code points:
- whitespace of every kind (`str.split`: Zs, Zl, Zp, tabs, newlines) collapses to one space;
- format characters (Cf: zero-width space, word joiner, BOM, soft hyphen, bidi overrides) are
  dropped, except the zero-width joiner and non-joiner, which shape emoji and several scripts;
- the few letters and symbols that render as blanks (Hangul fillers, the braille blank) count
  as whitespace;
- other control characters (Cc), lone surrogates (Cs) and private-use characters (Co) are
  refused outright: no keyboard types them, and PostgreSQL cannot store NUL.
A name is "visible" when some character is a letter, number, punctuation or symbol (L, N, P, S);
combining marks alone (M) are not.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .errors import UserError

KEEP_FORMAT = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner: shaping, not hiding
BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers, braille blank
REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Co"})
VISIBLE_CLASSES = frozenset("LNPS")


@dataclass(frozen=True, slots=True)
class NameRule:
    """What a kind of name is called in messages, its length limit, and an example that works."""

    what: str  # "A campaign name"
    max_chars: int
    example: str
    forbidden: str = ""  # characters that would break this name's formatting where it is shown


def _strip_invisible(text: str) -> str:
    """Whitespace-like blanks become spaces; format characters (but the joiners) go."""
    out = []
    for ch in text:
        if ch in BLANK_GLYPHS:
            out.append(" ")
        elif unicodedata.category(ch) != "Cf" or ch in KEEP_FORMAT:
            out.append(ch)
    return "".join(out)


def is_visible(text: str) -> bool:
    """Whether some character of `text` shows on screen (a letter, number, punctuation or symbol)."""
    return any(unicodedata.category(ch)[0] in VISIBLE_CLASSES and ch not in BLANK_GLYPHS for ch in text)


def visible_name(text: str, rule: NameRule) -> str:
    """`text` as it is stored and shown, or a UserError saying what is wrong with an example that works."""
    cleaned = " ".join(_strip_invisible(text).split())
    refused = sorted({f"U+{ord(ch):04X}" for ch in cleaned if unicodedata.category(ch) in REFUSED_CATEGORIES})
    if refused:
        raise UserError(f"{rule.what} can't contain control or private characters ({', '.join(refused[:3])}): "
                        "type it again without them.", rule.example)
    if not text.strip():
        raise UserError(f"{rule.what} can't be empty.", rule.example)
    if not is_visible(cleaned):
        raise UserError(f"{rule.what} needs at least one visible letter, digit or symbol; "
                        "spaces and invisible characters alone don't count.", rule.example)
    if len(cleaned) > rule.max_chars:
        raise UserError(f"{rule.what} is too long: at most {rule.max_chars} characters, "
                        f"and “{cleaned[:30]}…” has {len(cleaned)}.", rule.example)
    if any(ch in rule.forbidden for ch in cleaned):
        raise UserError(f"{rule.what} can't contain {' '.join(rule.forbidden)}.", rule.example)
    return cleaned


def name_key(text: str) -> str:
    """How two names are compared (unique per workspace, looked up by `show`): same visible text, any case."""
    return " ".join(_strip_invisible(text).split()).casefold()
