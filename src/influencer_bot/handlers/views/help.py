"""`/influencer help`: what the app can do, with examples that work as typed."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from .format import to_payload

HELP = """*Find creators for a niche within a budget*
`/influencer find vegan baking 2000`
Options: `platform:instagram|tiktok|youtube` · `tier:nano|micro|macro|mega` · `max:5` (1–20) · `min-er:2.5` · `goal:reach` · `campaign:"Vegan baking launch"` · `match:any` (reach over fit: partial matches compete on value)
Creators who match the whole niche come first; partial matches fill what is left and are marked.
More like a creator you loved: `/influencer find like:@veganbakes 2000` (its platform; `platform:any` for all)
Budgets: `2000`, `$2,000`, `1234.50`, `2k`, `2.5K`, `$1.2M`
The shortlist is posted in this channel with Approve / Reject buttons for each creator, and *Replace rejected* to refill.
Why isn't a creator on it? `/influencer why @veganbakes` (or the shortlist's *Why not…?* button): the reason, with its numbers.
Synonyms: `/influencer config synonym plant-based = vegan` · `… synonym list` · `… synonym remove plant-based`

*Look up one creator*
`/influencer creator veganbakes` · `/influencer creator veganbakes tiktok`
Tier, engagement (and how it was computed), price, quality flags and history.

*Campaigns: approved creators, their posts and the results*
`/influencer campaign new "Vegan baking launch" 5000 2026-12-01 2026-12-31 goal:sales niche:"vegan baking"`
`/influencer campaign list` · `/influencer campaign show "Vegan baking launch"` · `/influencer campaign close "Vegan baking launch"`
`/influencer campaign post "Vegan baking launch" https://youtu.be/dQw4w9WgXcQ` (YouTube, Instagram or TikTok link; add the handle before it when several members share the platform)
`/influencer campaign price "Vegan baking launch" veganbakes 450` (edit the agreed price)
Attach a shortlist with `find … campaign:"Vegan baking launch"` or its *Add approved to campaign* button; approved creators join at their price.

*Digests: the campaigns' numbers in this channel, every morning*
`/influencer digest daily 09:00` · `/influencer digest weekly mon 09:00 campaign:"Vegan baking launch"`
Options: `campaign:"…"` (default: all active campaigns) · `tz:Europe/Paris` (default: your Slack timezone) · `chart:off`
`/influencer digest list` · `/influencer digest off` · `/influencer digest now`

*Platform sync: numbers straight from YouTube, Instagram and TikTok*
`/influencer sync status`: the last runs per platform, failures by reason, creators never synced, quota left
`/influencer creator veganbakes refresh`: fetch one creator's numbers now
Creators are refreshed on a schedule and by `influencer-bot sync creators`; campaign posts with a platform link hourly, then daily.

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
