"""Wiring shared by every entry point: logging, the database, the services."""

from __future__ import annotations

import logging
import sys

from sqlalchemy import Engine

from ..handlers.services import Services
from ..storage.db import make_engine, make_session_factory
from ..storage.migrate import ensure_schema
from ..storage.search.semantic_rank import minilm_ranker
from .settings import Settings
from .sync_clients import build_sync_platforms


class _NoSecrets(logging.Filter):
    """Belt and braces: never let a token that slipped into a log message reach the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "xoxb-" in msg or "xapp-" in msg or "xoxp-" in msg:
            record.msg, record.args = "[log line withheld: it contained a Slack token]", ()
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_NoSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("slack_bolt", "slack_sdk", "urllib3", "waitress", "apscheduler", "alembic", "httpx", "httpx_retries"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def open_database(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    ensure_schema(engine, scoring=scoring_settings(settings))
    return engine


def scoring_settings(settings: Settings) -> dict[str, object]:
    """What the index is scored with, for migrations that re-index (storage/migrate.upgrade)."""
    return {"thresholds": settings.tiers, "rules": settings.quality_rules}


def build_services(settings: Settings, engine: Engine) -> Services:
    sessions = make_session_factory(engine)
    return Services(sessions=sessions, thresholds=settings.tiers,
                    quality_rules=settings.quality_rules, synonyms=settings.synonyms,
                    optimizer_time_limit_s=settings.optimizer_time_limit_s,
                    sync=build_sync_platforms(settings, sessions),
                    semantic=minilm_ranker() if settings.semantic else None)
