"""Wiring shared by every entry point: logging, the database, the services."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import Engine

from ..handlers.request_id import RequestIdFilter
from ..handlers.services import Services
from ..storage.db import make_engine, make_session_factory
from ..storage.db_bounds import DbTimeouts
from ..storage.migrate import ensure_schema
from .metrics import DB_POOL_IN_USE
from ..storage.search.semantic_rank import minilm_ranker
from .settings import Settings
from .slack_client import BotIdentity, SlackPolicy, responder
from .sync_clients import build_sync_platforms
from .workspace_clients import InstalledTokens, StaticTokens, WorkspaceTokens


class _NoSecrets(logging.Filter):
    """Belt and braces: never let a token that slipped into a log message reach the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "xoxb-" in msg or "xapp-" in msg or "xoxp-" in msg:
            record.msg, record.args = "[log line withheld: it contained a Slack token]", ()
        return True


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Text lines, or with LOG_FORMAT=json one JSON object a line; both carry the Slack request's id
    (handlers/request_id.py), the same id a user quotes from an apology."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                                           rename_fields={"levelname": "level", "asctime": "time"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    handler.addFilter(_NoSecrets())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("slack_bolt", "slack_sdk", "urllib3", "waitress", "apscheduler", "alembic", "httpx", "httpx_retries"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def db_timeouts(settings: Settings) -> DbTimeouts:
    return DbTimeouts(connect_s=settings.db_connect_timeout_s, pool_s=settings.db_pool_timeout_s,
                      statement_s=settings.db_statement_timeout_s)


def slack_policy(settings: Settings) -> SlackPolicy:
    return SlackPolicy(timeout_s=settings.slack_timeout_s, attempts=settings.slack_max_retries,
                       backoff_s=settings.slack_retry_backoff_s)


def open_database(settings: Settings) -> Engine:
    """The bounded engine the bot serves from; migrations run first on an unbounded one (an index
    build may take longer than any statement should while serving)."""
    migrating = make_engine(settings.database_url)
    try:
        ensure_schema(migrating, scoring=scoring_settings(settings))
    finally:
        migrating.dispose()
    engine = make_engine(settings.database_url, db_timeouts(settings))
    count_pool_use(engine)
    return engine


def count_pool_use(engine: Engine) -> None:
    """DB_POOL_IN_USE reads the pool's own count of checked-out connections when scraped: counting
    checkout and checkin events drifts, because a checkout whose ping fails is retried unmatched."""
    pool = engine.pool
    DB_POOL_IN_USE.set_function(lambda: pool.checkedout() if hasattr(pool, "checkedout") else 0)


def scoring_settings(settings: Settings) -> dict[str, object]:
    """What the index is scored with, for migrations that re-index (storage/migrate.upgrade)."""
    return {"thresholds": settings.tiers, "rules": settings.quality_rules}


def build_services(settings: Settings, engine: Engine) -> Services:
    sessions = make_session_factory(engine)
    return Services(sessions=sessions, thresholds=settings.tiers,
                    quality_rules=settings.quality_rules, synonyms=settings.synonyms,
                    optimizer_time_limit_s=settings.optimizer_time_limit_s,
                    db_request_timeout_s=settings.db_request_timeout_s,
                    sync=build_sync_platforms(settings, sessions),
                    semantic=minilm_ranker() if settings.semantic else None,
                    respond_to=responder(slack_policy(settings)))


def workspace_tokens(settings: Settings, engine: Engine, identity: BotIdentity = BotIdentity()) -> WorkspaceTokens:
    """Whose token acts for a workspace: SLACK_BOT_TOKEN's for all, or (OAuth) each installation's."""
    policy = slack_policy(settings)
    if settings.oauth:
        from .oauth import installation_store

        return InstalledTokens(installation_store(engine, settings.slack_client_id or ""), settings.slack_api_url,
                               policy)
    return StaticTokens(settings.slack_bot_token, identity, settings.slack_api_url, policy)
