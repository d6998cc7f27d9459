"""Every action_id and block_id the app uses, in one place (Slack limits them to 255 chars)."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    APPROVE = "shortlist.approve"
    REJECT = "shortlist.reject"
    REPLACE_REJECTED = "shortlist.replace_rejected"
    ADD_TO_CAMPAIGN = "shortlist.add_to_campaign"  # opens the campaign picker
    PICK_CAMPAIGN = "campaign.pick"  # the static_select inside that modal
    WHY_NOT = "shortlist.why_not"  # opens the "Why not…?" modal
    WHY_NOT_HANDLE = "why_not.handle"  # the handle input inside it
    REJECT_REASON = "reject.reason"  # the reject modal's radio buttons
    REJECT_NOTE = "reject.note"  # and its optional note


class BlockId(StrEnum):
    SHORTLIST_HEADER = "shortlist.header"
    SHORTLIST_SUMMARY = "shortlist.summary"
    SHORTLIST_FOOTER = "shortlist.footer"
    SHORTLIST_ACTIONS = "shortlist.actions"  # the Replace rejected button
    SHORTLIST_REJECTED = "shortlist.rejected"  # rejected creators folded into one line
    ITEM = "shortlist.item"  # + ":<item id>"
    ITEM_ACTIONS = "shortlist.item.actions"  # + ":<item id>"
    ITEM_DECISION = "shortlist.item.decision"  # + ":<item id>"
    DIGEST_HEADER = "digest.header"
    DIGEST_CAMPAIGN = "digest.campaign"  # + ":<campaign id>"
    DIGEST_FOOTER = "digest.footer"

    CAMPAIGN_PICK = "campaign.pick"  # the input block of the add-to-campaign modal
    WHY_NOT_HANDLE = "why_not.handle"  # the input block of the "Why not…?" modal
    REJECT_REASON = "reject.reason"  # the input blocks of the reject modal
    REJECT_NOTE = "reject.note"

    def of(self, item_id: int) -> str:
        return f"{self.value}:{item_id}"


class ViewId(StrEnum):
    """Modal callback_ids: the view_submission listener is registered on these."""

    ADD_TO_CAMPAIGN = "campaign.add_approved"
    WHY_NOT = "shortlist.why_not"
    REJECT = "shortlist.reject"  # the reason for a rejection
