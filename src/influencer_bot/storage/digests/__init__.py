"""Digests: channels' subscriptions, the exactly-once ledger of runs, and what a digest says."""
