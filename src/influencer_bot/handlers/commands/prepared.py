"""A subcommand, parsed: what to acknowledge at once, and the slow work to do after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .request import CommandRequest


@dataclass(frozen=True, slots=True)
class Prepared:
    ack_text: str | None = None
    ack_blocks: list[dict] | None = None
    work: Callable[[CommandRequest], None] | None = None
