"""Benchmark: do shortlists pick creators who really post about the niche? (issue 11)

    python bench/relevance.py [--creators 2400] [--seed 11] [--queries N] [--worst 5]
                              [--engine NAME[=OPTIONS]]... [--db PATH]

1. Generates the labelled set (bench/relevance_set: synthetic creators that know what each of
   their posts is about, and 30 niche queries with budgets, judged by the rule in
   bench/relevance_set/RULES.md, never by the matcher) and writes the creators into a fresh
   SQLite workspace through the product's one write path (storage.ingest.upsert_creators:
   rows, metric snapshot, niche index).
2. Runs every query through each engine. `current` is the whole path of `influencer-bot
   shortlist` and `/influencer find` (handlers.commands.find.run_proposal: parse, match,
   optimise); `naive` is bench/naive_baseline.py (LIKE scan, greedy), the baseline in the same
   run. `--engine NAME=OPTIONS` runs the product's path with find options appended to every
   query (e.g. `--engine before="match:any" --engine after` once that option exists), so a
   matcher change shows its before and after columns in one run.
3. Prints Markdown tables, per query and overall:
   - precision@10: relevant picks / picks. A shortlist holds at most 10 (the default max:); when
     the budget buys fewer, it is divided by the number picked, and a query with no picks scores 0.
   - recall@50: of the relevant creators eligible for the request (1,000+ followers, no blocking
     flag, usable metrics, priced within the budget), the share among the engine's 50 best
     candidates by value (expected engagements × quality × relevance, what the optimiser
     maximises), divided by min(eligible relevant, 50) so that 1.0 is reachable.
   - engagements: expected engagements per post of the picks (quality-adjusted, before the
     relevance weight, so engines with different relevance scales compare), all picks and the
     relevant picks only ("whole-match value").
   Then the worst queries with their wrong picks: archetype, tier, relevance.
Targets (issue 11): precision@10 >= 0.9 overall and >= 0.8 on every query with >= 10 relevant creators.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from influencer_bot.handlers.commands.find import run_proposal  # noqa: E402
from influencer_bot.handlers.services import Services  # noqa: E402
from influencer_bot.influence.find_query import FindQuery, parse_find  # noqa: E402
from influencer_bot.influence.synonyms import BUILTIN, with_groups  # noqa: E402
from influencer_bot.influence.terms import creator_terms, niche_words  # noqa: E402
from influencer_bot.influence.tiers import TierThresholds  # noqa: E402
from influencer_bot.storage.creators.records import CreatorRecord  # noqa: E402
from influencer_bot.storage.db import make_engine, make_session_factory, transaction  # noqa: E402
from influencer_bot.storage.ingest import upsert_creators  # noqa: E402
from influencer_bot.storage.migrate import ensure_schema  # noqa: E402
from influencer_bot.storage.models import Creator  # noqa: E402
from influencer_bot.storage.search import index  # noqa: E402
from influencer_bot.storage.search.semantic_rank import minilm_ranker  # noqa: E402
from influencer_bot.storage.workspaces import ensure_workspace  # noqa: E402
from relevance_set.generate import SynthCreator, generate  # noqa: E402
from relevance_set.queries import QUERIES, Query, relevant  # noqa: E402

TEAM = "TRELEVANCE"
TOP_PICKS, TOP_RANKED = 10, 50
BATCH = 500
PRECISION_TARGET, PER_QUERY_TARGET, MIN_RELEVANT = 0.9, 0.8, 10


@dataclass(slots=True)
class Outcome:
    """What one engine answered to one query: picks (creator ids) and, if it ranks, its ranking."""

    picks: list[int]
    engagements: list[float]  # per pick, before the relevance weight
    relevance: list[float]
    ranked: list[int] | None = None  # candidates, best value first


Engine = Callable[[Session, FindQuery, Services], Outcome]


def product_engine(options: str = "", semantic: bool = False) -> Engine:
    """The product's find path, with `options` appended to each query's text; with `semantic`, as with
    SEMANTIC_MATCHING=on (needs the extra: pip install 'influencer-bot[semantic]')."""
    ranker = minilm_ranker() if semantic else None

    def run(session: Session, query: FindQuery, services: Services) -> Outcome:
        if options:
            query = parse_find(f"{query.niche} ${query.budget_cents // 100} {options}")
        p = run_proposal(session, TEAM, query, replace(services, semantic=ranker) if ranker else services)
        # at this size every eligible match the optimiser considers is a candidate (pools <
        # influence/pool_choice.CORE): whole matches, then partial ones when they were needed
        # (all of them with match:any); the ranking puts whole matches first, as the shortlist does
        assert len(p.candidates) <= p.eligible, "pool larger than the optimiser's core: rank from niche_match"
        partial = ({k.view.creator.id for k in p.picks if k.partial and k.partial.startswith("partial")}
                   if options != "match:any" else set())
        ranked = [c.key for c in sorted(p.candidates, key=lambda c: (c.key in partial, -c.value, c.key))]
        return Outcome([k.view.creator.id for k in p.picks],
                       [k.value / k.relevance if k.relevance else 0.0 for k in p.picks],
                       [k.relevance for k in p.picks], ranked)
    return run


def naive_engine(session: Session, query: FindQuery, services: Services) -> Outcome:
    from naive_baseline import naive_shortlist
    sel = naive_shortlist(session, TEAM, query)
    cols = index.columns(session, TEAM, ["ids", "engagements"])
    eng = dict(zip(cols["ids"].tolist(), cols["engagements"].tolist()))
    return Outcome(list(sel.keys), [eng.get(k, 0.0) for k in sel.keys], [float("nan")] * len(sel.keys))


def engine_from_spec(spec: str) -> tuple[str, Engine]:
    name, _, options = spec.partition("=")
    if name == "naive" and not options:
        return name, naive_engine
    return name, product_engine(options.strip().strip('"'), semantic=name.endswith("+semantic"))


@dataclass(slots=True)
class Row:
    query: Query
    relevant: int
    eligible_relevant: int
    relevant_ids: set[int]
    results: dict[str, dict] = field(default_factory=dict)


def load(factory, creators: list[SynthCreator]) -> dict[int, SynthCreator]:  # type: ignore[no-untyped-def]
    """Write the set through upsert_creators; creator id -> its synthetic creator."""
    with transaction(factory) as session:
        ensure_workspace(session, TEAM)
    for start in range(0, len(creators), BATCH):
        with transaction(factory) as session:
            upsert_creators(session, TEAM, [CreatorRecord(**c.record) for c in creators[start:start + BATCH]],
                            source="relevance-bench")  # type: ignore[arg-type]
    by_key = {c.key: c for c in creators}
    with factory() as session:
        rows = session.execute(select(Creator.id, Creator.platform, Creator.handle).where(Creator.team_id == TEAM))
        return {cid: by_key[(platform, handle)] for cid, platform, handle in rows}


def eligible(session: Session, budget_cents: int) -> set[int]:
    """Creators any engine may pick within this budget: the product's exclusion rules, from its index."""
    cols = index.columns(session, TEAM, ["ids", "price", "engagements", "codes"])
    ok = ((index.tier_codes(cols["codes"]) != index.tier_code("emerging")) & ~index.blocked(cols["codes"])
          & (cols["price"] >= 0) & (cols["price"] <= budget_cents) & (cols["engagements"] > 0))
    return set(cols["ids"][ok].tolist())


def score(outcome: Outcome, rel: set[int], rel_eligible: set[int]) -> dict:
    hits = [cid in rel for cid in outcome.picks[:TOP_PICKS]]
    top = set((outcome.ranked or [])[:TOP_RANKED])
    return {
        "picks": len(hits), "hits": sum(hits), "precision": sum(hits) / len(hits) if hits else 0.0,
        "recall": (len(top & rel_eligible) / min(len(rel_eligible), TOP_RANKED)
                   if outcome.ranked is not None and rel_eligible else None),
        "engagements": sum(outcome.engagements),
        "relevant_engagements": sum(e for e, h in zip(outcome.engagements, hits) if h),
        "outcome": outcome,
    }


def evaluate(factory, creators: list[SynthCreator], queries: list[Query],  # type: ignore[no-untyped-def]
             engines: dict[str, Engine]) -> tuple[list[Row], dict[int, SynthCreator]]:
    by_id = load(factory, creators)
    id_of = {c.key: cid for cid, c in by_id.items()}
    services = Services(sessions=factory)
    rows = []
    for q in queries:
        rel = {id_of[k] for k in relevant(creators, q)}
        parsed = parse_find(f"{q.niche} {q.budget_usd}")
        with factory() as session:
            rel_eligible = rel & eligible(session, parsed.budget_cents)
        row = Row(q, len(rel), len(rel_eligible), rel)
        for name, engine in engines.items():
            with transaction(factory) as session:
                row.results[name] = score(engine(session, parsed, services), rel, rel_eligible)
        rows.append(row)
    return rows, by_id


def overall(rows: list[Row], name: str) -> dict:
    rs = [r.results[name] for r in rows]
    recalls = [r["recall"] for r in rs if r["recall"] is not None]
    judged = [r for r in rows if r.relevant >= MIN_RELEVANT]
    return {
        "precision": statistics.mean(r["precision"] for r in rs),
        "precision_micro": sum(r["hits"] for r in rs) / max(1, sum(r["picks"] for r in rs)),
        "recall": statistics.mean(recalls) if recalls else None,
        "meeting": sum(r.results[name]["precision"] >= PER_QUERY_TARGET for r in judged), "judged": len(judged),
        "engagements": sum(r["engagements"] for r in rs),
        "relevant_engagements": sum(r["relevant_engagements"] for r in rs),
    }


def matched_words(c: SynthCreator, niche: str) -> list[str]:
    """The creator's tags and bio words through which the niche's words (with built-in synonyms) matched."""
    wanted = set().union(*(BUILTIN.expand(w.term) for w in niche_words(niche)))
    words = str(c.record["topics"]).replace(",", " ").replace(" · ", " ").split() + str(c.record["bio"]).split()
    found = [w for w in dict.fromkeys(words) if wanted & set(with_groups(creator_terms(w, None, None)))]
    return found[:4]


def _describe(c: SynthCreator, relevance: float, niche: str) -> str:
    followers = int(c.record["followers"])  # type: ignore[call-overload]
    tier = TierThresholds().tier_of(followers).value
    rel = "" if relevance != relevance else f", rel {relevance:.2f}"  # NaN: the naive path has none
    return f"@{c.record['handle']} ({c.archetype}, {tier} {followers:,}{rel}: {' '.join(matched_words(c, niche))})"


def report(rows: list[Row], by_id: dict[int, SynthCreator], names: list[str], n_creators: int, seconds: float,
           worst: int) -> str:
    out = [f"\n### Relevance: {n_creators:,} labelled creators, {len(rows)} queries "
           f"(loaded in {seconds:.1f} s)\n",
           "| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    totals = {n: overall(rows, n) for n in names}
    fmt = lambda x, spec: "—" if x is None else format(x, spec)  # noqa: E731
    for label, fn in [
        ("precision@10, mean over queries", lambda t: fmt(t["precision"], ".2f")),
        ("precision@10, all picks pooled", lambda t: fmt(t["precision_micro"], ".2f")),
        ("recall@50, mean over queries", lambda t: fmt(t["recall"], ".2f")),
        (f"queries with ≥ {MIN_RELEVANT} relevant at precision@10 ≥ {PER_QUERY_TARGET}",
         lambda t: f"{t['meeting']} of {t['judged']}"),
        ("expected engagements of the picks, all queries", lambda t: f"{t['engagements']:,.0f}"),
        ("… of which from relevant picks", lambda t: f"{t['relevant_engagements']:,.0f}"),
    ]:
        out.append(f"| {label} | " + " | ".join(fn(totals[n]) for n in names) + " |")
    out += ["", "| query | budget | relevant (eligible) | " + " | ".join(
        f"{n}: P@10 (picks) | {n}: R@50 | {n}: engagements (relevant)" for n in names) + " |",
        "|---|---:|---:|" + "---:|---:|---:|" * len(names)]
    for r in rows:
        cells = []
        for n in names:
            s = r.results[n]
            cells += [f"{s['precision']:.2f} ({s['picks']})", fmt(s["recall"], ".2f"),
                      f"{s['engagements']:,.0f} ({s['relevant_engagements']:,.0f})"]
        out.append(f"| {r.query.niche} | ${r.query.budget_usd:,} | {r.relevant} ({r.eligible_relevant}) | "
                   + " | ".join(cells) + " |")
    first = names[0]
    bad = sorted(rows, key=lambda r: (r.results[first]["precision"], r.query.niche))[:worst]
    out.append(f"\nWorst {len(bad)} queries for `{first}`, with their picks that do not belong:\n")
    for r in bad:
        s = r.results[first]
        o = s["outcome"]
        wrong = [_describe(by_id[c], rel, r.query.niche) for c, rel in zip(o.picks, o.relevance) if c not in r.relevant_ids]
        out.append(f"- **{r.query.niche}** (${r.query.budget_usd:,}): precision@10 {s['precision']:.2f} "
                   f"({s['hits']} of {s['picks']}); wrong: " + ("; ".join(wrong) or "none"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--creators", type=int, default=2400)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--queries", type=int, help="only the first N queries")
    ap.add_argument("--worst", type=int, default=6, help="queries whose wrong picks are listed")
    ap.add_argument("--engine", action="append", metavar="NAME[=OPTIONS]",
                    help="`current`, `naive`, or NAME=\"find options\" (default: current and naive)")
    ap.add_argument("--db", type=Path, help="SQLite file (default: a fresh temporary one)")
    args = ap.parse_args(argv)
    engines = dict(engine_from_spec(s) for s in (args.engine or ["current", "naive"]))
    creators = generate(args.creators, args.seed)
    queries = list(QUERIES[:args.queries] if args.queries else QUERIES)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "relevance.sqlite3"
        path.unlink(missing_ok=True)
        db = make_engine(f"sqlite:///{path}")
        ensure_schema(db)
        started = time.perf_counter()
        rows, by_id = evaluate(make_session_factory(db), creators, queries, engines)
        print(report(rows, by_id, list(engines), len(creators), time.perf_counter() - started, args.worst))
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
