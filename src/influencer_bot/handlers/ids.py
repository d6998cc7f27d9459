"""Every action_id and block_id the app uses, in one place (Slack limits them to 255 chars)."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    APPROVE = "shortlist.approve"
    REJECT = "shortlist.reject"


class BlockId(StrEnum):
    SHORTLIST_HEADER = "shortlist.header"
    SHORTLIST_SUMMARY = "shortlist.summary"
    SHORTLIST_FOOTER = "shortlist.footer"
    ITEM = "shortlist.item"  # + ":<item id>"
    ITEM_ACTIONS = "shortlist.item.actions"  # + ":<item id>"
    ITEM_DECISION = "shortlist.item.decision"  # + ":<item id>"

    def of(self, item_id: int) -> str:
        return f"{self.value}:{item_id}"
