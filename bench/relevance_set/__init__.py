"""The labelled relevance set of bench/relevance.py: synthetic creators that know what they post
about (generate.py, from concepts.py and archetypes.py) and niche queries judged by a written
rule (queries.py, RULES.md), not by the product's matcher."""
