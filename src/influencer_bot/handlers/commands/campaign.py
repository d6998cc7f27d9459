"""`/influencer campaign new|list|show|close|post|price`: campaigns from Slack.

Words are split like a shell (shlex), so names with spaces are quoted:
`campaign new "Vegan baking launch" 5000 2026-12-01 2026-12-31 goal:sales niche:"vegan baking"`.
Everything that can be checked without the database (quotes, budget, dates, goal, URL)
is checked before the ack and answered in it; what needs the database (a duplicate name,
an unknown campaign or member) is answered privately right after.
"""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from functools import partial

from ...influence.errors import UserError
from ...influence.kpis import fmt_money
from ...influence.money import looks_like_budget, parse_budget
from ...influence.names import visible_name
from ...storage.campaigns import store
from ...storage.digests import subscriptions as digests
from ...storage.campaigns.stats import campaign_totals, creator_rows, pending_decisions
from ...storage.db import transaction
from ...storage.models import utcnow
from ...influence.post_urls import PostUrl, PostUrlError, parse_post_url
from ...storage.campaigns.posts import POST_EXAMPLE, add_post, member_for_post
from ...storage.creators.records import normalize_handle
from ...storage.workspaces import ensure_workspace
from ..views.campaign import campaign_list_blocks, campaign_show_blocks
from ..views.format import escape
from .prepared import Prepared
from .request import CommandRequest

NEW_EXAMPLE = store.NEW_EXAMPLE
SHOW_EXAMPLE = '/influencer campaign show "Vegan baking launch"'
PRICE_EXAMPLE = '/influencer campaign price "Vegan baking launch" veganbakes 450'
USAGE = ("Use `campaign new`, `list`, `show`, `close`, `post` or `price`.", NEW_EXAMPLE)
_NEW_OPTIONS = ("goal", "niche")


def split_words(rest: str, example: str = NEW_EXAMPLE) -> list[str]:
    """Shell-like words: quoted names stay whole; an unbalanced quote is a clear error."""
    try:
        return shlex.split(rest.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'"))
    except ValueError:
        raise UserError("A quote is not closed: put the name between two double quotes.", example) from None


def prepare(rest: str) -> Prepared:
    words = split_words(rest)
    if not words:
        raise UserError(*USAGE)
    action, args = words[0].lower(), words[1:]
    handler = _ACTIONS.get(action)
    if handler is None:
        raise UserError(f"I don't know `campaign {action[:20]}`. {USAGE[0]}", USAGE[1])
    return handler(args)


def _name_then(args: list[str], example: str, what: str) -> tuple[str, list[str]]:
    if not args:
        raise UserError(f"Which campaign? Give its name {what}.", example)
    return args[0], args[1:]


# ---------------------------------------------------------------- new

def _new(args: list[str]) -> Prepared:
    options: dict[str, str] = {}
    positional = []
    for word in args:
        key, sep, value = word.partition(":")
        if sep and key.lower() in _NEW_OPTIONS:
            options[key.lower()] = value.strip()
        else:
            positional.append(word)
    if not positional:
        raise UserError("Give the campaign a name and a budget.", NEW_EXAMPLE)
    if " " in positional[0].strip() or len(positional) < 2:
        name, after = positional[0], positional[1:]
    else:  # unquoted: the name runs up to the first word that reads as a budget
        cut = next((i for i, w in enumerate(positional) if i > 0 and looks_like_budget(w)), len(positional))
        name, after = " ".join(positional[:cut]), positional[cut:]
    name = store.clean_name(name)
    if not after:
        raise UserError(f"Give a budget for “{escape(name)}”, after its name.", NEW_EXAMPLE)
    budget = parse_budget(after[0])
    if len(after) > 3:
        raise UserError("After the budget, give at most a start date and an end date.", NEW_EXAMPLE)
    today = datetime.now(UTC).date()
    start = store.parse_day(after[1], today) if len(after) > 1 else None
    end = store.parse_day(after[2], today) if len(after) > 2 else None
    if start and end and end <= start:
        raise UserError(f"The end date ({end}) must be after the start date ({start}).", NEW_EXAMPLE)
    goal = store.parse_goal(options["goal"]) if "goal" in options else store.Goal.AWARENESS
    niche = visible_name(options["niche"], store.NICHE_RULE) if options.get("niche", "").strip() else None
    return Prepared(work=partial(_create, name, budget, start, end, goal, niche))


def _create(name, budget, start, end, goal, niche, req: CommandRequest) -> None:  # type: ignore[no-untyped-def]
    with transaction(req.services.sessions) as session:
        ensure_workspace(session, req.team_id)
        c = store.create_campaign(session, req.team_id, name=name, budget_cents=budget, owner_id=req.user_id,
                                  channel_id=req.channel_id, start=start, end=end, goal=goal, niche=niche)
    dates = f", {start} → {end}" if start and end else (f", from {start}" if start else "")
    req.reply(f":white_check_mark: Campaign *{escape(c.name)}* created: budget {fmt_money(c.budget_cents)}{dates}, "
              f"goal {c.goal}. Attach a shortlist with its *Add approved to campaign* button, then "
              f"`/influencer campaign show \"{c.name}\"`.")


# ---------------------------------------------------------------- list, show, close

def _list(args: list[str]) -> Prepared:
    return Prepared(work=_show_list)


def _show_list(req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        found = store.list_campaigns(session, req.team_id)
        totals = campaign_totals(session, req.team_id, [c.id for c in found], as_of=utcnow()) if found else {}
    req.reply(f"{len(found)} campaigns", campaign_list_blocks(found, totals))


def _show(args: list[str]) -> Prepared:
    name, extra = _name_then(args, SHOW_EXAMPLE, "(quoted if it has spaces)")
    if extra:
        name = " ".join([name, *extra])  # `campaign show Keyboard week` needs no quotes
    return Prepared(work=partial(_show_one, name))


def _show_one(name: str, req: CommandRequest) -> None:
    now = utcnow()
    with transaction(req.services.sessions) as session:
        c = store.get_campaign(session, req.team_id, name)
        totals = campaign_totals(session, req.team_id, [c.id], as_of=now)[c.id]
        creators = creator_rows(session, req.team_id, c.id, as_of=now, thresholds=req.services.thresholds)
        pending = pending_decisions(session, req.team_id, c.id)
    req.reply(c.name, campaign_show_blocks(c, totals, creators, pending))


def _close(args: list[str]) -> Prepared:
    name, extra = _name_then(args, '/influencer campaign close "Vegan baking launch"', "to close")
    return Prepared(work=partial(_close_one, " ".join([name, *extra])))


def _close_one(name: str, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        c, changed = store.close_campaign(session, req.team_id, name)
        # its own digests stop with it; workspace-wide digests list active campaigns only
        ended = digests.end_campaign_subscriptions(session, req.team_id, c.id) if changed else []
    if not changed:
        req.reply(f"Campaign *{escape(c.name)}* was already closed; nothing changed.")
        return
    stopped = (" Its digest in " + ", ".join(f"<#{ch}>" for ch in ended) + " is off.") if ended else ""
    req.reply(f":lock: Campaign *{escape(c.name)}* closed: it leaves digests and pickers; its numbers stay.{stopped}")


# ---------------------------------------------------------------- post, price

def _post(args: list[str]) -> Prepared:
    """`post <campaign> <url>` or `post <campaign> <handle> <url>` (the link may also come before the handle)."""
    if len(args) == 3 and _looks_like_link(args[1]) and not _looks_like_link(args[2]):
        args = [args[0], args[2], args[1]]
    if len(args) not in (2, 3):
        raise UserError("Give the campaign (quoted if it has spaces), then the post's link; add the creator's "
                        "handle before the link when the campaign has several members on that platform.",
                        POST_EXAMPLE)
    name, handle, url = args[0], (normalize_handle(args[1]) if len(args) == 3 else None), args[-1]
    try:
        link = parse_post_url(url)  # a bad link is answered in the ack
    except PostUrlError as err:
        raise UserError(err.message, POST_EXAMPLE) from None
    return Prepared(work=partial(_add_post, name, handle, link))


def _looks_like_link(word: str) -> bool:
    return "/" in word


def _add_post(name: str, handle: str | None, link: PostUrl, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        c = store.get_campaign(session, req.team_id, name)
        member = member_for_post(session, req.team_id, c, link, handle)
        post, created = add_post(session, req.team_id, member, link.url, kind=link.kind, posted_at=utcnow())
        post_url, kind = post.url or link.url, _KIND_WORDS.get(post.kind, "post")
    verb = "recorded" if created else "was already recorded"
    req.reply(f":link: {link.platform.label} {kind} by @{escape(member.creator.handle)} "
              f"{verb} for *{escape(c.name)}*: {escape(post_url)}. Its numbers come from the platform sync "
              f"when {link.platform.label} is connected, or from `influencer-bot import posts FILE`.")


_KIND_WORDS = {"feed": "post", "story": "story", "video": "video", "reel": "reel"}


def _price(args: list[str]) -> Prepared:
    if len(args) != 3:
        raise UserError("Give the campaign (quoted if it has spaces), the creator's handle and the agreed price.",
                        PRICE_EXAMPLE)
    name, handle, amount = args
    try:
        cents = parse_budget(amount)
    except UserError:
        raise UserError(f"I can't read “{amount[:30]}” as a price in dollars.", PRICE_EXAMPLE) from None
    return Prepared(work=partial(_set_price, name, handle, cents))


def _set_price(name: str, handle: str, cents: int, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        c = store.get_campaign(session, req.team_id, name)
        member = store.set_price(session, req.team_id, c, handle, cents)
    req.reply(f":moneybag: Agreed price of @{escape(member.creator.handle)} in *{escape(c.name)}* is now "
              f"{fmt_money(cents)}.")


_ACTIONS = {"new": _new, "create": _new, "list": _list, "ls": _list, "show": _show, "close": _close,
            "post": _post, "price": _price}
