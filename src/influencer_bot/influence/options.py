"""`key:value` options in a command's text, values optionally quoted: `campaign:"Spring launch"`.

One reader for every command that takes options (find, digest), so quoting works the same
everywhere. Slack's clients curl quotes as people type, so straight and curly quotes both work.
"""

from __future__ import annotations

import re

_OPTION = re.compile(r'(?<![\w-])(?P<key>[a-zA-Z][a-zA-Z-]*):'
                     r'(?:"(?P<q1>[^"]*)"|“(?P<q2>[^”]*)”|‘(?P<q3>[^’]*)’|(?P<bare>\S+))')


def split_options(text: str) -> tuple[dict[str, str], list[str]]:
    """({lower-case key: value}, the other words). A value in quotes keeps its spaces; a key
    given twice keeps its last value; a bare `key:` with nothing after it stays a word."""
    found: dict[str, str] = {}
    for match in _OPTION.finditer(text):
        value = next(v for v in (match["q1"], match["q2"], match["q3"], match["bare"]) if v is not None)
        found[match["key"].lower()] = value.strip()
    return found, _OPTION.sub(" ", text).split()
