"""Slack messages as readable terminal text, with their buttons numbered."""

from __future__ import annotations

import re
from typing import Any

from .driver import Button, buttons_of

_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def plain(text: str) -> str:
    text = _DATE.sub(r"\1", text)
    text = _MENTION.sub(r"@\1", text)
    text = _LINK.sub(r"\2 (\1)", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_message(message: dict[str, Any], channel: str, numbering_start: int = 1) -> tuple[str, list[Button]]:
    """Text of one message and the buttons it shows, numbered from `numbering_start`."""
    lines: list[str] = []
    buttons: list[Button] = []
    blocks = message.get("blocks") or []
    if not blocks:
        lines.append(plain(message.get("text") or ""))
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {plain(block['text']['text'])} ==")
        elif kind == "section":
            if block.get("text"):
                lines.append(plain(block["text"]["text"]))
            for field in block.get("fields") or []:
                lines.append(plain(field["text"]))
        elif kind == "context":
            lines.append("   " + " ".join(plain(e.get("text", "")) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("-" * 60)
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        if kind in ("actions", "section"):
            found = buttons_of({"ts": message.get("ts"), "blocks": [block], "ephemeral": message.get("ephemeral")},
                               channel)
            if found:
                labels = [f"[{numbering_start + len(buttons) + i}] {b.text}" for i, b in enumerate(found)]
                lines.append("   " + "  ".join(labels))
                buttons.extend(found)
    if message.get("ephemeral"):
        lines = ["(only visible to you)"] + lines
    return "\n".join(lines), buttons
