"""Propose the best mix of creators for a niche and a budget: the engine behind
`/influencer find`, `influencer-bot shortlist` and "Replace rejected".

Match in SQL (niche_match: counts of exclusions by reason, eligible creators as tuples
with precomputed scores), compute each one's value = base value × relevance, choose the
set exactly (influence/optimizer), and only then build full Profiles, for the chosen
creators and the best single one, to explain the pick. Each stage is timed, so a slow
request says where its time went.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from time import perf_counter

from sqlalchemy.orm import Session

from ..influence.find_query import FindQuery
from ..influence.flags import QualityRules
from ..influence.optimizer import Candidate, Selection, best_single, choose, core_check, dual_price
from ..influence.profile import Profile, build_profile
from ..influence.scoring import relevance
from ..influence.synonyms import BUILTIN, Synonyms
from ..influence.terms import niche_words
from ..influence.tiers import Tier, TierThresholds
from .creators import CreatorView, follower_histories, view_query
from .models import Creator, utcnow
from .shortlists import NewItem
from .niche_match import (
    BELOW_MIN_ER, EMERGING, NO_METRICS, OVER_BUDGET, QUALITY, REJECTED, Filters, Range, Row, rejected_ids,
    suggest_niches, workspace_synonyms,
)

CORE = 1_500  # a bigger pool is ranked in SQL and only this many of its best come back
SAMPLE = 2_000  # creators sampled to estimate the dual price that ranks it
WIDEN_LIMIT = 8_000  # past this, an unproven core answer is posted with its proven gap instead


class Excluded:
    """What the message says for each exclusion code of niche_match."""

    RECENTLY_REJECTED = "rejected in the last 90 days"
    QUALITY = "blocking quality flags"
    NO_METRICS = "no usable metrics"
    EMERGING = "under 1,000 followers"
    BELOW_MIN_ER = "below the minimum engagement"
    OVER_BUDGET = "priced above the whole budget"


REASONS = {REJECTED: Excluded.RECENTLY_REJECTED, EMERGING: Excluded.EMERGING, QUALITY: Excluded.QUALITY,
           NO_METRICS: Excluded.NO_METRICS, BELOW_MIN_ER: Excluded.BELOW_MIN_ER, OVER_BUDGET: Excluded.OVER_BUDGET}
#: codes for scripts (the CLI's JSON) in the order the message lists them
REASON_CODES = {text: code for code, text in REASONS.items()}


@dataclass(frozen=True, slots=True)
class Pick:
    view: CreatorView
    profile: Profile
    relevance: float
    value: float  # what the optimiser maximised for this creator


@dataclass(slots=True)
class Proposal:
    query: FindQuery
    pool: int
    picks: list[Pick]
    selection: Selection
    excluded: Counter[str] = field(default_factory=Counter)
    best_single: Pick | None = None
    candidates: list[Candidate] = field(default_factory=list)  # what the optimiser chose from

    suggestions: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def eligible(self) -> int:
        """Matching creators not excluded: all of them could have been chosen."""
        return self.pool - sum(self.excluded.values())


def new_items(picks: Sequence[Pick]) -> list[NewItem]:
    """What a shortlist stores of each pick (every pick has a price: unpriced creators are excluded)."""
    return [NewItem(p.view.creator.id, p.profile.price.cents, p.profile.price.source.value, p.value, p.relevance)
            for p in picks if p.profile.price]


def _views(session: Session, team_id: str, ids: Collection[int], thresholds: TierThresholds,
           rules: QualityRules) -> dict[int, tuple[CreatorView, Profile]]:
    if not ids:
        return {}
    history = follower_histories(session, team_id, sorted(ids))
    found = {}
    for creator, snap in session.execute(view_query(team_id).where(Creator.id.in_(sorted(ids)))):
        view = CreatorView(creator, snap)
        found[creator.id] = (view, build_profile(view.facts(history.get(creator.id, ())), thresholds, rules))
    return found


def _candidates(rows: Sequence[Row], skip: Collection[int] = ()) -> tuple[list[Candidate], dict[int, float]]:
    """Optimiser candidates (value = base value × relevance) and each one's relevance."""
    relevances, candidates = {}, []
    for row in rows:
        if row.creator_id not in skip:
            rel = relevance(row.word_weights)
            relevances[row.creator_id] = rel
            candidates.append(Candidate(row.creator_id, row.price_cents, row.base_value * rel))
    return candidates, relevances


def _from_range(session: Session, rng: Range, eligible: int, budget: int, k: int, time_limit_s: float,
                skip: Collection[int]) -> tuple[Selection, list[Candidate], dict[int, float]]:
    """Exact choice from a niche's index rows without loading a big pool whole: rank rows by
    a bound on reduced profit at the dual price of a sample, solve the best CORE creators,
    and prove that no creator left in the database could improve the answer (else load the
    few that might). Creators in `skip` (already on the shortlist being refilled) are left out."""
    if eligible <= CORE:
        candidates, rel = _candidates(rng.eligible(session)[0], skip)
        return choose(candidates, budget, k, time_limit_s=time_limit_s), candidates, rel
    sample, _ = _candidates(rng.sample(session, SAMPLE), skip)
    lam = dual_price(sample, budget, k)
    rows, tau = rng.eligible(session, lam=lam, limit=CORE)
    core, rel = _candidates(rows, skip)
    if tau is None:  # the ranking returned everything eligible: nothing is left outside
        return choose(core, budget, k, time_limit_s=time_limit_s), core, rel
    tau += 1e-9 * max(1.0, abs(tau))  # rows tied at the limit, SQL round-off
    # The best single creator (the footer's comparison) is in the core unless an outside one
    # could be worth more: an outside row's value is below tau + lam * price <= tau + lam * budget.
    if max((c.value for c in core), default=0.0) <= tau + lam * budget:
        top, top_rel = _candidates(rng.most_valuable(session), skip)
        known = {c.key for c in core}
        core += [c for c in top if c.key not in known]
        rel |= top_rel
    selection = choose(core, budget, k, time_limit_s=time_limit_s)
    # The proof at the ranking's lam, or at the core's own (every outside creator is affordable,
    # so its reduced profit there is below tau + (lam - core_lam) * budget): the tighter wins.
    core_lam = dual_price(core, budget, k)
    checks = [core_check(core, lam, tau, budget, k, selection.total_value),
              core_check(core, core_lam, tau + max(0.0, lam - core_lam) * budget, budget, k, selection.total_value)]
    if any(proven for proven, _, _ in checks):
        return selection, core, rel
    if eligible > WIDEN_LIMIT:  # loading what the proof could not exclude would take too long: say how close
        bound = max(selection.upper_bound, min(outside for _, outside, _ in checks))
        gap = (bound - selection.total_value) / bound if bound > 0 else 0.0
        return replace(selection, optimal=False, gap=gap, upper_bound=bound), core, rel
    cut = checks[0][2]  # at the last ranking's lam: only creators above it could beat the selection
    wide, rel2 = _candidates(rng.eligible(session, lam=lam, above=cut - 1e-9 * max(1.0, abs(cut)))[0], skip)
    known = {c.key for c in wide}
    wide += [c for c in core if c.key not in known]
    return choose(wide, budget, k, time_limit_s=time_limit_s), wide, rel | rel2


def propose(session: Session, team_id: str, query: FindQuery, *, thresholds: TierThresholds = TierThresholds(),
            rules: QualityRules = QualityRules(), time_limit_s: float = 0.1, synonyms: Synonyms = BUILTIN,
            exclude_ids: Collection[int] = (), budget_cents: int | None = None,
            max_items: int | None = None) -> Proposal:
    """The best set for `query`; `exclude_ids`, `budget_cents` and `max_items` narrow it for a refill."""
    clock = perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = perf_counter()
        timings[name] = round((now - clock) * 1000, 2)
        clock = now

    budget = query.budget_cents if budget_cents is None else budget_cents
    words = niche_words(query.niche)
    table = workspace_synonyms(session, team_id, synonyms)
    alternatives = [table.expand(w.term) for w in words]
    filters = Filters(platform=query.platform.value if query.platform else None,
                      tier=query.tier.value if query.tier else None, goal=query.goal, min_er_pct=query.min_er_pct,
                      budget_cents=budget, keep_emerging=query.tier is Tier.EMERGING)
    k = query.max_items if max_items is None else max_items
    skip = set(exclude_ids)
    now = utcnow()
    pool, counts, selection, candidates, by_id = 0, {}, choose([], budget, 1), [], {}
    if words:
        rng = Range(team_id, alternatives, filters, now, rejected_ids(session, team_id, now))
        pool, counts = rng.counts(session)
        lap("match")
        if k > 0:
            selection, candidates, by_id = _from_range(session, rng, pool - sum(counts.values()), budget, k,
                                                       time_limit_s, skip)
    excluded = Counter({REASONS[code]: n for code, n in counts.items()})
    single = best_single(candidates, budget)
    lap("optimise")
    values = {c.key: c.value for c in candidates}
    wanted = set(selection.keys) | ({single.key} if single else set())
    views = _views(session, team_id, wanted, thresholds, rules)

    def pick(cid: int) -> Pick:
        view, profile = views[cid]
        return Pick(view, profile, by_id[cid], values[cid])

    suggestions = suggest_niches(session, team_id, words) if pool == 0 and words else []
    lap("profiles")
    return Proposal(query=query, pool=pool, picks=[pick(k) for k in selection.keys], selection=selection,
                    excluded=excluded, best_single=pick(single.key) if single else None,
                    candidates=candidates, suggestions=suggestions, timings_ms=timings)
