"""`/influencer help`."""

from __future__ import annotations

from ..views.help import help_blocks
from .prepared import Prepared


def prepare(rest: str) -> Prepared:
    return Prepared(ack_text="influencer-bot help", ack_blocks=help_blocks())
