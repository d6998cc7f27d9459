"""Replace rejected: refill a shortlist with the best additions for the budget that is left.

Approved and still-proposed creators stay and keep their price; rejected ones and every
creator already on the list are left out; the engine then chooses exactly, as for a new
search, within the budget left and the slots left (max creators minus those kept).

Twice is the same as once: the additions of a round are optimal for what was left, so a
second click finds nothing new; and two clicks at once both try to write the same next
round of shortlist_rounds, whose primary key lets only one of them commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.find_query import FindQuery
from ...influence.flags import QualityRules
from ...influence.optimizer import TIME_LIMIT_S
from ...influence.synonyms import BUILTIN, Synonyms
from ...influence.tiers import TierThresholds
from .semantic_rank import SemanticRanker
from .finder import new_items, pick_notes, propose
from ..models import ShortlistRound
from ..shortlists import get_shortlist, item_rows


@dataclass(frozen=True, slots=True)
class Refill:
    added: int
    budget_left_cents: int
    slots_left: int
    why_none: str | None = None  # when nothing was added: a sentence for the clicker


def refill(session: Session, team_id: str, shortlist_id: int, user_id: str, *,
           thresholds: TierThresholds = TierThresholds(), rules: QualityRules = QualityRules(),
           time_limit_s: float = TIME_LIMIT_S, synonyms: Synonyms = BUILTIN,
           semantic: SemanticRanker | None = None) -> Refill:
    shortlist = get_shortlist(session, team_id, shortlist_id)
    kept = [i for i in shortlist.items if i.status != "rejected"]
    query = FindQuery.from_options(shortlist.niche, shortlist.budget_cents, shortlist.options or {})
    budget_left = shortlist.budget_cents - sum(i.price_cents for i in kept)
    slots = query.max_items - len(kept)
    if len(kept) == len(shortlist.items):
        return Refill(0, budget_left, slots, "No creator on this shortlist is rejected: nothing to replace.")
    if slots <= 0 or budget_left <= 0:
        return Refill(0, budget_left, slots, "The kept creators already use the whole budget or every slot.")
    last_round = session.scalar(select(func.coalesce(func.max(ShortlistRound.round), 0))
                                .where(ShortlistRound.shortlist_id == shortlist.id)) or 0
    proposal = propose(session, team_id, query, thresholds=thresholds, rules=rules, time_limit_s=time_limit_s,
                       synonyms=synonyms, exclude_ids={i.creator_id for i in shortlist.items},
                       budget_cents=budget_left, max_items=slots, semantic=semantic)
    picks = new_items(proposal.picks)
    if not picks:
        return Refill(0, budget_left, slots, "No other matching creator fits the budget that is left.")
    position = max(i.position for i in shortlist.items) + 1
    try:
        with session.begin_nested():
            session.add(ShortlistRound(shortlist_id=shortlist.id, round=last_round + 1, team_id=team_id,
                                       user_id=user_id, added=len(picks)))
            session.flush()
            shortlist.items.extend(item_rows(team_id, picks, position))
            # the message marks the new lines too (a new dict: the JSON column sees the change)
            options = dict(shortlist.options or {})
            shortlist.options = options | {kind: {**(options.get(kind) or {}), **notes}
                                           for kind, notes in pick_notes(proposal).items()}
            session.flush()
    except IntegrityError:  # another click wrote this round first
        return Refill(0, budget_left, slots, "Someone replaced the rejected creators a moment ago.")
    session.expire(shortlist)
    return Refill(len(picks), budget_left - sum(p.price_cents for p in picks), slots - len(picks))
