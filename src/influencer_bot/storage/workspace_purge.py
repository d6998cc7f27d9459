"""Deleting everything a workspace left behind: `influencer-bot workspace purge T`.

Uninstalling the app removes only its installation (bot/oauth.py), so a team that reinstalls finds
its creators, shortlists and campaigns again. Purging is the deliberate second step: every row whose
`team_id` is the team's, in every table (the installation's own rows included), in one transaction,
children before parents. Tables are found from the models' metadata, so a table added later is
purged without anyone remembering to list it here.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from .models import Base


def team_tables() -> list[Table]:
    """Every table with a team_id column, children first (the order deletes must take)."""
    return [t for t in reversed(Base.metadata.sorted_tables) if "team_id" in t.c]


def count_rows(session: Session, team_id: str) -> dict[str, int]:
    """Rows per table that a purge of `team_id` would delete (tables with none left out)."""
    counts = {t.name: session.execute(select(func.count()).select_from(t).where(t.c.team_id == team_id)).scalar_one()
              for t in team_tables()}
    return {name: n for name, n in counts.items() if n}


def purge(session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of `team_id`; rows deleted per table. The caller's transaction makes it all
    or nothing."""
    deleted = {}
    for table in team_tables():
        n = session.execute(delete(table).where(table.c.team_id == team_id)).rowcount
        if n:
            deleted[table.name] = n
    return deleted
