"""The answer to "why isn't @x on this shortlist?": one reason per creator, with its numbers."""

from __future__ import annotations

import math

from slack_sdk.models.blocks import (
    ButtonElement, ContextBlock, HeaderBlock, InputBlock, MarkdownTextObject, PlainTextInputElement, PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from ...influence import why_not as why
from ...influence.money import format_usd
from ...influence.platforms import Platform
from ...storage.search.why_not import Answer, Judged
from ..button_values import ShortlistRef
from ..ids import ActionId, BlockId, ViewId
from .reject import WINDOWS
from .format import clip, escape, slack_date, to_payload


def why_not_button(shortlist_id: int) -> ButtonElement:
    """The shortlist footer's "Why not…?": its value is only the shortlist id (re-read on click)."""
    return ButtonElement(text="Why not…?", action_id=ActionId.WHY_NOT, value=ShortlistRef(shortlist_id).value())


def why_not_modal(shortlist: ShortlistRef, niche: str) -> dict:
    """A modal with one field, the handle (and optionally its platform); private_metadata names the shortlist."""
    return View(
        type="modal", callback_id=ViewId.WHY_NOT, title=PlainTextObject(text="Why not…?"),
        submit=PlainTextObject(text="Explain"), close=PlainTextObject(text="Cancel"),
        private_metadata=shortlist.value(),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=clip(
                f"Which creator did you expect on the shortlist *{escape(niche)}*? The answer comes privately, "
                "in the shortlist's channel."))),
            InputBlock(block_id=BlockId.WHY_NOT_HANDLE, label="Creator",
                       hint="A handle, optionally followed by its platform: @veganbakes tiktok",
                       element=PlainTextInputElement(action_id=ActionId.WHY_NOT_HANDLE, placeholder="@veganbakes",
                                                     max_length=120)),
        ],
    ).to_dict()


def _quoted(words: list[str]) -> str:
    return " ".join(f"“{escape(w)}”" for w in words)


def _request(answer: Answer) -> str:
    q = answer.query
    options = [f"max:{q.max_items}"]
    options += [f"platform:{q.platform.value}"] if q.platform else []
    options += [f"tier:{q.tier.value}"] if q.tier else []
    options += [f"min-er:{q.min_er_pct:g}"] if q.min_er_pct is not None else []
    options += ["goal:reach"] if q.goal == "reach" else []
    return (f"Shortlist “{escape(answer.niche)}” · {format_usd(answer.budget_cents)} · {' '.join(options)} · "
            f"made {slack_date(answer.made_at)}. Judged as the search judges, with today's numbers.")


def _on_list(r: why.OnList) -> str:
    if r.status == "approved":
        return f"is on this shortlist (#{r.position}), approved by <@{r.decided_by}> · {slack_date(r.decided_at)}."
    if r.status == "rejected":
        return (f"was on this shortlist (#{r.position}) and was rejected by <@{r.decided_by}> · "
                f"{slack_date(r.decided_at)}.")
    return f"is on this shortlist (#{r.position}), waiting for Approve or Reject."


def _not_in_niche(r: why.NotInNiche, niche: str) -> str:
    if not r.top:
        return ("has no topics, category or bio, so it matches no niche. Import its hashtags (a `topics` column) "
                "to make it findable.")
    asked = " nor ".join(f"“{escape(w[0])}”" + (f" (or {', '.join(escape(t) for t in w[1:])})" if w[1:] else "")
                         for w in r.niche_terms)
    near = (f"Its nearest terms: {', '.join(escape(t) for t in r.nearest)} (close in spelling, not the same "
            "word: add a synonym with `/influencer config synonym` if they mean the same).\n" if r.nearest else "")
    return (f"doesn't match “{escape(niche)}”: its topics, category and bio say none of {asked}.\n{near}"
            f"Its top terms: {', '.join(escape(t) for t in r.top)}.")


def _outranked(r: why.Outranked, niche: str, max_items: int) -> str:
    c, unit = r.candidate, ("expected impressions" if r.goal == "reach" else "expected engagements")
    lines = []
    if r.behind_whole is not None:
        w = r.behind_whole
        matched = f"only {_quoted(r.matched_words)}" if r.matched_words else "none of its parts more than once"
        room = (f"leaving {format_usd(w.left_cents)} and {w.left_slots} place{'s' * (w.left_slots != 1)} for "
                "partial matches" if w.left_cents > 0 and w.left_slots > 0 else "leaving no room for partial matches")
        lines.append(f"It is a partial match of “{escape(niche)}”: {matched} (a part counts once a creator mentions "
                     f"it at least twice). Whole matches come first: the best {w.whole_picks} take "
                     f"{format_usd(w.whole_cents)}, {room}.")
        if not (w.left_cents > 0 and w.left_slots > 0):
            return "\n".join(lines)
    if r.missing_words and r.behind_whole is None:
        lines.append(f"It matches only {_quoted(r.matched_words)} of “{escape(niche)}”, so it counts at relevance "
                     f"{r.relevance:.2f}: {r.base_value:,.0f} {unit} a post × {r.relevance:.2f} = {c.value:,.0f}.")
    elif r.relevance < 1:
        lines.append(f"It matches every word, some only in its category or bio (relevance {r.relevance:.2f}): "
                     f"{r.base_value:,.0f} {unit} a post × {r.relevance:.2f} = {c.value:,.0f}.")
    if r.fits:
        why_now = ("rejections have freed room since: *Replace rejected* would consider it."
                   if r.picks_changed_since else
                   "it came into the workspace after the shortlist was made." if r.added_after else
                   "its numbers (or the others') have changed since the shortlist was made: run the search again.")
        lines.append(f"It fits in what is left ({format_usd(r.free_cents)}, {r.free_slots} free "
                     f"place{'s' * (r.free_slots != 1)}): {why_now}")
    else:
        limits = []
        if r.free_slots == 0:
            limits.append(f"the limit of {max_items} creators")
        if c.price_cents > r.free_cents:
            limits.append(f"the budget (it costs {format_usd(c.price_cents)}; {format_usd(max(0, r.free_cents))} "
                          "is left)")
        lines.append(f"Adding it breaks {' and '.join(limits)}.")
    if r.swap is not None:
        line = (f"@{escape(c.handle)} gives {c.value:,.0f} {unit} for {format_usd(c.price_cents)}; the pick it would "
                f"replace, @{escape(r.swap.handle)}, gives {r.swap.value:,.0f} for {format_usd(r.swap.price_cents)}.")
        if c.value > r.swap.value and not r.fits:
            line += " That swap would gain value now: the numbers have changed since; run the search again."
        lines.append(line)
    elif r.priciest is not None and not r.fits:
        lines.append(f"No single swap fits the budget: even in place of the priciest pick, @{escape(r.priciest.handle)} "
                     f"({format_usd(r.priciest.price_cents)}), {format_usd(r.free_cents + r.priciest.price_cents)} "
                     f"would be left, short of its {format_usd(c.price_cents)}.")
    lines.append(_exact(r, unit))
    return "\n".join(lines)


def _exact(r: why.Outranked, unit: str) -> str:
    handle = escape(r.candidate.handle)
    if math.isnan(r.best_with):
        if r.behind_whole is not None:
            return f"What the whole matches leave cannot include @{handle}: `match:any` ranks every creator together."
        return f"No shortlist within the budget can include @{handle}."
    said = (f"The best shortlist with @{handle} gives {r.best_with:,.0f} {unit}; the best without it, "
            f"{r.best_without:,.0f}")
    gap = r.best_without - r.best_with
    if abs(gap) <= 1e-9 * max(1.0, r.best_without):
        return said + ": a tie, and the search keeps the set it proves first."
    if gap < 0:
        return said + ": with it is better now, so the numbers have changed since; run the search again."
    return said + f" ({gap:,.0f} more)."


def reason_text(judged: Judged, answer: Answer) -> str:
    r, q = judged.reason, answer.query
    match r:
        case why.OnList():
            return _on_list(r)
        case why.NotInNiche():
            return _not_in_niche(r, answer.niche)
        case why.NotAlike(outside_candidates=0):
            shared = (f"it shares only {', '.join(escape(t) for t in r.shared)}" if r.shared
                      else "it shares nothing distinctive with it (tags most creators use count for nothing)")
            return (f"is not enough like @{escape(r.seed)}: similarity {r.similarity:.2f}, and a lookalike needs "
                    f"{r.minimum:.2f} or more; {shared}.")
        case why.NotAlike():
            return (f"is like @{escape(r.seed)} (similarity {r.similarity:.2f}), but not among the "
                    f"{r.outside_candidates:,} most alike by what they share, which are the ones compared.")
        case why.NotScored():
            return ("matches the niche but has no scores in the search index yet (an import may still be running). "
                    "Try again in a minute, or run `influencer-bot db rescore`.")
        case why.Filtered(option="platform"):
            return f"is on {Platform(r.actual).label}, and this shortlist asked for `platform:{r.wanted}`."
        case why.Filtered():
            tier = f"is {r.actual} ({r.followers:,} followers)" if r.actual else "has no follower count, so no tier"
            return f"{tier}, and this shortlist asked for `tier:{r.wanted}`."
        case why.Rejected(by=None):
            return f"was rejected recently: {WINDOWS}."
        case why.Rejected():
            said, kind = (f" ({r.reason})", f" for “{r.reason}”") if r.reason else ("", "")
            return (f"was rejected{said} by <@{r.by}> · {slack_date(r.at)} for “{escape(r.niche or '')}”: creators "
                    f"rejected{kind} are left out for {r.days} days (this one until {slack_date(r.until)}); "
                    f"{WINDOWS}.")
        case why.Emerging():
            count = f"{r.followers:,} followers" if r.followers is not None else "no follower count"
            return (f"has {count}, under {r.threshold:,}: emerging creators are left out unless a search asks for "
                    "`tier:emerging`.")
        case why.Blocked():
            flags = "\n".join(f"• :no_entry: {escape(f)}" for f in r.flags) or "• (flagged when it was last scored)"
            return f"has a blocking quality flag, which keeps it off every shortlist:\n{flags}"
        case why.NoMetrics():
            missing = (["no price (no quoted price, and no follower count to estimate one)"] if r.no_price else [])
            missing += ([("no impressions (views or followers)" if r.goal == "reach"
                          else "no engagement numbers (likes, comments or views)")] if r.no_value else [])
            return f"has no usable metrics: {' and '.join(missing)}."
        case why.BelowMinEr(er_pct=None):
            return f"has no known engagement rate, and this shortlist asked for `min-er:{r.min_er_pct:g}`."
        case why.BelowMinEr():
            return f"engages {r.er_pct:.2f}% of its audience, below this shortlist's `min-er:{r.min_er_pct:g}`."
        case why.OverBudget():
            source = f" ({r.price_source})" if r.price_source else ""
            return (f"costs {format_usd(r.price_cents)}{source}, above the whole budget of "
                    f"{format_usd(r.budget_cents)}.")
        case why.Outranked():
            return "is not on it: a better set fits the budget without it.\n" + _outranked(r, answer.niche, q.max_items)
    raise TypeError(f"no wording for {type(r).__name__}")


def why_not_text(answer: Answer) -> str:
    """Notification and accessibility fallback."""
    return f"Why not @{answer.judged[0].view.creator.handle} on the {answer.niche} shortlist?"


def why_not_blocks(answer: Answer) -> list[dict]:
    handle = answer.judged[0].view.creator.handle
    blocks: list = [HeaderBlock(text=f"Why not @{handle}?"[:150]),
                    ContextBlock(elements=[MarkdownTextObject(text=clip(_request(answer), 2000))])]
    for judged in answer.judged:
        label = Platform(judged.view.creator.platform).label
        text = f"*@{escape(judged.view.creator.handle)}* ({label}) {reason_text(judged, answer)}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text))))
    return to_payload(blocks)
