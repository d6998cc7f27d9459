"""The reject modal (a reason and an optional note), and how a recorded reason reads in Slack."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock, MarkdownTextObject, Option, PlainTextInputElement, PlainTextObject, RadioButtonsElement, SectionBlock,
)
from slack_sdk.models.views import View

from ...influence.rejection import LONGER_MEMORY, NOTE_MAX, REJECTION_MEMORY, RejectReason, reason_label
from ..button_values import ItemRef
from ..ids import ActionId, BlockId, ViewId
from .format import clip, escape

WINDOWS = ("rejected creators stay out of this workspace's shortlists for "
           + ", ".join(f"{w.days} days if rejected for {r.label}" for r, w in LONGER_MEMORY.items())
           + f", {REJECTION_MEMORY.days} days for any other reason")
_MARKS = str.maketrans({c: f"\u200b{c}\u200b" for c in "*_~`"})


def inert(text: str) -> str:
    """Someone's words, shown in mrkdwn exactly as typed: no mention, link or channel ping (&, <, > escaped),
    and no bold/italic/strike/code (a zero-width space on each side of a marker keeps Slack from pairing it)."""
    return escape(text).translate(_MARKS)


def because(reason: str | None, note: str | None) -> str:
    """"audience quality: bought followers" (mrkdwn); "" when the decision recorded neither."""
    label = reason_label(reason)
    said = f"“{inert(note)}”" if note else ""
    return f"{label}: {said}" if label and said else label or said


def reject_modal(item: ItemRef, handle: str) -> dict:
    """Reason (required, one of five) and note (optional); private_metadata names the item, re-read on submit."""
    return View(
        type="modal", callback_id=ViewId.REJECT, title=PlainTextObject(text="Reject creator"),
        submit=PlainTextObject(text="Reject"), close=PlainTextObject(text="Cancel"),
        private_metadata=item.value(),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=clip(
                f"Why reject *@{escape(handle)}*? The reason shows on the shortlist and in "
                f"`/influencer creator`; {WINDOWS}. Cancel records nothing."))),
            InputBlock(block_id=BlockId.REJECT_REASON, label="Reason", element=RadioButtonsElement(
                action_id=ActionId.REJECT_REASON,
                options=[Option(value=r.value, text=PlainTextObject(text=r.label)) for r in RejectReason])),
            InputBlock(block_id=BlockId.REJECT_NOTE, label="Note", optional=True,
                       hint=f"Optional, up to {NOTE_MAX} characters: shown as typed next to the reason.",
                       element=PlainTextInputElement(action_id=ActionId.REJECT_NOTE, multiline=True,
                                                     max_length=NOTE_MAX, placeholder="bought followers")),
        ],
    ).to_dict()
