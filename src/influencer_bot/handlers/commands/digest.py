"""`/influencer digest …`: subscribe a channel to daily or weekly digests, list, stop, or post one now.

Times are local to a person, and Slack has no channel timezone: a digest runs in the
timezone of whoever sets it up (their Slack profile, read with users.info), unless the
command names one with `tz:Europe/Paris`. The chosen zone is stored with the subscription
and shown back, so the channel knows what "09:00" means.

Subscribing changes the database only; the scheduler re-reads subscriptions every few
seconds, so a new or changed digest takes effect without a restart.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk.errors import SlackApiError

from ...influence.digest_schedule import Cadence, next_after
from ...influence.errors import NotFound
from ...storage.digests import ledger
from ...storage.digests import subscriptions as store
from ...storage.campaigns.store import get_campaign, list_campaigns
from ...storage.db import transaction
from ...storage.models import utcnow
from ...storage.workspaces import ensure_workspace
from ..digest_delivery import attach_chart, load_digest, send_digest
from ..views.format import escape, slack_date
from .digest_parse import EXAMPLE_NOW, DigestCommand, parse_digest
from .find import CANNOT_POST
from .prepared import Prepared
from .request import CommandRequest

log = logging.getLogger("influencer_bot.digests")
FALLBACK_TZ = "UTC"


def prepare(rest: str) -> Prepared:
    cmd = parse_digest(rest)
    ack = ":hourglass_flowing_sand: Building the digest…" if cmd.action == "now" else None
    work = {"list": _list, "off": _off, "now": _now}.get(cmd.action, _subscribe)
    return Prepared(ack_text=ack, work=partial(work, cmd))


def _campaign_id(session, req: CommandRequest, name: str | None) -> int | None:  # type: ignore[no-untyped-def]
    if name is None:
        return None
    try:
        return get_campaign(session, req.team_id, name).id
    except NotFound as err:  # its message lists the workspace's campaigns; show a digest example
        known = list_campaigns(session, req.team_id, active_only=True)
        raise NotFound(err.message, f'/influencer digest now campaign:"{known[0].name}"' if known
                       else EXAMPLE_NOW) from None


def _scope_text(name: str | None) -> str:
    return f"campaign “{escape(name)}”" if name else "all active campaigns"


def user_timezone(req: CommandRequest) -> tuple[str, bool]:
    """The requesting user's Slack timezone, and False when it could not be read (then UTC)."""
    try:
        tz = req.client.users_info(user=req.user_id)["user"].get("tz")
        if tz:
            return str(tz), True
    except (SlackApiError, KeyError, TypeError):
        log.warning("users.info failed for the digest's timezone; using %s", FALLBACK_TZ)
    return FALLBACK_TZ, False


def _subscribe(cmd: DigestCommand, req: CommandRequest) -> None:
    tz, known = (cmd.timezone, True) if cmd.timezone else user_timezone(req)
    cadence = Cadence(cmd.action, cmd.time_of_day or "09:00", tz, cmd.weekday)
    with transaction(req.services.sessions) as session:
        ensure_workspace(session, req.team_id)
        campaign_id = _campaign_id(session, req, cmd.campaign)
        _, replaced = store.subscribe(session, req.team_id, req.channel_id,
                                      store.Schedule(cadence, campaign_id, cmd.chart), req.user_id)
    upcoming = next_after(cadence, utcnow())
    where = "your Slack timezone" if not cmd.timezone and known else "UTC: I could not read your Slack timezone" \
        if not known else "the timezone you gave"
    verb = "now gets" if replaced else "will get"
    req.reply(f":calendar: This channel {verb} a {cadence.describe()} digest of {_scope_text(cmd.campaign)} "
              f"({where}){'' if cmd.chart else ', without the chart'}. Next one: {slack_date(upcoming.scheduled_for)}."
              f"\nChange it by subscribing again, or stop it with `/influencer digest off"
              f"{' campaign:' + chr(34) + cmd.campaign + chr(34) if cmd.campaign else ''}`.")


def _list(cmd: DigestCommand, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        subs = store.channel_subscriptions(session, req.team_id, req.channel_id)
    if not subs:
        req.reply("This channel has no digests. Start one with `/influencer digest daily 09:00`.")
        return
    now = utcnow()
    lines = [f"• {store.cadence_of(s).describe()} — {_scope_text(name)}{'' if s.chart else ', no chart'}; "
             f"next {slack_date(next_after(store.cadence_of(s), now).scheduled_for)}" for s, name in subs]
    req.reply("*Digests in this channel*\n" + "\n".join(lines))


def _off(cmd: DigestCommand, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        campaign_id = _campaign_id(session, req, cmd.campaign)
        stopped = store.unsubscribe(session, req.team_id, req.channel_id, campaign_id, every=cmd.campaign is None)
    if not stopped:
        req.reply(f"No digest of {_scope_text(cmd.campaign)} was on in this channel. "
                  "See what is with `/influencer digest list`.")
        return
    what = f"the digest of {_scope_text(cmd.campaign)}" if cmd.campaign else \
        f"{'all ' + str(stopped) + ' digests' if stopped > 1 else 'the digest'} in this channel"
    req.reply(f":no_bell: Stopped {what}.")


def _now(cmd: DigestCommand, req: CommandRequest) -> None:
    """Post a digest now, outside the schedule: compared with the channel's last scheduled one
    of the same scope, and not written to the ledger (it is no period's digest)."""
    now = utcnow()
    with transaction(req.services.sessions) as session:
        campaign_id = _campaign_id(session, req, cmd.campaign)
        same = store.channel_subscription(session, req.team_id, req.channel_id, campaign_id)
        last = ledger.previous_posted(session, req.team_id, same.id) if same else None
        previous, since = (last.totals, last.posted_at) if last else (None, None)
    content = load_digest(req.services, req.team_id, campaign_id, as_of=now, previous=previous, since=since)
    try:
        ts = send_digest(req.client, req.channel_id, content)
    except SlackApiError as err:
        if err.response.get("error") in CANNOT_POST:
            req.reply(":lock: I can't post in this channel yet. Invite me with `/invite @influencer-bot`, "
                      "then try again.")
            return
        raise
    if cmd.chart and (same is None or same.chart):
        attach_chart(req.client, req.services, content, req.channel_id, ts)
