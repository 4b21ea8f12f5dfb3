"""Benchmark one notification sweep and count its SQL statements at two sizes (not a test).

    python bench/sweep.py                      # SQLite files under bench/out/, 100 and 1,000 CoPs
    python bench/sweep.py --postgres postgresql://user@host:5432/db   # also on PostgreSQL (wiped!)
    python bench/sweep.py --send               # also send for real, to a local Slack stand-in

Each CoP gets 4 convenings, a facilitator and 4 school teams of 5 members (1,000 CoPs = 4,000 teams,
20,000 members), every team in cycle 1's Do with some meetings logged, evidence and learning
questions recorded. The sweep runs at Monday 6 Oct 2025 15:00 UTC (8:00 in Los Angeles): every
CoP's weekly digest and the mid-stream Do reminders are due. The point: the number of statements
for planning (and previewing) is the same at both sizes: no query per CoP or team.
Results are printed and written to bench/RESULTS.md, section "Sweep".
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import storage.models as models  # noqa: E402
from copbot.config import load_settings  # noqa: E402
from copbot.notify import NotificationSender, preview_due  # noqa: E402
from copbot.reminders import due_notifications  # noqa: E402
from storage.db import Database  # noqa: E402

AT = datetime(2025, 10, 6, 15, 0, tzinfo=UTC)
CONVENINGS = [date(2025, 8, 23), date(2025, 11, 15), date(2026, 1, 23), date(2026, 3, 20)]
ZONES = ["America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York"]
ROLES = ["implementing_teacher", "observer", "note_taker", "site_decision_maker", "observer"]
RESULTS = ROOT / "bench" / "RESULTS.md"
CLAIM_OR_OUTCOME = re.compile(r"^\s*UPDATE notification|notification\.claimed_by = ", re.M)


def build(database: Database, cops: int) -> None:
    """Fill an empty database with ``cops`` CoPs of 4 teams x 5 members, in bulk inserts."""
    SQLModel.metadata.drop_all(database.engine)
    SQLModel.metadata.create_all(database.engine)
    now = datetime(2025, 10, 1, tzinfo=UTC)
    rows: dict[type, list[dict]] = {m: [] for m in (
        models.Cop, models.Convening, models.SchoolTeam, models.Membership, models.SlackUser, models.Cycle,
        models.DoMeeting, models.EvidenceItem, models.LearningQuestion, models.SscReport, models.Plan)}
    team_id, cycle_id, convening_id = 0, 0, 0
    for c in range(1, cops + 1):
        workspace = f"T{c % 50:04d}"
        rows[models.Cop].append(dict(id=c, team_id=workspace, name=f"CoP {c}", school_year="2025-26",
                                     channel_id=f"C{c:06d}", timezone=ZONES[0], districts=[], digest_weekday=0,
                                     digest_hour=8, created_at=now))
        for held_on in CONVENINGS:
            convening_id += 1
            rows[models.Convening].append(dict(id=convening_id, team_id=workspace, cop_id=c, held_on=held_on,
                                               title="CoP convening"))
        first_convening = convening_id - 3
        facilitator = f"UF{c:06d}"
        rows[models.Membership].append(dict(team_id=workspace, cop_id=c, school_team_id=None, user_id=facilitator,
                                            role="facilitator"))
        rows[models.SlackUser].append(dict(team_id=workspace, user_id=facilitator, tz=ZONES[c % 4],
                                           tz_checked_at=now, muted_kinds=[], deleted=False))
        for _ in range(4):
            team_id += 1
            cycle_id += 1
            rows[models.SchoolTeam].append(dict(id=team_id, team_id=workspace, cop_id=c,
                                                school_name=f"School {team_id}", district="District",
                                                support_type="focus", subgroups=[], created_at=now))
            for m, role in enumerate(ROLES):
                user = f"U{team_id:06d}{m}"
                rows[models.Membership].append(dict(team_id=workspace, cop_id=c, school_team_id=team_id,
                                                    user_id=user, role=role))
                rows[models.SlackUser].append(dict(team_id=workspace, user_id=user, tz=ZONES[(team_id + m) % 4],
                                                   tz_checked_at=now, muted_kinds=[], deleted=False))
            rows[models.Cycle].append(dict(id=cycle_id, team_id=workspace, school_team_id=team_id,
                                           school_year="2025-26", number=1, stage="do", plan_on=CONVENINGS[0],
                                           study_on=CONVENINGS[1], opened_at=now))
            rows[models.Plan].append(dict(team_id=workspace, cycle_id=cycle_id, strategy="Sentence frames",
                                          shared_learning="", evidence_adult_practice="Tallies",
                                          evidence_student_impact="", evidence_methods=[], prediction="",
                                          updated_at=now))
            rows[models.DoMeeting].append(dict(team_id=workspace, cycle_id=cycle_id, kind="game_plan",
                                               held_on=date(2025, 9, 8), attendees=[], notes="", recorded_at=now))
            rows[models.EvidenceItem].append(dict(team_id=workspace, cycle_id=cycle_id, focus="student_impact",
                                                  kind="student_work", description="Exit tickets", recorded_at=now))
            rows[models.LearningQuestion].append(dict(team_id=workspace, cycle_id=cycle_id, question="Q?",
                                                      prediction="P", result=["matched", None][team_id % 2],
                                                      result_note=""))
            if team_id % 2:
                rows[models.SscReport].append(dict(team_id=workspace, school_team_id=team_id,
                                                   convening_id=first_convening, reported_on=date(2025, 8, 28),
                                                   key_learnings="", ssc_feedback="", plan_changes="",
                                                   recorded_at=now))
    with database.engine.begin() as connection:
        for model, batch in rows.items():
            if batch:
                connection.execute(insert(model), batch)


@contextmanager
def counting(database: Database):
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def measure(database: Database, label: str, cops: int, *, send_url: str | None) -> dict:
    started = time.perf_counter()
    build(database, cops)
    built = time.perf_counter() - started
    figures: dict = {"label": label, "cops": cops, "teams": cops * 4, "members": cops * 20, "build_s": built}
    with counting(database) as statements, Session(database.engine) as session:
        started = time.perf_counter()
        planned = due_notifications(session, at=AT)
        figures["plan_s"] = time.perf_counter() - started
    figures["planned"], figures["plan_queries"] = len(planned), len(statements)
    with counting(database) as statements, Session(database.engine) as session:
        started = time.perf_counter()
        preview = preview_due(session, at=AT)
        figures["preview_s"] = time.perf_counter() - started
    figures["would_send"] = sum(1 for outcome in preview if outcome.status == "would_send")
    figures["preview_queries"] = len(statements)
    if send_url:
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s",
                                  "SLACK_API_URL": send_url, "DATABASE_URL": "sqlite://"})
        from copbot.slack_client import make_client

        client = make_client(settings)
        sender = NotificationSender(database, lambda _t: client, worker_id="bench")
        with counting(database) as statements:
            started = time.perf_counter()
            report = sender.sweep(at=AT)
            figures["send_s"] = time.perf_counter() - started
        figures["sent"] = report.count("sent")
        figures["send_queries"] = len(statements)
        figures["send_queries_planning"] = sum(1 for s in statements if not CLAIM_OR_OUTCOME.search(s))
    return figures


def table(results: list[dict]) -> str:
    send = any("send_s" in r for r in results)
    head = ("| database | CoPs / teams / members | planned | plan: s, statements | preview: s, statements |"
            + (" send to stand-in: sent, s, statements |" if send else ""))
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        line = (f"| {r['label']} | {r['cops']:,} / {r['teams']:,} / {r['members']:,} | {r['planned']:,} | "
                f"{r['plan_s']:.2f} s, {r['plan_queries']} | {r['preview_s']:.2f} s, {r['preview_queries']} |")
        if send:
            line += (f" {r.get('sent', 0):,}, {r.get('send_s', 0):.1f} s, {r.get('send_queries', 0):,} "
                     f"({r.get('send_queries_planning', 0)} besides claims and outcomes) |" if "send_s" in r else " |")
        lines.append(line)
    return "\n".join(lines)


def write_results(command: str, results: list[dict]) -> None:
    section = (
        "## Sweep\n\n"
        f"Command: `{command}`\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, sweep instant {AT.isoformat()} (every CoP's weekly "
        "digest and the mid-stream Do reminders due).\n\n"
        + table(results) + "\n\n"
        "Statements are counted with a SQLAlchemy `before_cursor_execute` listener. Planning and preview read a "
        "fixed number of statements at both sizes (no query per CoP or team). Sending adds, per batch of 100 due "
        "rows, one claim UPDATE and one SELECT of the claimed rows, and per notification one UPDATE recording its "
        "outcome and releasing its claim (its own transaction, so a crash can leave at most the message in flight "
        "unrecorded); \"besides claims and outcomes\" counts the rest: the same reads, plus the new rows' INSERT, "
        "sent as multi-row statements of up to 1,000 rows (SQLAlchemy's insertmanyvalues). "
        "Sending time is dominated by the stand-in's "
        "HTTP round trips and Block Kit validation; real Slack rate limits (about one message per second per "
        "conversation, with 429 Retry-After honoured) matter more in production.\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"## Sweep\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(section.rstrip("\n"), text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="numbers of CoPs to measure (default 100,1000)")
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL (its tables are wiped)")
    parser.add_argument("--send", action="store_true", help="also send, to a local Slack stand-in")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    standin = None
    if args.send:
        from tests.slack_standin import SlackStandIn

        standin = SlackStandIn(bot_token="xoxb-bench").start()
    targets = [("SQLite", lambda cops: f"sqlite:///{out / f'sweep-{cops}.db'}")]
    if args.postgres:
        pg = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        targets.append(("PostgreSQL", lambda _cops: pg))
    results = []
    for label, url_for in targets:
        for cops in (int(size) for size in args.sizes.split(",")):
            url = url_for(cops)
            if url.startswith("sqlite:///"):
                Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
            database = Database(url)
            if standin is not None:
                standin.reset()
            figures = measure(database, label, cops, send_url=standin.api_url if standin else None)
            database.dispose()
            results.append(figures)
            print(f"{label:<10} {cops:>5} CoPs: planned {figures['planned']:>6} in {figures['plan_s']:.2f} s "
                  f"({figures['plan_queries']} statements); preview {figures['preview_s']:.2f} s "
                  f"({figures['preview_queries']} statements)"
                  + (f"; sent {figures['sent']} in {figures['send_s']:.1f} s ({figures['send_queries']} statements)"
                     if "send_s" in figures else ""), flush=True)
    if standin is not None:
        standin.stop()
    print()
    print(table(results))
    if not args.no_write:
        command = "python bench/sweep.py" + "".join(f" {a}" for a in sys.argv[1:]).replace(
            args.postgres or "\0", "$POSTGRES_URL")
        write_results(command, results)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
