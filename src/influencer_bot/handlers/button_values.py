"""Button values are pointers, never trusted: `{"item": 42}` or `{"shortlist": 7}`.

One parser for every listener, so a forged or stale value always gets the same clear answer;
the listener then re-reads the row within the clicker's workspace before acting.
"""

from __future__ import annotations

import json

from ..influence.errors import UserError

STALE = "That button is no longer valid. Run the search again: `/influencer find vegan baking 2000`."


def button_value(**ids: object) -> str:
    """The value of a button (or a modal's private_metadata): compact JSON of the ids it points at."""
    return json.dumps(ids, separators=(",", ":"))


def pointer(value: str | None, key: str) -> int:
    """The positive integer id under `key`, or a UserError saying the button is stale."""
    try:
        found = json.loads(value or "")[key]
        if isinstance(found, int) and not isinstance(found, bool) and found > 0:
            return found
    except (ValueError, TypeError, KeyError):
        pass
    raise UserError(STALE)
