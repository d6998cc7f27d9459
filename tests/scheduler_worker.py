"""A scheduler "process" for the exactly-once tests: its own engine, client and worker id.

Lives in a module (not a test file) so multiprocessing's spawn start method can import it
in a fresh interpreter, exactly as a second `influencer-bot scheduler` would start.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from influencer_bot.bot.digest_runner import DigestRunner
from influencer_bot.bot.slack_client import make_web_client
from influencer_bot.handlers.services import Services
from influencer_bot.storage.db import make_engine, make_session_factory


def make_runner(db_url: str, api_url: str, name: str) -> tuple[DigestRunner, object]:
    engine = make_engine(db_url)
    client = make_web_client("xoxb-test", api_url)
    return DigestRunner(Services(sessions=make_session_factory(engine)), client, worker_id=name), engine


def run_steps(db_url: str, api_url: str, name: str, steps: list[datetime], barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Call run_due at each simulated moment, in lock-step with the other workers."""
    runner, engine = make_runner(db_url, api_url, name)
    outcomes: Counter[str] = Counter()
    try:
        for now in steps:
            barrier.wait(timeout=60)
            outcomes.update(outcome.value for _, _, outcome in runner.run_due(now))
    finally:
        engine.dispose()  # type: ignore[attr-defined]
        results.put((name, dict(outcomes)))
