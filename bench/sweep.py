"""Benchmark a notification sweep and the weekly digests: wall time, SQL statements, peak memory.

    python bench/sweep.py                      # SQLite files under bench/out/, 100 and 1,000 CoPs
    python bench/sweep.py --postgres postgresql://user@host:5432/db   # also on PostgreSQL (wiped!)
    python bench/sweep.py --send               # also send for real, to a local Slack stand-in

Each CoP gets 4 convenings, a facilitator and 4 school teams of 5 members (1,000 CoPs = 4,000 teams,
20,000 members), every team in cycle 1's Do with some meetings logged, evidence and learning
questions recorded. The sweep runs at Monday 6 Oct 2025 15:00 UTC (8:00 in Los Angeles): every
CoP's weekly digest and the mid-stream Do reminders are due. The point: the number of statements
for planning (and previewing) is the same at both sizes: no query per CoP or team.

Steps measured: plan (what is due), preview (`copbot reminders due`), the weekly digests (their
facts assembled and every digest message rendered) and, with --send, the whole sweep (plan,
insert, claim, send to the stand-in, record). Each step runs once for wall time and statements,
then again under tracemalloc for its peak of Python memory (tracemalloc slows it, so the two are
separate runs; the sweep's second run starts from an emptied notification table, so it does the
same work). The process's peak RSS (ru_maxrss) is printed too.
Results are printed and written to bench/RESULTS.md, section "Sweep".
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, event, insert  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import storage.models as models  # noqa: E402
from copbot.config import load_settings  # noqa: E402
from copbot.digest import with_digest_facts  # noqa: E402
from copbot.notify import NotificationSender, preview_due  # noqa: E402
from copbot.reminders import due_notifications, plan_notifications  # noqa: E402
from copbot.vocabulary import ReminderKind  # noqa: E402
from messages.reminders import reminder_message  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.sweep_queries import load_sweep_data  # noqa: E402

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
        if not statement.startswith("BEGIN"):  # SQLite's transaction starts (storage/db.py) are not queries
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def build_digests(session: Session) -> list[tuple[str, list[dict]]]:
    """Every weekly digest due at AT: its facts assembled (as the sweep does when it inserts the
    row) and its message rendered (as when it is sent)."""
    data = load_sweep_data(session)
    digests = [p for p in plan_notifications(data, at=AT) if p.kind == ReminderKind.WEEKLY_DIGEST]
    return [reminder_message(p.kind, p.payload, notification_id=0) for p in with_digest_facts(session, data, digests)]


def timed(database: Database, step: Callable[[], object]) -> tuple[object, float, list[str]]:
    """The step's result, wall time and SQL statements."""
    with counting(database) as statements:
        started = time.perf_counter()
        result = step()
        return result, time.perf_counter() - started, list(statements)


def peak_memory(step: Callable[[], object]) -> int:
    """The peak of Python memory allocated while the step runs (tracemalloc), in bytes."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(database: Database, label: str, cops: int, *, send_url: str | None) -> dict:
    started = time.perf_counter()
    build(database, cops)
    built = time.perf_counter() - started
    figures: dict = {"label": label, "cops": cops, "teams": cops * 4, "members": cops * 20, "build_s": built,
                     "steps": []}

    def record(step: str, rows: int, wall: float, statements: list[str], peak: int, **extra: object) -> None:
        figures["steps"].append({"step": step, "rows": rows, "s": wall, "statements": len(statements),
                                 "peak_mib": peak / 2**20, **extra})

    def plan() -> list:
        with Session(database.engine) as session:
            return due_notifications(session, at=AT)

    def preview() -> list:
        with Session(database.engine) as session:
            return preview_due(session, at=AT)

    def digests() -> list:
        with Session(database.engine) as session:
            return build_digests(session)

    planned, wall, statements = timed(database, plan)
    record("plan (what is due)", len(planned), wall, statements, peak_memory(plan))
    outcomes, wall, statements = timed(database, preview)
    record("preview (`reminders due`)", sum(1 for o in outcomes if o.status == "would_send"), wall, statements,
           peak_memory(preview))
    built_digests, wall, statements = timed(database, digests)
    record("weekly digests: facts + messages", len(built_digests), wall, statements, peak_memory(digests))
    if send_url:
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s",
                                  "SLACK_API_URL": send_url, "DATABASE_URL": "sqlite://"})
        from copbot.slack_client import make_client

        client = make_client(settings)

        def sweep():  # type: ignore[no-untyped-def]
            return NotificationSender(database, lambda _t: client, worker_id="bench").sweep(at=AT)

        report, wall, statements = timed(database, sweep)
        besides = sum(1 for s in statements if not CLAIM_OR_OUTCOME.search(s))
        with database.session() as session:  # the same sweep again, from scratch, for its memory
            session.exec(delete(models.Notification))  # type: ignore[call-overload]
        record("sweep: plan, insert, claim, send, record", report.count("sent"), wall, statements,
               peak_memory(sweep), besides=besides)
    figures["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def table(results: list[dict]) -> str:
    lines = ["| database | CoPs / teams / members | step | rows | wall s | SQL statements | peak memory MiB |",
             "|---|---|---|---:|---:|---:|---:|"]
    for r in results:
        for step in r["steps"]:
            statements = f"{step['statements']:,}"
            if "besides" in step:
                statements += f" ({step['besides']} besides claims and outcomes)"
            lines.append(f"| {r['label']} | {r['cops']:,} / {r['teams']:,} / {r['members']:,} | {step['step']} | "
                         f"{step['rows']:,} | {step['s']:.2f} | {statements} | {step['peak_mib']:.1f} |")
    return "\n".join(lines)


def write_results(command: str, results: list[dict]) -> None:
    rss = ", ".join(f"{r['label']} {r['cops']:,} CoPs {r['maxrss_mib']:.0f} MiB" for r in results)
    section = (
        "## Sweep\n\n"
        f"Command: `{command}`\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, sweep instant {AT.isoformat()} (every CoP's weekly "
        "digest and the mid-stream Do reminders due).\n\n"
        + table(results) + "\n\n"
        "Rows: notifications planned, previewed as would-send, digests built, messages sent. Wall time and "
        "statements come from one run of each step; peak memory is tracemalloc's peak of Python allocations "
        "during a second run of the step (the sweep's from an emptied notification table, so it does the same "
        "work). The benchmark process's peak RSS so far (ru_maxrss, which only grows; it includes the test data "
        f"the script builds in memory) after each size: {rss}.\n\n"
        "Statements are counted with a SQLAlchemy `before_cursor_execute` listener (not counting the BEGIN "
        "that starts each SQLite transaction). Planning, preview and the "
        "digests read a fixed number of statements at both sizes (no query per CoP or team). Sending adds, per "
        "batch of 100 due rows, one claim UPDATE and one SELECT of the claimed rows, and per notification one "
        "UPDATE recording its outcome and releasing its claim (its own transaction, so a crash can leave at most "
        "the message in flight unrecorded); \"besides claims and outcomes\" counts the rest: the same reads, plus "
        "the new rows' INSERT, sent as multi-row statements of up to 1,000 rows (SQLAlchemy's insertmanyvalues). "
        "Sending time is dominated by the stand-in's HTTP round trips and Block Kit validation (the stand-in runs "
        "in the benchmark's process); real Slack rate limits (about one message per second per conversation, "
        "with 429 Retry-After honoured) matter more in production.\n"
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
            for step in figures["steps"]:
                print(f"{label:<10} {cops:>5} CoPs: {step['step']:<42} {step['rows']:>6} rows {step['s']:7.2f} s "
                      f"{step['statements']:>6} statements, peak {step['peak_mib']:7.1f} MiB", flush=True)
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
