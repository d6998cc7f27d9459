"""`<handle> [platform]`, as `creator` and `why` take it: one reader, so both say the same about bad input."""

from __future__ import annotations

from collections.abc import Sequence

from ...influence.errors import UserError
from ...influence.platforms import Platform, parse_platform
from ...storage.creators.records import normalize_handle


def handle_and_platform(words: Sequence[str], example: str) -> tuple[str, Platform | None]:
    """The handle (as stored: lower case, no @) and the platform if one follows it; UserError with `example`."""
    if not words:
        raise UserError("Which creator? Give a handle.", example)
    if len(words) > 2:
        raise UserError("A handle is one word, without spaces, optionally followed by a platform.", example)
    platform = None
    if len(words) == 2:
        try:
            platform = parse_platform(words[1])
        except UserError:
            raise UserError(f"“{words[1][:30]}” is not a platform (instagram, tiktok or youtube), and a handle "
                            "is one word without spaces.", example) from None
    try:
        return normalize_handle(words[0]), platform
    except UserError as err:
        raise UserError(err.message, example) from None
