"""`/influencer why @handle [platform]`: why that creator is not on this channel's latest shortlist.

Answered privately, after the ack: the judgement re-runs the search's matching and, when the
creator lost on value, the optimiser twice (with and without it)."""

from __future__ import annotations

from functools import partial

from ...influence.platforms import Platform
from ...storage.db import transaction
from ...storage.search.why_not import EXAMPLE, explain, latest_shortlist
from ..services import Services
from ..views.why_not import why_not_blocks, why_not_text
from .handle_words import handle_and_platform
from .prepared import Prepared
from .request import CommandRequest


def parse_target(text: str) -> tuple[str, Platform | None]:
    """`@veganbakes`, `veganbakes tiktok`, `not @veganbakes`: the handle asked about, and its platform if given."""
    words = text.split()
    if words[:1] == ["not"] and len(words) > 1:
        words = words[1:]
    return handle_and_platform(words, EXAMPLE)


def prepare(rest: str) -> Prepared:
    handle, platform = parse_target(rest)
    return Prepared(work=partial(_explain, handle, platform))


def explain_for(services: Services, team_id: str, shortlist_id: int, handle: str, platform: Platform | None
                ) -> tuple[str, list[dict]]:
    """The answer's text and blocks, judged with this process's settings (the command and the modal)."""
    with transaction(services.sessions) as session:
        answer = explain(session, team_id, shortlist_id, handle, platform, thresholds=services.thresholds,
                         rules=services.quality_rules, synonyms=services.synonyms,
                         time_limit_s=services.optimizer_time_limit_s)
        return why_not_text(answer), why_not_blocks(answer)


def _explain(handle: str, platform: Platform | None, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        shortlist_id = latest_shortlist(session, req.team_id, req.channel_id)
    req.reply(*explain_for(req.services, req.team_id, shortlist_id, handle, platform))
