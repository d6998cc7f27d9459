"""Which name column holds usernames (the handle) and which display names, read from content.

Exports label them inconsistently: HypeAuditor-style files put usernames under `name` and
display names under `instagram name`; others do the opposite. Usernames follow the platform's
rules (no spaces, a short alphabet, nearly always lower case) and display names mostly do not,
so each candidate column is scored on its values and the header only breaks near-ties:

    score = share of values that can be usernames + ½ × share written in lower case
            + ¼ if the header says username/handle/URL, − ¼ if it says display name

The best column becomes the handle, the next best display-name column the display name, and
the summary says which was used. `--map handle=…` / `--map display_name=…` overrule this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...influence.handles import BadHandle, split_url, username_like
from ...influence.numbers import is_junk
from ...influence.platforms import Platform
from .headers import Columns, NameColumn

SAMPLE = 2_000  # values per column: enough to tell usernames from names, cheap on 100k-row files


@dataclass(frozen=True, slots=True)
class Scored:
    column: NameColumn
    usernames: float  # share of values that can be usernames
    lower: float  # share with no capital letter
    values: int

    @property
    def score(self) -> float:
        bonus = 0.25 if self.column.strong else -0.25 if self.column.display else 0.0
        return self.usernames + 0.5 * self.lower + bonus


def _first_value(cells: list[str], indexes: Sequence[int]) -> str | None:
    for index in indexes:
        if index < len(cells) and not is_junk(cells[index]):
            return cells[index].strip()
    return None


def _score(column: NameColumn, rows: Sequence[tuple[int, list[str]]], platform: Platform | None) -> Scored:
    seen = usernames = lower = 0
    for _, cells in rows:
        value = _first_value(cells, column.indexes)
        if value is None:
            continue
        seen += 1
        usernames += username_like(value, platform)
        try:
            bare = split_url(value)[0]
        except BadHandle:
            bare = value
        lower += bare == bare.lower()
        if seen == SAMPLE:
            break
    return Scored(column, usernames / seen if seen else 0.0, lower / seen if seen else 0.0, seen)


def pick_names(cols: Columns, rows: Sequence[tuple[int, list[str]]], platform: Platform | None) -> str | None:
    """Set cols.fields["handle"] and ["display_name"] from the candidates; return a summary note."""
    mapped_handle = "handle" in cols.fields
    scored = [_score(c, rows, platform) for c in cols.names]
    scored.sort(key=lambda s: (s.values > 0, s.score), reverse=True)
    handle: Scored | None = None
    if not mapped_handle and scored:
        handle = scored.pop(0)
        cols.fields["handle"] = list(handle.column.indexes)
    if "display_name" not in cols.fields and scored:
        display = sorted(scored, key=lambda s: (s.values > 0, s.column.display, -s.usernames), reverse=True)[0]
        cols.fields["display_name"] = list(display.column.indexes)
    return _note(cols, handle, platform)


def _note(cols: Columns, handle: Scored | None, platform: Platform | None) -> str | None:
    if not cols.fields.get("handle"):
        return None
    def header(name: str) -> str:
        return cols.headers[cols.fields[name][0]].strip()
    what = f"{platform.label} handles" if platform else "handles"
    share = f" ({handle.usernames:.0%} of its values can be {what})" if handle is not None else " (--map)"
    shown = f"Handles from column “{header('handle')}”{share}"
    if cols.fields.get("display_name"):
        return shown + f"; display names from column “{header('display_name')}”."
    return shown + "; no display-name column."
