"""The `/influencer` subcommands by name: each one's `prepare` parses its text before the ack."""

from __future__ import annotations

from collections.abc import Callable

from . import campaign, config, creator, digest, find, help, sync, why
from .prepared import Prepared

SUBCOMMANDS: dict[str, Callable[[str], Prepared]] = {
    "help": help.prepare,
    "find": find.prepare,
    "config": config.prepare,
    "creator": creator.prepare,
    "campaign": campaign.prepare,
    "digest": digest.prepare,
    "sync": sync.prepare,
    "why": why.prepare,
}


def split(text: str) -> tuple[str, str]:
    """('find', 'vegan baking 2000') from 'find vegan baking 2000', the name as typed; '' for an empty text."""
    name, _, rest = text.strip().partition(" ")
    return name, rest.strip()
