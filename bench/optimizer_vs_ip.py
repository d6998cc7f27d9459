"""Benchmark: the shortlist optimiser against an integer program solved by PuLP + CBC.

    python bench/optimizer_vs_ip.py [--instances 200] [--seed 1] [--time-limit 0.1]

Each instance is shaped like a real shortlist: 50 to 5,000 creators matched to a niche, a mix
of nano, micro and macro creators whose price per post ($10 to $10,000) follows their follower
count and whose expected engagements follow price times a tier engagement rate, with noise;
a budget of $500 to $500,000 (log-uniform) and 5 to 20 creators at most.

For each instance we time `choose` (with its default time limit) and CBC (no limit, gap 0), and
check that our value equals CBC's (relative 1e-6) or lies within the gap we reported. Prints a
Markdown table, plus the naive value-per-dollar greedy as a fraction of our value. Exits 1 if
any instance has our value below the IP optimum by more than our reported gap, 2 without PuLP.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time

from influencer_bot.influence.optimizer import Candidate, choose, greedy

TIERS = (  # share of the pool, price range in cents, engagement rate per follower-dollar
    (0.60, 1_000, 10_000, 0.040),        # nano: $10-$100
    (0.32, 10_000, 100_000, 0.028),      # micro: $100-$1,000
    (0.08, 100_000, 1_000_000, 0.020),   # macro: $1,000-$10,000
)


def instance(rng: random.Random) -> tuple[list[Candidate], int, int]:
    n = int(math.exp(rng.uniform(math.log(50), math.log(5_000))))
    pool = []
    for i in range(n):
        _, lo, hi, er = rng.choices(TIERS, weights=[t[0] for t in TIERS])[0]
        price = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        followers = price / 100 * 100 * rng.lognormvariate(0, 0.3)   # ~ $10 per 1,000 followers
        pool.append(Candidate(i, price, round(followers * er * rng.lognormvariate(0, 0.5), 2)))
    budget = int(math.exp(rng.uniform(math.log(50_000), math.log(50_000_000))))
    return pool, budget, rng.randint(5, 20)


def solve_ip(pool: list[Candidate], budget: int, k: int) -> tuple[float, float]:
    import pulp

    prob = pulp.LpProblem("shortlist", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{i}", cat="Binary") for i in range(len(pool))]
    prob += pulp.lpSum(c.value * xi for c, xi in zip(pool, x))
    prob += pulp.lpSum(c.price_cents * xi for c, xi in zip(pool, x)) <= budget
    prob += pulp.lpSum(x) <= k
    start = time.perf_counter()
    prob.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, threads=1))
    elapsed = time.perf_counter() - start
    assert pulp.LpStatus[prob.status] == "Optimal", pulp.LpStatus[prob.status]
    return sum(c.value for c, xi in zip(pool, x) if (xi.value() or 0) > 0.5), elapsed


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=0.1, help="choose()'s time_limit_s")
    args = ap.parse_args()
    try:
        import pulp  # noqa: F401
    except ImportError:
        print("PuLP is not installed: pip install -e '.[bench]' (PuLP bundles the CBC solver).", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    ours_t, cbc_t, ratios, failures = [], [], [], []
    equal = within_gap = with_gap = 0
    for n in range(args.instances):
        pool, budget, k = instance(rng)
        start = time.perf_counter()
        sel = choose(pool, budget, k, time_limit_s=args.time_limit)
        ours_t.append(time.perf_counter() - start)
        ip_value, elapsed = solve_ip(pool, budget, k)
        cbc_t.append(elapsed)
        with_gap += sel.gap > 0
        if math.isclose(sel.total_value, ip_value, rel_tol=1e-6, abs_tol=1e-9):
            equal += 1
        elif sel.total_value >= ip_value * (1 - sel.gap) - 1e-6 * max(1.0, ip_value):
            within_gap += 1
        else:
            failures.append((n, len(pool), budget, k, sel.total_value, ip_value, sel.gap))
        if sel.upper_bound < ip_value * (1 - 1e-6):
            failures.append((n, "bound below the IP optimum", sel.upper_bound, ip_value))
        if sel.total_value > 0:
            ratios.append(greedy(pool, budget, k).total_value / sel.total_value)

    ms = lambda xs, q: f"{1e3 * pct(xs, q):.1f} ms"  # noqa: E731
    print("| metric | value |\n|---|---|")
    rows = [
        ("instances", args.instances),
        ("objective equal to CBC (rel 1e-6)", equal),
        ("below CBC but within our reported gap", within_gap),
        ("instances with gap > 0 (limit hit)", with_gap),
        ("ours: median / p95 / max", f"{ms(ours_t, .5)} / {ms(ours_t, .95)} / {ms(ours_t, 1)}"),
        ("CBC: median / p95 / max", f"{ms(cbc_t, .5)} / {ms(cbc_t, .95)} / {ms(cbc_t, 1)}"),
        ("speed ratio (CBC / ours, medians; total)",
         f"{statistics.median(cbc_t) / statistics.median(ours_t):.1f}x; {sum(cbc_t) / sum(ours_t):.1f}x"),
        ("greedy value / ours: mean / min", f"{statistics.mean(ratios):.3f} / {min(ratios):.3f}"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    for f in failures:
        print("FAILED:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
