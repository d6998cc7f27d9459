"""`/influencer help`: what the app can do, with examples that work as typed."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from .format import to_payload

HELP = """*Find creators for a niche within a budget*
`/influencer find vegan baking 2000`
Options: `platform:instagram|tiktok|youtube` · `tier:nano|micro|macro|mega` · `max:5` (1–20) · `min-er:2.5` · `goal:reach`
Budgets: `2000`, `$2,000`, `1234.50`, `2k`, `2.5K`, `$1.2M`
The shortlist is posted in this channel with Approve / Reject buttons for each creator.

*Look up one creator*
`/influencer creator veganbakes` · `/influencer creator veganbakes tiktok`
Tier, engagement (and how it was computed), price, quality flags and history.

*Help*
`/influencer help`"""


def help_blocks(intro: str | None = None) -> list[dict]:
    blocks: list = [HeaderBlock(text="influencer-bot")]
    if intro:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=intro)))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=HELP)))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Tiers: nano 1k–10k followers, micro 10k–100k, macro 100k–1M, mega 1M+. "
             "Engagement is compared with the median of the creator's platform and tier.")]))
    return to_payload(blocks)
