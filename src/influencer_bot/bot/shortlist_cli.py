"""`influencer-bot shortlist "<niche>" <budget> [options] [--workspace T] [--json]`.

The Slack command's code path from a terminal: the same parser (find_query.parse_find,
so the same messages for bad input) and the same engine (handlers.commands.find.run_proposal),
without saving a shortlist. `--json` is the stable interface for scripts:

    {"niche": str, "budget_cents": int, "goal": "engagement" | "reach",
     "pool": int,                    # creators matching the niche (after platform:/tier:)
     "candidates": int,              # of those, eligible and considered by the optimiser
     "excluded": {code: int},        # rejected, emerging, quality, no_metrics, below_min_er, over_budget
     "chosen": [{"platform", "handle", "price_cents", "expected_value", "relevance"}],
     "total_price_cents": int, "objective": float,
     "optimal": bool, "gap": float,  # gap: proven relative gap, 0.0 when optimal
     "best_single": {...} | null, "suggestions": [str]}
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..influence.errors import UserError
from ..influence.find_query import parse_find
from ..handlers.views.format import format_gap
from ..influence.money import format_usd
from ..storage.search.finder import REASON_CODES, Pick, Proposal
from .settings import Settings


def add_parser(sub: Any, with_workspace: Any) -> None:
    sp = with_workspace(sub.add_parser(
        "shortlist", help='propose creators, e.g. shortlist "vegan baking" 2000 max:5, or shortlist --like @h 2000'))
    sp.add_argument("request", nargs="+", metavar="NICHE BUDGET [OPTIONS]",
                    help='the niche, quoted ("vegan baking"), the budget in dollars (2000, $2,000, 2k), then '
                         "platform:… tier:… max:N min-er:2.5 goal:reach match:any; with --like, the budget first")
    sp.add_argument("--like", metavar="@HANDLE", help="creators like this one instead of a niche (platform:any "
                                                      "looks beyond its platform)")
    sp.add_argument("--json", action="store_true", help="print the stable JSON interface")


def _creator(p: Pick) -> dict[str, Any]:
    f = p.profile.facts
    return {"platform": f.platform.value, "handle": f.handle,
            "price_cents": p.profile.price.cents if p.profile.price else None,
            "expected_value": round(p.value, 4), "relevance": round(p.relevance, 4), "partial": p.partial,
            "shares": list(p.shares)}


def as_json(proposal: Proposal) -> dict[str, Any]:
    q, sel = proposal.query, proposal.selection
    return {
        "niche": q.niche, "budget_cents": q.budget_cents, "goal": q.goal, "pool": proposal.pool,
        "candidates": proposal.eligible,
        "excluded": {REASON_CODES[reason]: n for reason, n in sorted(proposal.excluded.items())},
        "chosen": [_creator(p) for p in proposal.picks], "total_price_cents": sel.total_price_cents,
        "objective": round(sel.total_value, 4), "optimal": sel.optimal, "gap": round(sel.gap, 6),
        "best_single": _creator(proposal.best_single) if proposal.best_single else None,
        "suggestions": proposal.suggestions,
    }


def as_table(proposal: Proposal) -> str:
    q, sel = proposal.query, proposal.selection
    if not proposal.picks:
        near = f" Niches I do have: {', '.join(proposal.suggestions)}." if proposal.suggestions else ""
        why = ", ".join(f"{n:,} {r}" for r, n in proposal.excluded.most_common())
        return (f"No creators match “{q.niche}”.{near}" if proposal.pool == 0 else
                f"{proposal.pool:,} creators match “{q.niche}”, but none fits {format_usd(q.budget_cents)} ({why}).")
    unit = "impressions" if q.goal == "reach" else "engagements"
    rows = [("#", "creator", "platform", "tier", "price", f"expected {unit}", "relevance")]
    for n, p in enumerate(proposal.picks, 1):
        prof = p.profile
        rows.append((str(n), "@" + prof.facts.handle, prof.facts.platform.value, prof.tier.value if prof.tier else "?",
                     format_usd(prof.price.cents) + ("≈" if prof.price and prof.price.is_estimate else "")
                     if prof.price else "?", f"{p.value:,.0f}", f"{p.relevance:.2f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i in (1, 2, 3) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.append(f"Total {format_usd(sel.total_price_cents)} of {format_usd(q.budget_cents)}, "
                 f"left {format_usd(q.budget_cents - sel.total_price_cents)}; expected {unit} ~{sel.total_value:,.0f}")
    if proposal.best_single and proposal.best_single.value and len(proposal.picks) > 1:
        lines.append(f"{sel.total_value / proposal.best_single.value:.1f}× the expected {unit} of the best single "
                     f"creator within {format_usd(q.budget_cents)} (@{proposal.best_single.profile.facts.handle})")
    for p in proposal.picks:
        if p.partial or p.shares:
            lines.append(f"@{p.profile.facts.handle}: {p.partial or 'shares ' + ', '.join(p.shares)}")
    lines.append("Proven optimal." if sel.optimal else f"Time limit reached: proven within {format_gap(sel.gap)} of the optimum.")
    if proposal.excluded:
        lines.append("Left out: " + ", ".join(f"{n:,} {r}" for r, n in proposal.excluded.most_common()) + ".")
    lines.append(f"{proposal.pool:,} creators match; {proposal.eligible:,} were eligible. ≈ marks estimated prices.")
    return "\n".join(lines)


def cmd_shortlist(args: argparse.Namespace, settings: Settings, team_id: str) -> int:
    from ..handlers.commands.find import run_proposal
    from ..storage.db import transaction
    from .runtime import build_services, open_database

    query = parse_find(" ".join(([f"like:{args.like}"] if args.like else []) + args.request))
    if query.campaign:
        raise UserError("campaign: attaches a shortlist posted in Slack to a campaign; the terminal's "
                        "shortlist is not saved, so it takes no campaign.",
                        '/influencer find vegan baking 2000 campaign:"Spring launch"')
    services = build_services(settings, open_database(settings))
    with transaction(services.sessions) as session:
        proposal = run_proposal(session, team_id, query, services)
    print(json.dumps(as_json(proposal), indent=2) if args.json else as_table(proposal))
    return 0
