"""The `influencer-bot` command: run, scheduler, console, ask, shortlist, sync, db, import, export, demo-data,
workspace."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from ..influence.errors import UserError
from ..storage.migrate import SchemaOutOfDate
from .settings import LOCAL_WORKSPACE, Settings
from .shortlist_cli import add_parser as add_shortlist_parser, cmd_shortlist
from .sync_cli import add_parser as add_sync_parser, cmd_sync
from .workspace_cli import add_parser as add_workspace_parser, cmd_workspace

DEMO_CREATORS = 2_000


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="influencer-bot", description="Find, approve and track micro-influencers from Slack.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_workspace(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--workspace", metavar="T", help=f"Slack team id to act for (default: {LOCAL_WORKSPACE})")
        return sp

    run = sub.add_parser("run", help="connect to Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP on $PORT)")
    run.add_argument("--no-scheduler", action="store_true",
                     help="serve Slack only, post no scheduled digests (web replicas; run `scheduler` elsewhere)")
    sub.add_parser("scheduler", help="post scheduled digests only (needs SLACK_BOT_TOKEN or OAuth, no signing secret)")
    console = with_workspace(sub.add_parser("console", help="try the bot in this terminal, no Slack needed"))
    console.add_argument("--user", default="U0LOCAL")
    console.add_argument("--channel", default="C0LOCAL")
    ask = with_workspace(sub.add_parser("ask", help='run one command, e.g. ask "/influencer find vegan baking 2000"'))
    ask.add_argument("--json", action="store_true", help="print exactly what the app sent to Slack, as JSON")
    ask.add_argument("--user", default="U0LOCAL")
    ask.add_argument("--channel", default="C0LOCAL")
    ask.add_argument("text", help='the slash command, quoted: "/influencer help"')

    db = sub.add_parser("db", help="database schema; rescore: recompute search scores after a settings change")
    db.add_argument("action", choices=["upgrade", "current", "rescore"])
    add_shortlist_parser(sub, with_workspace)
    add_sync_parser(sub)
    add_workspace_parser(sub)

    imp = sub.add_parser("import", help="import a CSV or .xlsx export")
    imp.add_argument("kind", choices=["creators", "posts"],
                     help="creators, or posts (campaign, handle, url, dates and metrics per row)")
    imp.add_argument("file")
    with_workspace(imp)
    imp.add_argument("--platform", help="platform for rows that do not say (instagram, tiktok, youtube)")
    imp.add_argument("--map", action="append", default=[], metavar="column=header",
                     help="read a canonical column from a header of your file, e.g. --map followers='Fans'")
    imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    exp = with_workspace(sub.add_parser("export", help="export creators with their computed metrics"))
    exp.add_argument("kind", choices=["creators"])
    exp.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    exp.add_argument("--output", "-o", help="file to write (default: standard output)")

    demo = with_workspace(sub.add_parser("demo-data", help="load a realistic synthetic workspace"))
    demo.add_argument("--creators", type=int, default=DEMO_CREATORS)
    demo.add_argument("--seed", type=int, default=7)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except (ValidationError, ValueError) as exc:
        print(f"influencer-bot: configuration error: {exc}", file=sys.stderr)
        return 2
    from .runtime import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    try:
        return _COMMANDS[args.command](args, settings)
    except UserError as err:
        print(f"influencer-bot: {err}", file=sys.stderr)
        return 2
    except SchemaOutOfDate as err:
        print(f"influencer-bot: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _workspace(args: argparse.Namespace, settings: Settings) -> str:
    return getattr(args, "workspace", None) or settings.default_workspace


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    missing = settings.missing_for_run()
    if missing:
        print(f"influencer-bot: {missing}", file=sys.stderr)
        return 2
    from .app import create_app
    from .lifecycle import exit_after
    from .oauth import oauth_parts
    from .outbox_keeper import OutboxKeeper
    from .runtime import build_services, open_database, slack_policy, workspace_tokens
    from .server import serve
    from .slack_client import BotIdentity, TokenRefused, check_token, make_web_client
    from .work_processes import WorkProcesses
    from .work_queue import WorkQueue, default_workers

    policy = slack_policy(settings)
    identity = BotIdentity()
    if not settings.oauth:
        try:  # once, here: never on a request's path
            identity = check_token(make_web_client(settings.slack_bot_token, settings.slack_api_url, policy))
        except TokenRefused as err:
            print(f"influencer-bot: {err}", file=sys.stderr)
            return 2
    workers = settings.work_workers or default_workers()
    processes = WorkProcesses(workers)  # forked first: before any thread or database connection exists
    engine = open_database(settings)
    services = build_services(settings, engine)
    tokens = workspace_tokens(settings, engine, identity)
    work = WorkQueue(workers, settings.work_queue_max, lease_s=settings.work_lease_seconds, processes=processes)
    app = create_app(services, token=settings.slack_bot_token, signing_secret=settings.slack_signing_secret or "",
                     api_url=settings.slack_api_url, work=work, slack_policy=policy, tokens=tokens,
                     **oauth_parts(settings, engine, tokens))
    keeper = OutboxKeeper(services, tokens, work)
    keeper.start()  # its first pass resumes the work a previous process accepted and did not finish

    def finish_work() -> None:
        work.close()  # what is queued runs; the keeper renews its leases until it is done
        keeper.stop()

    scheduler = None
    if not args.no_scheduler:
        from .scheduler import scheduler_from_settings

        scheduler = scheduler_from_settings(settings, services, tokens)
        scheduler.start()
    try:
        left = serve(app, engine, port=settings.port, socket_mode_token=settings.slack_app_token,
                     finish_work=finish_work, grace_s=settings.shutdown_grace_s,
                     also_stop=[("scheduled jobs", scheduler.shutdown)] if scheduler is not None else [],
                     signing_secret=settings.slack_signing_secret or "", max_body_bytes=settings.max_request_body_bytes)
    finally:
        if scheduler is not None:
            scheduler.shutdown()
    exit_after(left, settings.shutdown_grace_s)
    return 0


def _cmd_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    missing = settings.missing_for_scheduler()
    if missing:
        print(f"influencer-bot: {missing}", file=sys.stderr)
        return 2
    from .runtime import build_services, open_database, workspace_tokens
    from .scheduler import run_forever, scheduler_from_settings

    engine = open_database(settings)
    services = build_services(settings, engine)
    run_forever(scheduler_from_settings(settings, services, workspace_tokens(settings, engine)),
                grace_s=settings.shutdown_grace_s)
    return 0


def _local_driver(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    from ..storage.creators.views import count_creators
    from ..storage.db import transaction
    from ..storage.demo.creators import load_demo_data
    from .local.driver import LocalDriver
    from .runtime import build_services, open_database

    services = build_services(settings, open_database(settings))
    team = _workspace(args, settings)
    with transaction(services.sessions) as session:
        empty = count_creators(session, team) == 0
    if empty:
        print(f"Workspace {team} is empty: loading demo data ({DEMO_CREATORS:,} synthetic creators)…", file=sys.stderr)
        report = load_demo_data(services.sessions, team, creators=DEMO_CREATORS)
        print(f"Loaded {report.summary()}", file=sys.stderr)
    return LocalDriver(services, team_id=team, user_id=args.user, channel_id=args.channel)


def _cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from .local.console import run_console

    with _local_driver(args, settings) as driver:
        return run_console(driver)


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .local.console import run_ask

    with _local_driver(args, settings) as driver:
        return run_ask(driver, args.text, as_json=args.json)


def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.db import make_engine
    from ..storage.migrate import current_revision, head_revision, upgrade
    from .runtime import scoring_settings

    engine = make_engine(settings.database_url)
    if args.action == "upgrade":
        upgrade(engine, scoring=scoring_settings(settings))
    if args.action == "rescore":
        return _rescore(settings)
    print(f"schema revision {current_revision(engine)} (latest {head_revision(engine)})")
    return 0


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.importers import import_creators_file
    from .runtime import build_services, open_database

    if args.kind == "posts":
        return _import_posts(args, settings)
    services = build_services(settings, open_database(settings))
    report = import_creators_file(
        services.sessions, _workspace(args, settings), args.file, platform=args.platform,
        mapping=args.map or None, dry_run=args.dry_run,
    )
    print("\n".join(report.summary_lines()))
    return 0


def _import_posts(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.importers.posts_csv import import_posts_file
    from .runtime import build_services, open_database

    if args.map or args.platform:
        raise UserError("--map and --platform apply to creator imports; a posts file names its columns and "
                        "platforms itself.", "influencer-bot import posts posts.csv")
    services = build_services(settings, open_database(settings))
    report = import_posts_file(services.sessions, _workspace(args, settings), args.file, dry_run=args.dry_run)
    print("\n".join(report.summary_lines()))
    return 0


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.creators.export import write_export
    from .runtime import build_services, open_database

    services = build_services(settings, open_database(settings))
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write_export(services.sessions, _workspace(args, settings), out, args.format,
                         thresholds=settings.tiers, rules=settings.quality_rules)
    else:
        write_export(services.sessions, _workspace(args, settings), sys.stdout, args.format,
                     thresholds=settings.tiers, rules=settings.quality_rules)
    return 0


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from ..storage.demo.creators import load_demo_data
    from .runtime import build_services, open_database

    if not 1 <= args.creators <= 2_000_000:
        raise UserError("--creators takes a number from 1 to 2,000,000.", "influencer-bot demo-data --creators 5000")
    services = build_services(settings, open_database(settings))
    report = load_demo_data(services.sessions, _workspace(args, settings), creators=args.creators, seed=args.seed)
    print(report.summary() if hasattr(report, "summary") else report)
    return 0


def _rescore(settings: Settings) -> int:
    from ..storage.search.indexer import rescore_all
    from .runtime import build_services, open_database

    services = build_services(settings, open_database(settings))
    done = rescore_all(services.sessions, thresholds=services.thresholds, rules=services.quality_rules)
    print(f"Rescored {done:,} creators (search index and scores) with the current settings.")
    return 0


def _cmd_shortlist(args: argparse.Namespace, settings: Settings) -> int:
    return cmd_shortlist(args, settings, _workspace(args, settings))


_COMMANDS = {
    "run": _cmd_run, "scheduler": _cmd_scheduler, "console": _cmd_console, "ask": _cmd_ask, "db": _cmd_db,
    "import": _cmd_import, "export": _cmd_export, "demo-data": _cmd_demo, "shortlist": _cmd_shortlist,
    "sync": cmd_sync, "workspace": cmd_workspace,
}

if __name__ == "__main__":
    raise SystemExit(main())
