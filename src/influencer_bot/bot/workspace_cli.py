"""`influencer-bot workspace purge T [--yes]`: delete everything a workspace left behind.

Uninstalling keeps a workspace's data (a reinstall finds it again); this is the deliberate step
that removes it, every row of that team id in every table, in one transaction. Without --yes it
only says what it would delete, and exits 2 so that a script cannot mistake it for done.
"""

from __future__ import annotations

import argparse
import re

from ..influence.errors import UserError
from .settings import Settings

EXAMPLE = "influencer-bot workspace purge T0123ABCD --yes"
_TEAM = re.compile(r"[TE][A-Z0-9]{2,31}")


def add_parser(sub: argparse._SubParsersAction) -> None:
    workspace = sub.add_parser("workspace", help="purge: delete a workspace's data (after it uninstalled the app)")
    workspace.add_argument("action", choices=["purge"])
    workspace.add_argument("team_id", metavar="T", help="the Slack team id, e.g. T0123ABCD")
    workspace.add_argument("--yes", action="store_true", help="really delete (without it: only count)")


def cmd_workspace(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.db import transaction
    from ..storage.workspace_purge import count_rows, purge
    from .runtime import build_services, open_database

    team = args.team_id.strip()
    if not _TEAM.fullmatch(team):
        raise UserError(f"“{team[:40]}” is not a Slack team id: it starts with T and has only capital letters "
                        "and digits.", EXAMPLE)
    services = build_services(settings, open_database(settings))
    with transaction(services.sessions) as session:
        counts = purge(session, team) if args.yes else count_rows(session, team)
    if not counts:
        print(f"Workspace {team} has no rows: nothing to delete.")
        return 0
    width = max(len(name) for name in counts)
    lines = [f"  {name:<{width}}  {n:>9,}" for name, n in counts.items()]
    total = sum(counts.values())
    if not args.yes:
        print(f"Would delete {total:,} rows of workspace {team}:", *lines,
              f"Nothing was deleted. To delete them: influencer-bot workspace purge {team} --yes", sep="\n")
        return 2
    print(f"Deleted {total:,} rows of workspace {team}:", *lines, sep="\n")
    return 0
