"""`/influencer config synonym …`: a workspace's own niche synonyms.

    /influencer config synonym plant-based = vegan     add a pair (works both ways)
    /influencer config synonym list                    the workspace's pairs
    /influencer config synonym remove plant-based = vegan   (or just: remove plant-based)

Parsed before the ack, so a malformed pair is answered at once; replies are private.
"""

from __future__ import annotations

from functools import partial

from ...influence.errors import UserError
from ...influence.synonyms import BUILTIN_PAIRS, EXAMPLE, parse_pair
from ...influence.terms import phrase_term
from ...storage.search import synonyms as store
from ...storage.db import transaction
from ...storage.workspaces import ensure_workspace
from ..views.format import clip, escape
from .prepared import Prepared
from .request import CommandRequest

USAGE = ("`/influencer config synonym plant-based = vegan` adds a synonym, `… synonym list` shows them, "
         "`… synonym remove plant-based = vegan` removes one.")


def prepare(rest: str) -> Prepared:
    topic, _, args = rest.partition(" ")
    if topic.lower() not in ("synonym", "synonyms"):
        raise UserError(f"I can configure synonyms for now. {USAGE}", EXAMPLE)
    action, _, tail = args.strip().partition(" ")
    if action.lower() == "list" and not tail.strip():
        return Prepared(work=_list)
    if action.lower() == "remove":
        if "=" in tail:
            pair = parse_pair(tail)
            return Prepared(work=partial(_remove, pair.term, pair.synonym_term, f"{pair.phrase} = {pair.synonym}"))
        term = phrase_term(tail)
        if not term:
            raise UserError("Which synonym should I remove?", "/influencer config synonym remove plant-based = vegan")
        return Prepared(work=partial(_remove, term, None, " ".join(tail.split())))
    if not args.strip():
        raise UserError(USAGE, EXAMPLE)
    return Prepared(work=partial(_add, parse_pair(args)))


def _add(pair, req: CommandRequest) -> None:  # type: ignore[no-untyped-def]
    with transaction(req.services.sessions) as session:
        ensure_workspace(session, req.team_id)
        added = store.add_synonym(session, req.team_id, pair, req.user_id)
    shown = f"“{escape(pair.phrase)}” = “{escape(pair.synonym)}”"
    req.reply(f":white_check_mark: Synonym {shown} added: searches for either now find both in this workspace."
              if added else f"This workspace already has the synonym {shown}.")


def _list(req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        pairs = store.list_synonyms(session, req.team_id)
    lines = [f"• {escape(p.phrase)} = {escape(p.synonym)} (added by <@{p.created_by}>)" for p in pairs]
    head = (f"*This workspace's synonyms* ({len(pairs)}):" if pairs else "This workspace has no synonyms of its own yet.")
    req.reply(clip("\n".join([head, *lines, f"Plus {len(BUILTIN_PAIRS)} built-in pairs (baking = pastry, …). {USAGE}"])))


def _remove(term: str, synonym_term: str | None, shown: str, req: CommandRequest) -> None:
    with transaction(req.services.sessions) as session:
        removed = store.remove_synonyms(session, req.team_id, term, synonym_term)
    req.reply(f"Removed {removed} synonym{'s' * (removed != 1)} for “{escape(shown)}”." if removed
              else f"This workspace has no synonym “{escape(shown)}” (built-in ones cannot be removed).")
