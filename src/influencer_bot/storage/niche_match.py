"""Which creators of a workspace match a niche, and why the others are left out, in SQL.

A niche word matches a creator through any of its terms (the word's own or its built-in
group's, and its added synonyms). The index rows carry each creator's scores, so a search
over a million creators builds no ORM object and groups nothing but its counts: the
database counts exclusions by reason (distinct creators), and eligible creators come back
as plain tuples, ranked so that only the best of a big pool are read (see Range and
finder.py). Plain SQL that SQLite and PostgreSQL answer alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import Session

from ..influence.synonyms import Pair, Synonyms
from ..influence.segment import is_word
from ..influence.terms import NicheWord, surface
from .models import Decision
from .search_models import CreatorTerm, NicheSynonym

REJECTION_MEMORY = timedelta(days=90)

# Exclusion codes, in the order they are checked: a creator is counted under the first that applies.
REJECTED, EMERGING, QUALITY, NO_METRICS, BELOW_MIN_ER, OVER_BUDGET = (
    "rejected", "emerging", "quality", "no_metrics", "below_min_er", "over_budget")


@dataclass(frozen=True, slots=True)
class Filters:
    platform: str | None = None
    tier: str | None = None
    goal: str = "engagement"
    min_er_pct: float | None = None
    budget_cents: int | None = None
    keep_emerging: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    creator_id: int
    price_cents: int
    base_value: float  # expected engagements (or impressions) per post × quality
    word_weights: tuple[int, ...]


def workspace_synonyms(session: Session, team_id: str, base: Synonyms) -> Synonyms:
    pairs = [Pair(s.phrase, s.synonym, s.term, s.synonym_term) for s in session.scalars(
        select(NicheSynonym).where(NicheSynonym.team_id == team_id).order_by(NicheSynonym.id))]
    return base.with_pairs(pairs) if pairs else base


def suggest_niches(session: Session, team_id: str, words: Sequence[NicheWord], limit: int = 5) -> list[str]:
    """Frequent indexed words near the ones asked for (same first letters, similar spelling)."""
    t = CreatorTerm.__table__.c
    scored: dict[str, float] = {}
    for word in words:
        prefix = word.term[:3]
        if len(prefix) < 2:
            continue
        rows = session.execute(
            select(t.term, func.count()).where(t.team_id == team_id, t.term >= prefix, t.term < prefix + "\uffff")
            .group_by(t.term).order_by(func.count().desc(), t.term).limit(200)
        ).all()
        for term, n in rows:
            if term != word.term and is_word(surface(term)):
                similarity = difflib.SequenceMatcher(None, word.term, term).ratio()
                scored[term] = max(scored.get(term, 0.0), similarity * (1 + n) ** 0.1)
        for term in difflib.get_close_matches(word.term, list(scored), n=limit, cutoff=0.6):
            scored[term] += 1.0
    best = sorted(scored, key=lambda term: (-scored[term], term))[:limit]
    return [surface(term) for term in best]


def any_terms(session: Session, team_id: str) -> bool:
    return session.execute(select(CreatorTerm.creator_id).where(CreatorTerm.team_id == team_id).limit(1)).first() is not None



# ---------------------------------------------------------------- ranked ranges: no grouping
# The index rows of a niche's terms are ranked by an upper bound of each creator's reduced
# profit (its row's weight stands for the relevance it may reach), so a big pool is never
# loaded whole: the optimiser's dual price (from a sample) ranks it, the best few thousand
# rows come back, exact relevance is read for those creators only, and finder.py proves that
# no creator left behind could do better. Nothing is grouped by creator except the counts.

class Range:
    """The index rows of some terms in one workspace, with each row's exclusion reason."""

    def __init__(self, team_id: str, alternatives: Sequence[frozenset[str]], f: Filters, now: datetime) -> None:
        t = CreatorTerm.__table__.c
        self.t, self.team_id, self.alternatives = t, team_id, alternatives
        self.terms = sorted(set().union(*alternatives))
        base = t.impressions if f.goal == "reach" else t.engagements
        self.where = [t.team_id == team_id, t.term.in_(self.terms)]
        if f.platform:
            self.where.append(t.platform == f.platform)
        if f.tier:
            self.where.append(t.tier == f.tier)
        rejected = select(Decision.creator_id).where(Decision.team_id == team_id, Decision.decision == "rejected",
                                                     Decision.decided_at >= now - REJECTION_MEMORY)
        whens = [(t.creator_id.in_(rejected), REJECTED)]
        if not f.keep_emerging:
            whens.append((t.tier == "emerging", EMERGING))
        whens += [(t.exclusion.is_not(None), QUALITY),
                  (or_(t.price_cents.is_(None), base.is_(None), base <= 0), NO_METRICS)]
        if f.min_er_pct is not None:
            whens.append((or_(t.er_pct.is_(None), t.er_pct < f.min_er_pct), BELOW_MIN_ER))
        if f.budget_cents is not None:
            whens.append((t.price_cents > f.budget_cents, OVER_BUDGET))
        self.codes = [code for _, code in whens]
        self.reason = case(*whens, else_=literal(None))
        self.value = base * t.weight / 100.0  # an upper bound: relevance <= this row's weight / 100
        self.columns = (t.creator_id, t.price_cents, base)

    def counts(self, session: Session) -> tuple[int, dict[str, int]]:
        """(pool, excluded by code): distinct creators, so grouped when several terms."""
        if len(self.terms) == 1:
            sub = select(self.reason.label("reason")).where(*self.where).subquery()
            n, *per = session.execute(select(func.count(), *(
                func.coalesce(func.sum(case((sub.c.reason == code, 1), else_=0)), 0) for code in self.codes))).one()
            return int(n), {code: int(k) for code, k in zip(self.codes, per) if k}
        sub = select(self.reason.label("reason"), self.t.creator_id).where(*self.where).subquery()
        found = dict(session.execute(select(sub.c.reason, func.count(sub.c.creator_id.distinct()))
                                     .group_by(sub.c.reason)).all())
        return sum(found.values()), {code: n for code, n in found.items() if code is not None}

    def eligible(self, session: Session, *, every: int = 1, above: float | None = None, lam: float = 0.0,
                 limit: int | None = None) -> tuple[list[Row], float | None]:
        """Eligible creators with exact word weights: every `every`-th (a sample), or those whose
        bound on value - lam*price is above `above`, or the `limit` best rows by it (plus the
        most valuable). The second item is the bound of the last row ranked (None: all came back)."""
        q = select(*self.columns, self.value).where(*self.where, self.reason.is_(None))
        if every > 1:
            q = q.where(self.t.creator_id % every == 0)
        r = self.value - lam * self.t.price_cents
        if above is not None:
            q = q.where(r > above)
        tau = None
        if limit is None:
            rows = session.execute(q).all()
        else:
            top = session.execute(q.order_by(r.desc(), self.t.creator_id).limit(limit)).all()
            if len(top) == limit:
                tau = top[-1][3] - lam * top[-1][1]
            rows = top + session.execute(q.order_by(self.value.desc(), self.t.price_cents, self.t.creator_id)
                                         .limit(1)).all()
        base = {cid: (int(price), float(b)) for cid, price, b, _ in rows}
        weights = self._weights(session, sorted(base))
        return [Row(cid, *base[cid], weights[cid]) for cid in sorted(base)], tau

    def _weights(self, session: Session, ids: list[int]) -> dict[int, tuple[int, ...]]:
        """Each creator's best weight per niche word (0 when the word is absent)."""
        best = {cid: [0] * len(self.alternatives) for cid in ids}
        if len(self.terms) == 1:
            t = self.t
            rows: Sequence = session.execute(select(t.creator_id, t.weight).where(
                t.team_id == self.team_id, t.term == self.terms[0], t.creator_id.in_(ids))).all() if ids else []
            return {cid: (w,) for cid, w in rows}
        for start in range(0, len(ids), 1_000):
            for cid, term, w in session.execute(select(self.t.creator_id, self.t.term, self.t.weight).where(
                    self.t.team_id == self.team_id, self.t.term.in_(self.terms),
                    self.t.creator_id.in_(ids[start:start + 1_000]))):
                for j, alts in enumerate(self.alternatives):
                    if term in alts and w > best[cid][j]:
                        best[cid][j] = w
        return {cid: tuple(ws) for cid, ws in best.items()}
