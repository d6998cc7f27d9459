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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from ..influence.synonyms import Pair, Synonyms
from ..influence.segment import is_word
from ..influence.terms import NicheWord, surface
from .models import Decision
from .search_models import CreatorTerm, NicheSynonym

REJECTION_MEMORY = timedelta(days=90)
MAX_LISTED_REJECTED = 2_000  # past this, rejected creators are left out by subquery (SQLite's variable limit)

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



# ---------------------------------------------------------------- ranked ranges: no grouping
# The index rows of a niche's terms are ranked by an upper bound of each creator's reduced
# profit (its row's weight stands for the relevance it may reach), so a big pool is never
# loaded whole: the optimiser's dual price (from a sample) ranks it, the best few thousand
# rows come back, exact relevance is read for those creators only, and finder.py proves that
# no creator left behind could do better. Nothing is grouped by creator except the counts.
#
# Every scan of a range is lean: each row is tested with plain column predicates (a few
# tenths of a microsecond a row on SQLite), never a subquery. Creators rejected in the last 90 days
# are few, so they are read once, up front, and settled in Python: left out of the ranked
# reads by id, and moved to their own reason in the counts.

def _rejected_query(team_id: str, now: datetime) -> Select[tuple[int]]:
    return select(Decision.creator_id).where(Decision.team_id == team_id, Decision.decision == "rejected",
                                             Decision.decided_at >= now - REJECTION_MEMORY)


def rejected_ids(session: Session, team_id: str, now: datetime) -> frozenset[int]:
    """Creators of this workspace rejected within REJECTION_MEMORY (few: one per decision)."""
    return frozenset(session.scalars(_rejected_query(team_id, now)))


class Range:
    """The index rows of some terms in one workspace, with each row's exclusion reason."""

    def __init__(self, team_id: str, alternatives: Sequence[frozenset[str]], f: Filters, now: datetime,
                 rejected: Collection[int] = ()) -> None:
        t = CreatorTerm.__table__.c
        self.t, self.team_id, self.alternatives = t, team_id, alternatives
        self.terms = sorted(set().union(*alternatives))
        self.rejected = sorted(set(rejected))
        base = t.impressions if f.goal == "reach" else t.engagements
        self.where = [t.team_id == team_id, t.term.in_(self.terms)]
        if f.platform:
            self.where.append(t.platform == f.platform)
        if f.tier:
            self.where.append(t.tier == f.tier)
        # (code, the row has it): checked in this order, a row is counted under the first that applies
        tests = []
        if not f.keep_emerging:
            tests.append((EMERGING, t.tier == "emerging"))
        tests += [(QUALITY, t.exclusion.is_not(None)),
                  (NO_METRICS, or_(t.price_cents.is_(None), base.is_(None), base <= 0))]
        if f.min_er_pct is not None:
            tests.append((BELOW_MIN_ER, or_(t.er_pct.is_(None), t.er_pct < f.min_er_pct)))
        if f.budget_cents is not None:
            tests.append((OVER_BUDGET, t.price_cents > f.budget_cents))
        self.codes: list[str | None] = [None] + [code for code, _ in tests]  # SQL yields an index into this
        self.reason = case(*((test, literal_column(str(i))) for i, (_, test) in enumerate(tests, 1)),
                           else_=literal_column("0"))
        # the same tests, negated as plain conjuncts (NULL-safe), for the ranked reads
        self.ok = [func.coalesce(t.tier, "") != "emerging"] if not f.keep_emerging else []
        self.ok += [t.exclusion.is_(None), t.price_cents.is_not(None), base > 0]
        if f.min_er_pct is not None:
            self.ok.append(t.er_pct >= f.min_er_pct)
        if f.budget_cents is not None:
            self.ok.append(t.price_cents <= f.budget_cents)
        if len(self.rejected) > MAX_LISTED_REJECTED:  # too many to list in a statement: the query itself
            self.ok.append(t.creator_id.not_in(_rejected_query(team_id, now)))
        elif self.rejected:
            self.ok.append(t.creator_id.not_in(self.rejected))
        self.value = base * t.weight / 100.0  # an upper bound: relevance <= this row's weight / 100
        self.columns = (t.creator_id, t.price_cents, base, t.weight, t.term)

    def counts(self, session: Session) -> tuple[int, dict[str, int]]:
        """(pool, excluded by code): distinct creators, so grouped when several terms. One lean
        pass over the range; the few rejected creators are then moved to their own code."""
        if len(self.terms) == 1:  # one row per creator
            reason = self.reason.label("reason")
            found = session.execute(select(reason, func.count()).where(*self.where).group_by(reason))
        else:  # a creator's rows share its reason: count distinct (creator, reason) pairs
            sub = select(self.t.creator_id, self.reason.label("reason")).where(*self.where).distinct().subquery()
            found = session.execute(select(sub.c.reason, func.count()).group_by(sub.c.reason))
        per: dict[str | None, int] = dict.fromkeys(self.codes, 0)
        for i, n in found:
            per[self.codes[int(i)]] += int(n)
        if self.rejected:
            seen: dict[int, str | None] = {}
            for start in range(0, len(self.rejected), 1_000):
                for cid, i in session.execute(select(self.t.creator_id, self.reason).where(
                        *self.where, self.t.creator_id.in_(self.rejected[start:start + 1_000]))):
                    seen[cid] = self.codes[int(i)]
            for code in seen.values():
                per[code] -= 1
            per[REJECTED] = len(seen)
        pool = sum(per.values())
        return pool, {code: n for code, n in per.items() if code is not None and n}

    def sample(self, session: Session, n: int) -> list[Row]:
        """About n eligible creators to estimate the dual price from: the first of each term's
        range in creator id order, a prefix read (ids carry no score, so it stands for the pool;
        a skewed one only makes the ranking, never the answer, worse: finder.py proves it)."""
        per_term = max(1, n // len(self.terms))
        rows = []
        for term in self.terms:
            rows += session.execute(select(*self.columns).where(*self.where, *self.ok, self.t.term == term)
                                    .order_by(self.t.creator_id).limit(per_term)).all()
        return self._rows(session, rows)

    def eligible(self, session: Session, *, above: float | None = None, lam: float = 0.0,
                 limit: int | None = None) -> tuple[list[Row], float | None]:
        """Eligible creators with exact word weights: all, or those whose bound on
        value - lam*price is above `above`, or the `limit` best rows by it. The second item is
        the bound of the last row ranked (None: all came back)."""
        q = select(*self.columns).where(*self.where, *self.ok)
        r = self.value - lam * self.t.price_cents
        if above is not None:
            q = q.where(r > above)
        tau = None
        if limit is None:
            rows = session.execute(q).all()
        else:
            rows = session.execute(q.order_by(r.desc(), self.t.creator_id).limit(limit)).all()
            if len(rows) == limit:
                _, price, b, w, _ = rows[-1]
                tau = b * w / 100.0 - lam * price
        # a full read holds every matching row of each creator it returns: its weights are all there
        return self._rows(session, rows, complete=limit is None and above is None), tau

    def most_valuable(self, session: Session) -> list[Row]:
        """The eligible row with the largest bound on value (ties: cheaper, then lower id)."""
        return self._rows(session, session.execute(select(*self.columns).where(*self.where, *self.ok).order_by(
            self.value.desc(), self.t.price_cents, self.t.creator_id).limit(1)).all())

    def _rows(self, session: Session, rows: Sequence, complete: bool = False) -> list[Row]:
        """Rows to creators with their word weights: from the rows themselves when they hold
        all of each creator's matching rows (one term, or a `complete` read), else looked up."""
        base = {cid: (int(price), float(b)) for cid, price, b, _, _ in rows}
        if len(self.terms) == 1 or complete:
            weights = self._best(rows)
        else:
            weights = self._weights(session, sorted(base))
        return [Row(cid, *base[cid], weights[cid]) for cid in sorted(base)]

    def _best(self, rows: Sequence) -> dict[int, tuple[int, ...]]:
        """Each creator's best weight per niche word among these (creator, …, weight, term) rows."""
        best: dict[int, list[int]] = {}
        for cid, _, _, w, term in rows:
            ws = best.setdefault(cid, [0] * len(self.alternatives))
            for j, alts in enumerate(self.alternatives):
                if term in alts and w > ws[j]:
                    ws[j] = w
        return {cid: tuple(ws) for cid, ws in best.items()}

    def _weights(self, session: Session, ids: list[int]) -> dict[int, tuple[int, ...]]:
        """Each creator's best weight per niche word (0 when the word is absent): one primary-key
        range per term, for a chunk of ids at a time."""
        best = {cid: [0] * len(self.alternatives) for cid in ids}
        words = {term: [j for j, alts in enumerate(self.alternatives) if term in alts] for term in self.terms}
        t = self.t
        for term in self.terms:
            for start in range(0, len(ids), 1_000):
                for cid, w in session.execute(select(t.creator_id, t.weight).where(
                        t.team_id == self.team_id, t.term == term, t.creator_id.in_(ids[start:start + 1_000]))):
                    for j in words[term]:
                        if w > best[cid][j]:
                            best[cid][j] = w
        return {cid: tuple(ws) for cid, ws in best.items()}
