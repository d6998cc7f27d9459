"""`/influencer creator <handle> [platform]`: one creator's card, privately."""

from __future__ import annotations

from functools import partial

from ...influence.errors import NotFound, UserError
from ...influence.platforms import Platform, parse_platform
from ...influence.profile import build_profile
from ...storage.creators import views as creator_views
from ...storage.db import transaction
from ...storage.creators.records import normalize_handle
from ...storage.shortlists import decisions_for_creator
from ..views.creator import CreatorCard, creator_blocks
from .prepared import Prepared
from .request import CommandRequest

EXAMPLE = "/influencer creator veganbakes tiktok"


def prepare(rest: str) -> Prepared:
    words = rest.split()
    if not words:
        raise UserError("Which creator? Give a handle.", EXAMPLE)
    if len(words) > 2:
        raise UserError("A handle is one word, without spaces, optionally followed by a platform.", EXAMPLE)
    platform = None
    if len(words) == 2:
        try:
            platform = parse_platform(words[1])
        except UserError:
            raise UserError(f"“{words[1][:30]}” is not a platform (instagram, tiktok or youtube), and a handle "
                            "is one word without spaces.", EXAMPLE) from None
    handle = normalize_handle(words[0])
    return Prepared(work=partial(_show, handle, platform))


def _show(handle: str, platform: Platform | None, req: CommandRequest) -> None:
    s = req.services
    with transaction(s.sessions) as session:
        views = creator_views.find_by_handle(session, req.team_id, handle, platform)
        if not views:
            hints = creator_views.similar_handles(session, req.team_id, handle)
            hint = f" Did you mean {', '.join('@' + h for h in hints)}?" if hints else ""
            where = f" on {platform.label}" if platform else ""
            raise NotFound(f"No creator @{handle}{where} in this workspace.{hint}", "/influencer creator veganbakes")
        cards = []
        for view in views:
            c = view.creator
            history = creator_views.follower_history(session, req.team_id, c.id)
            profile = build_profile(view.facts(history), s.thresholds, s.quality_rules)
            decisions = [(d.decision, d.user_id, d.decided_at, niche)
                         for d, niche in decisions_for_creator(session, req.team_id, c.id)]
            cards.append(CreatorCard(profile, c.display_name, c.bio, c.topics, c.country,
                                     view.latest.source if view.latest else None,
                                     view.latest.captured_at if view.latest else None, history, decisions))
    req.reply(f"@{handle}", creator_blocks(cards))
