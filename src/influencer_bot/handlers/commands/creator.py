"""`/influencer creator <handle> [platform] [refresh]`: one creator's card, privately; with `refresh`,
its numbers are fetched from the platform first (after the ack: a platform call can take seconds)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from ...influence.errors import NotFound
from ...influence.platforms import Platform
from ...influence.profile import build_profile
from ...storage.creators import views as creator_views
from ...storage.db import transaction
from ...storage.shortlists import decisions_for_creator
from ...storage.sync.creators_sync import Scoring
from ...storage.sync.jobs import refresh_one
from ..views.creator import CreatorCard, creator_blocks
from ..views.sync_words import platform_label, refresh_note
from .handle_words import handle_and_platform
from .prepared import Prepared
from .request import CommandRequest

EXAMPLE = "/influencer creator veganbakes tiktok"


def prepare(rest: str) -> Prepared:
    words = rest.split()
    refresh = len(words) > 1 and words[-1].lower() == "refresh"
    if refresh:
        words = words[:-1]
    handle, platform = handle_and_platform(words, EXAMPLE)
    if refresh:
        return Prepared(ack_text=f"Refreshing @{handle} from the platform… the card follows in a moment.",
                        work=partial(_refresh, handle, platform))
    return Prepared(work=partial(_show, handle, platform))


def _refresh(handle: str, platform: Platform | None, req: CommandRequest) -> None:
    """Refresh each matching creator whose platform can sync, then show the cards with what happened."""
    s = req.services
    with transaction(s.sessions) as session:
        targets = [(v.creator.id, v.creator.platform)
                   for v in creator_views.find_by_handle(session, req.team_id, handle, platform)]
    notes = []
    for creator_id, on in targets:
        connection = s.sync.connections.get(on)
        if connection is None:
            notes.append(f"{platform_label(on)}: {s.sync.unconfigured.get(on, 'not configured')}")
            continue
        with connection.open() as client:
            report = refresh_one(s.sessions, client, req.team_id, creator_id, clock=lambda: datetime.now(UTC),
                                 scoring=Scoring(s.thresholds, s.quality_rules))
        notes.append(refresh_note(report, handle))
    _show(handle, platform, req, note="\n".join(notes) or None)


def _show(handle: str, platform: Platform | None, req: CommandRequest, note: str | None = None) -> None:
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
            decisions = [(d.decision, d.user_id, d.decided_at, niche, d.reason, d.note)
                         for d, niche in decisions_for_creator(session, req.team_id, c.id)]
            cards.append(CreatorCard(profile, c.display_name, c.bio, c.topics, c.country,
                                     view.latest.source if view.latest else None,
                                     view.latest.captured_at if view.latest else None, history, decisions,
                                     synced_at=c.synced_at, sync_status=c.sync_status))
    req.reply(f"@{handle}", creator_blocks(cards, note=note))
