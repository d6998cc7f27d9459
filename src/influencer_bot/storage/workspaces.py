"""Workspaces (Slack teams): created on first sight, race-free."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Workspace


def ensure_workspace(session: Session, team_id: str, name: str | None = None) -> Workspace:
    """Get or create; two requests creating the same workspace at once both succeed."""
    found = session.get(Workspace, team_id)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            ws = Workspace(team_id=team_id, name=name)
            session.add(ws)
        return ws
    except IntegrityError:
        return session.execute(select(Workspace).where(Workspace.team_id == team_id)).scalar_one()
