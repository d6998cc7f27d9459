"""`/influencer sync status`: what platform sync did in this workspace, and what it cannot do."""

from __future__ import annotations

from ...influence.errors import UserError
from ...storage.db import transaction
from ...storage.sync.status import sync_status
from ..views.sync_status import sync_status_blocks, sync_status_text
from .prepared import Prepared
from .request import CommandRequest

EXAMPLE = "/influencer sync status"


def prepare(rest: str) -> Prepared:
    if rest.strip().lower() not in ("", "status"):
        raise UserError(f"I don't know “sync {rest.strip()[:30]}”. Syncing runs on a schedule and from the "
                        "terminal (`influencer-bot sync creators`); here you can see how it went.", EXAMPLE)
    return Prepared(work=_status)


def _status(req: CommandRequest) -> None:
    platforms = req.services.sync
    quota = {p: platforms.quota_left(p) for p in platforms.configured()}
    with transaction(req.services.sessions) as session:
        statuses = sync_status(session, req.team_id, platforms, quota)
    req.reply(sync_status_text(statuses), sync_status_blocks(statuses))
