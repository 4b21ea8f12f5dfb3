"""The `copbot` command: serve, worker, db upgrade, reminders due.

Every failure a user can fix (a setting, an unreachable database) ends in one line on
stderr naming the problem and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from copbot.config import ConfigError, Settings, load_settings
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


def verify_slack_token(settings: Settings) -> None:
    """Ask Slack (auth.test) whether the bot token works, so a bad token fails at start-up."""
    if not settings.slack_bot_token:
        return
    from slack_sdk.errors import SlackApiError

    from copbot.slack_client import make_client

    try:
        make_client(settings).auth_test()
    except SlackApiError as error:
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error.response.get('error')}): copy the Bot User "
            "OAuth Token again from your Slack app's OAuth & Permissions page."
        ) from error
    except OSError as error:
        raise ConfigError(f"cannot reach the Slack API at {settings.slack_api_url} ({error}); "
                          "check SLACK_API_URL and the network.") from error


def cmd_serve(args: argparse.Namespace) -> None:
    settings = load_settings()
    open_database(settings, create_if_empty=True).dispose()
    verify_slack_token(settings)
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
    print(f"database {database.safe_url} is at the newest schema")


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
    from copbot.notify import NotificationSender, Outcome, preview_due
    from copbot.slack_client import make_client

    settings = load_settings(require_slack=args.send)
    database = open_database(settings, create_if_empty=True)
    at: datetime = args.at or datetime.now(UTC)

    def show(outcome: Outcome) -> None:
        due = outcome.due_at.strftime("%Y-%m-%d %H:%M")
        detail = f" ({outcome.reason})" if outcome.reason else ""
        text = " ".join(outcome.text.split())
        print(f"{due} UTC  {outcome.recipient:<12} {outcome.kind:<17} {outcome.status}{detail}: {text}")

    if args.send:
        client = make_client(settings)
        report = NotificationSender(database, lambda _team_id: client).sweep(at=at)
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
    run: Callable[[argparse.Namespace], None] = args.run
    try:
        run(args)
    except (ConfigError, DatabaseError) as error:
        print(f"copbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
