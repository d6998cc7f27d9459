"""`/influencer find <niche> <budget> [options]`: propose creators and post the shortlist.

With `campaign:"<name>"` the shortlist is attached to that campaign when it is saved, so
each creator approved on it joins the campaign at the shortlist's price.

The ack comes at once; matching, optimising and posting happen after it. A shortlist that
cannot be posted (the bot is not in the channel, or Slack still fails after the client's
retries) is discarded, its rows deleted, and the user is told privately what happened and
what to do: never a saved shortlist nobody can see. If Slack took the post but the database
then failed to note where it is, the user is told the shortlist stands but its message may
not refresh.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk.errors import SlackApiError

from ...influence.find_query import FindQuery, parse_find
from ...influence.money import format_usd
from ...storage.campaigns import store as campaigns
from ...storage import shortlists as store
from ...storage import outbox
from ...storage.db import reading, transaction
from ...storage.search.finder import Proposal, new_items, propose
from ...storage.workspaces import ensure_workspace
from ..message_refresh import SLACK_FAILURES
from ..replies import new_error_id
from ..services import Services
from ..shortlist_state import load_shortlist_view, proposal_summary
from ..views.format import escape
from ..views.shortlist import empty_result_text, shortlist_blocks, shortlist_text
from .prepared import Prepared
from .request import CommandRequest

log = logging.getLogger("influencer_bot.handlers")

CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "cant_post_in_channel",
               "restricted_action_read_only_channel", "restricted_action_thread_only_channel"}


def prepare(rest: str) -> Prepared:
    query = parse_find(rest)
    return Prepared(
        ack_text=(f":mag: Finding creators like @{escape(query.like)} within {format_usd(query.budget_cents)}…"
                  if query.like else
                  f":mag: Finding the best {escape(query.niche)} creators within {format_usd(query.budget_cents)}…"),
        work=partial(_find, query),
    )


def run_proposal(session, team_id: str, query: FindQuery, services: Services) -> Proposal:  # type: ignore[no-untyped-def]
    """The engine with this process's settings: shared by Slack, the terminal and the benchmark."""
    return propose(session, team_id, query, thresholds=services.thresholds, rules=services.quality_rules,
                   time_limit_s=services.optimizer_time_limit_s, synonyms=services.synonyms, semantic=services.semantic)


def _find(query: FindQuery, req: CommandRequest) -> None:
    """Propose and save, then post. A run resumed after a crash finds the shortlist it saved noted
    on its outbox row and only posts it, if it was not posted yet."""
    shortlist_id = req.progress.get("shortlist_id")
    if shortlist_id is None:
        shortlist_id = _propose_and_save(query, req)
    if shortlist_id is not None:
        _post(req, int(shortlist_id))


def _propose_and_save(query: FindQuery, req: CommandRequest) -> int | None:
    s = req.services
    # the search only reads: on SQLite it holds no write lock meanwhile, so acks are not held up
    with reading(s.sessions) as session:
        # an unknown or closed campaign is said before any search work
        campaign = campaigns.active_campaign(session, req.team_id, query.campaign) if query.campaign else None
        proposal = run_proposal(session, req.team_id, query, s)
    if not proposal.picks:
        req.reply(empty_result_text(query.niche, query.budget_cents, proposal.excluded, proposal.pool,
                                    proposal.suggestions))
        return None
    with transaction(s.sessions) as session:
        ensure_workspace(session, req.team_id)
        shortlist = store.create_shortlist(
            session, req.team_id, niche=query.niche, budget_cents=query.budget_cents,
            options=proposal_summary(proposal), requested_by=req.user_id, channel_id=req.channel_id,
            items=new_items(proposal.picks),
        )
        if campaign is not None:  # nothing is approved yet: approvals from now on add members
            campaigns.attach_shortlist(session, req.team_id, shortlist.id, campaign.id)
        if req.work_id is not None:
            outbox.note(session, req.work_id, shortlist_id=shortlist.id)
        return shortlist.id


def _post(req: CommandRequest, shortlist_id: int) -> None:
    s = req.services
    with reading(s.sessions) as session:
        shortlist = store.find_shortlist(session, req.team_id, shortlist_id)
        if shortlist is None or shortlist.message_ts:  # discarded, or posted before a crash
            return
        view = load_shortlist_view(session, req.team_id, shortlist_id, s)
    try:
        posted = req.client.chat_postMessage(channel=req.channel_id, text=shortlist_text(view),
                                             blocks=shortlist_blocks(view), unfurl_links=False)
    except SLACK_FAILURES as err:
        with transaction(s.sessions) as session:
            store.discard(session, req.team_id, shortlist_id)
        req.reply(_not_posted(err))
        return
    try:
        with transaction(s.sessions) as session:
            store.set_message(session, req.team_id, shortlist_id, posted["channel"], posted["ts"])
    except Exception:  # posted, but where it is could not be saved: say so, not "try again"
        error_id = new_error_id()
        log.exception("shortlist %s posted as %s, but saving its message failed (error id %s)",
                      shortlist_id, posted["ts"], error_id)
        req.reply(f":warning: The shortlist is posted, but I could not note where in the database (error id "
                  f"`{error_id}`): its buttons still record decisions, though the message may not refresh.")


def _not_posted(err: Exception) -> str:
    code = err.response.get("error") if isinstance(err, SlackApiError) else None
    if code in CANNOT_POST:
        return (":lock: I can't post in this channel yet. Invite me with `/invite @influencer-bot` "
                "(or run the command in a channel I'm in), then try again.")
    log.warning("shortlist not posted (%s): discarded", code or type(err).__name__)
    return (":warning: Slack did not accept the shortlist message, so I discarded it and saved nothing. "
            "Run the same search again in a minute.")
