"""The `copbot` command: serve, worker, db upgrade, reminders due, export, import, purge.

Every failure a user can fix (a setting, an unreachable database) ends in one line on
stderr naming the problem and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from copbot.config import ConfigError, Settings, load_settings
from copbot.errors import UserError
from storage.db import Database, DatabaseError

EXIT_USAGE = 2


def open_database(settings: Settings, *, create_if_empty: bool) -> Database:
    """Open the database; an empty SQLite file gets its schema on first start."""
    database = Database(settings.database_url)
    if create_if_empty and settings.database_url.startswith("sqlite") and database.is_empty():
        logging.getLogger(__name__).info("creating copbot's tables in %s", database.safe_url)
        database.upgrade()
    database.check()
    return database


def verify_slack_token(settings: Settings, database: Database) -> None:
    """Ask Slack (auth.test) whether the bot token works, so a bad token fails at start-up.

    A working token means its workspace is installed: it is recorded (again) as active.
    """
    if not settings.slack_bot_token or settings.oauth_enabled:
        return
    from slack_sdk.errors import SlackApiError

    from copbot.slack_client import make_client

    try:
        identity = make_client(settings).auth_test()
    except SlackApiError as error:
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error.response.get('error')}): copy the Bot User "
            "OAuth Token again from your Slack app's OAuth & Permissions page."
        ) from error
    except OSError as error:
        raise ConfigError(f"cannot reach the Slack API at {settings.slack_api_url} ({error}); "
                          "check SLACK_API_URL and the network.") from error
    if identity.get("team_id"):
        from copbot.clock import utcnow
        from copbot.workspaces import record_install

        with database.session() as session:
            record_install(session, team_id=identity["team_id"], name=identity.get("team") or "", at=utcnow())


def cmd_serve(args: argparse.Namespace) -> None:
    settings = load_settings()
    database = open_database(settings, create_if_empty=True)
    if settings.oauth_enabled:
        from copbot.installations import create_oauth_tables

        create_oauth_tables(database)
    verify_slack_token(settings, database)
    database.dispose()
    if settings.socket_mode:
        from copbot.serve import serve_socket_mode

        serve_socket_mode(settings)
    else:
        from copbot.serve import serve_http

        serve_http(settings, host=args.host)


def cmd_worker(args: argparse.Namespace) -> None:
    from copbot.scheduler import run_worker

    settings = load_settings()
    run_worker(settings, open_database(settings, create_if_empty=True))


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    settings = load_settings(require_slack=False)
    database = Database(settings.database_url)
    database.upgrade()
    from copbot.installations import create_oauth_tables

    create_oauth_tables(database)
    print(f"database {database.safe_url} is at the newest schema")


def cmd_export(args: argparse.Namespace) -> None:
    from copbot import exports

    database = open_database(load_settings(require_slack=False), create_if_empty=False)
    with database.engine.connect() as connection:
        if args.format == "json":
            out = Path(args.out or f"copbot-export-{args.team_id}.json")
            document = exports.export_document(connection, team_id=args.team_id)
            exports.write_json(document, out)
            records = sum(len(rows) for rows in document["tables"].values())
        else:
            out = Path(args.out or f"copbot-export-{args.team_id}")
            records = sum(exports.write_csv(connection, team_id=args.team_id, folder=out).values())
    database.dispose()
    print(f"exported {records} records of workspace {args.team_id} to {out}")


def cmd_import(args: argparse.Namespace) -> None:
    from copbot import exports

    document = exports.read_document(Path(args.path))
    database = open_database(load_settings(require_slack=False), create_if_empty=True)
    with database.engine.begin() as connection:
        inserted = exports.import_document(connection, document)
    database.dispose()
    print(f"imported {sum(inserted.values())} records of workspace {document['team_id']} "
          f"into {database.safe_url}")


def cmd_purge(args: argparse.Namespace) -> int:
    from copbot.purge import count_workspace_rows, purge_workspace

    settings = load_settings(require_slack=False)
    database = open_database(settings, create_if_empty=False)
    team_id = args.team_id.strip()
    if not args.yes:
        with database.session() as session:
            counts = count_workspace_rows(session, team_id=team_id)
        print(f"would delete from workspace {team_id}: {_counts(counts)}")
        print("Nothing was deleted. Run again with --yes to delete these rows for good.")
        return 1
    with database.session() as session:
        deleted = purge_workspace(session, team_id=team_id)
    print(f"deleted from workspace {team_id}: {_counts(deleted)}")
    return 0


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "no rows"
    return ", ".join(f"{table} {n}" for table, n in sorted(counts.items())) + f" (total {sum(counts.values())})"
def parse_instant(raw: str) -> datetime:
    """An ISO 8601 instant for --at: 2025-11-10T08:00 (UTC) or 2025-11-10T08:00-08:00."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not an ISO 8601 date and time such as 2025-11-10T08:00 or 2025-11-10T08:00-08:00"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def cmd_reminders_due(args: argparse.Namespace) -> None:
    from copbot.notify import NotificationSender, Outcome, preview_due, workspace_clients

    settings = load_settings(require_slack=args.send)
    database = open_database(settings, create_if_empty=True)
    at: datetime = args.at or datetime.now(UTC)

    def show(outcome: Outcome) -> None:
        due = outcome.due_at.strftime("%Y-%m-%d %H:%M")
        detail = f" ({outcome.reason})" if outcome.reason else ""
        text = " ".join(outcome.text.split())
        print(f"{due} UTC  {outcome.recipient:<12} {outcome.kind:<17} {outcome.status}{detail}: {text}")

    if args.send:
        report = NotificationSender(database, workspace_clients(settings, database)).sweep(at=at)
        print(f"sweep at {at.isoformat()}: {report.count('sent')} sent, {report.count('skipped')} skipped, "
              f"{report.count('failed')} failed, {report.count('deferred')} deferred, {report.count('retry')} to retry")
        outcomes = report.outcomes
    else:
        with database.session() as session:
            outcomes = preview_due(session, at=at)
        print(f"{len(outcomes)} notification(s) due at {at.isoformat()} (preview: nothing sent)")
    for outcome in outcomes:
        show(outcome)
    database.dispose()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copbot",
        description="copbot runs school Communities of Practice through PDSA cycles in Slack. "
        "Settings come from environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="serve Slack requests (HTTP on $PORT, or Socket Mode)",
                                description="Serve Slack requests at POST /slack/events and GET /healthz "
                                "on $PORT (default 3000); with SLACK_APP_TOKEN set, use Socket Mode.")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    serve.set_defaults(run=cmd_serve)

    worker = commands.add_parser("worker", help="run the scheduler (reminders and digests)",
                                 description="Run APScheduler with its job store in copbot's database. "
                                 "Run exactly one worker per deployment.")
    worker.set_defaults(run=cmd_worker)

    db = commands.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_commands.add_parser("upgrade", help="create or upgrade the schema (Alembic)",
                                     description="Create or upgrade copbot's tables in $DATABASE_URL.")
    upgrade.set_defaults(run=cmd_db_upgrade)

    export = commands.add_parser("export", help="write every record of a workspace to JSON or CSV",
                                 description="Write every record of one workspace: one JSON document "
                                 "(--format json, re-importable) or one CSV per table in a folder (--format csv).")
    export.add_argument("--team-id", required=True, help="the Slack workspace id (T...)")
    export.add_argument("--format", choices=["json", "csv"], default="json", help="json (default) or csv")
    export.add_argument("--out", help="file (json) or folder (csv); default copbot-export-<team id>[.json]")
    export.set_defaults(run=cmd_export)

    load = commands.add_parser("import", help="read a JSON export back into a database without that workspace",
                               description="Read a JSON export (copbot export --format json) into $DATABASE_URL. "
                               "Refuses if the database already holds records of that workspace.")
    load.add_argument("path", help="the JSON document written by copbot export")
    load.set_defaults(run=cmd_import)

    purge = commands.add_parser("purge", help="delete every record of one Slack workspace",
                                description="Delete every row copbot holds for one workspace (team id) and "
                                "its installation tokens. Without --yes, only prints what would be deleted.")
    purge.add_argument("--team-id", required=True, help="the workspace's Slack team id, e.g. T0123ABCD")
    purge.add_argument("--yes", action="store_true", help="really delete (there is no undo)")
    purge.set_defaults(run=cmd_purge)
    reminders = commands.add_parser("reminders", help="reminders and digests",
                                    description="Inspect and send reminders and digests.")
    reminder_commands = reminders.add_subparsers(dest="reminders_command", metavar="REMINDERS_COMMAND",
                                                 required=True)
    due = reminder_commands.add_parser(
        "due", help="preview (or --send) what is due at an instant",
        description="Show what would go out at --at (recipient, kind, text) without sending anything; "
        "with --send, send it (the worker's sweep, at that instant).")
    due.add_argument("--at", type=parse_instant, default=None, metavar="WHEN",
                     help="ISO 8601 instant, e.g. 2025-11-10T08:00 (UTC) or 2025-11-10T08:00-08:00; default now")
    due.add_argument("--send", action="store_true", help="send what is due instead of only showing it")
    due.set_defaults(run=cmd_reminders_due)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int | None] = args.run
    try:
        status = run(args)
    except (ConfigError, DatabaseError) as error:
        print(f"copbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UserError as error:
        print(f"copbot: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
