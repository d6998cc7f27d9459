"""Why a creator was rejected, and how long a rejection keeps them out of a workspace's shortlists.

The reason is a code stored on the decision row (decisions.reason); the note is the rejecter's own
words, bounded so it fits on the shortlist message. Audience quality (bought followers, bots) does
not fix itself in a quarter, so it is remembered twice as long as a matter of taste or price."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class RejectReason(StrEnum):
    OFF_BRAND = "off_brand"
    TOO_EXPENSIVE = "too_expensive"
    AUDIENCE_QUALITY = "audience_quality"
    ALREADY_WORKING = "already_working"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    RejectReason.OFF_BRAND: "off-brand",
    RejectReason.TOO_EXPENSIVE: "too expensive",
    RejectReason.AUDIENCE_QUALITY: "audience quality",
    RejectReason.ALREADY_WORKING: "already working with us",
    RejectReason.OTHER: "other",
}

NOTE_MAX = 300  # characters of the optional note: one line on the message, not an essay
REJECTION_MEMORY = timedelta(days=90)  # a rejection keeps the creator out of new shortlists this long…
LONGER_MEMORY = {RejectReason.AUDIENCE_QUALITY: timedelta(days=180)}  # …or this long, for these reasons


def parse_reason(raw: object) -> RejectReason | None:
    """The reason a stored or submitted code names; None for none, or one this version does not know."""
    try:
        return RejectReason(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def reason_label(raw: str | None) -> str | None:
    """"audience quality" for a stored code; None when no reason was recorded (decisions before reasons)."""
    reason = parse_reason(raw)
    return reason.label if reason else None


def memory(raw: str | None) -> timedelta:
    """How long a rejection with this stored reason keeps the creator out."""
    reason = parse_reason(raw)
    return LONGER_MEMORY.get(reason, REJECTION_MEMORY) if reason else REJECTION_MEMORY


def clean_note(raw: object) -> str | None:
    """A note as typed, trimmed; None when empty. Slack enforces NOTE_MAX in the modal; a longer one is cut."""
    if not isinstance(raw, str):
        return None
    note = " ".join(raw.split())[:NOTE_MAX]
    return note or None
