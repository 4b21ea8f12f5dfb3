"""Ack-path benchmark: signed Slack requests through `copbot serve` vs a bare Bolt app.

Both run under the same gunicorn setup (`copbot serve`: PORT, WEB_CONCURRENCY=2 gthread workers)
against the Slack stand-in (tests/slack_standin.py), in the same run. The database is seeded with
a CoP whose school team (U0001 is its implementing teacher) has cycle 1 planned and in Do, with a
few evidence items. Three requests, each N signed requests at C concurrent (keep-alive
connections, one per thread) after a warm-up:

- ``/pdsa status``: the real status answer (a few queries, acked with the message);
- a first save through a real modal: ``/pdsa evidence`` (``--modal``) is opened once through the
  stand-in, then its submission is sent with a new view id/hash each time, so each one validates,
  checks edit rights, records its idempotency key and saves a row before the ack; after the ack
  it reads the measure's run chart for signals and posts the channel confirmation. Every 30
  submissions measure a new series (a school year of weekly values each), so the run-chart read
  stays the size a team's is rather than growing with the benchmark;
- the same submission repeated (one view id/hash): a Slack retry or double click, answered from
  the idempotency key without saving.

It prints p50/p99 latency, requests/s and the copbot/bare ratios, and checks that the first-save
row saved one row per request. Targets: copbot p99 < 100 ms and within 3x of the bare app.

    python bench/ack_path.py [--requests 2000] [--concurrency 16] [--database-url URL] [--modal evidence]
                             [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import Database  # noqa: E402
from tests.factories import make_cop, make_school_team  # noqa: E402
from tests.registrations import fill_form  # noqa: E402
from tests.servers import free_port  # noqa: E402
from tests.slack_requests import sign, slash_command, view_submission  # noqa: E402
from tests.slack_standin import SlackStandIn  # noqa: E402

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench-token"
MEASURE = "EL exit tickets citing evidence (%)"
SERIES_POINTS = 30  # first-save submissions per measure name: each save's run-chart check reads its series
P99_TARGET_MS = 100.0
RATIO_TARGET = 3.0


@dataclass
class Figures:
    server: str
    request: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    requests_per_second: float


class Server:
    """A gunicorn-served process on a free port, waited for until it answers."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = int(env["PORT"])
        self.log = log.open("w")
        self.process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, body: bytes, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                status, _ = post(self.port, body, "application/x-www-form-urlencoded")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer in {timeout} s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def signed_headers(body: bytes, content_type: str) -> dict[str, str]:
    now = int(time.time())
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": sign(body, SECRET, now)}


def post(port: int, body: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body, method="POST",
                                     headers=signed_headers(body, content_type))
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def load(port: int, make_body: Callable[[], bytes], *, requests: int,
         concurrency: int) -> tuple[list[float], int, float]:
    """Latencies (s) of ``requests`` POSTs sent by ``concurrency`` threads on keep-alive connections."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = count()
    local = threading.local()

    def worker() -> None:
        nonlocal errors
        while next(remaining) < requests:
            body = make_body()
            headers = signed_headers(body, "application/x-www-form-urlencoded")
            if getattr(local, "connection", None) is None:
                local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.perf_counter()
            try:
                local.connection.request("POST", "/slack/events", body=body, headers=headers)
                response = local.connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    local.connection.close()
                    local.connection = None
            except (OSError, http.client.HTTPException):
                ok = False
                local.connection.close()
                local.connection = None
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(server: str, request: str, port: int, make_body: Callable[[], bytes], args: argparse.Namespace) -> Figures:
    load(port, make_body, requests=max(100, args.requests // 10), concurrency=args.concurrency)  # warm-up
    latencies, errors, wall = load(port, make_body, requests=args.requests, concurrency=args.concurrency)
    return Figures(server, request, len(latencies), errors, round(percentile(latencies, 0.5) * 1000, 2),
                   round(percentile(latencies, 0.99) * 1000, 2), round(len(latencies) / wall, 1))


def seed(database_url: str) -> None:
    """A CoP in C0001; U0001's school team has cycle 1 planned and in Do, with three evidence items."""
    from datetime import date

    from copbot.config import load_settings
    from copbot.evidence import Measurement, add_evidence
    from tests.reminder_world import cycle_in_do, team_members

    database = Database(load_settings({"DATABASE_URL": database_url}, require_slack=False).database_url)
    database.upgrade()
    with database.session() as session:
        cop = make_cop(session, channel_id="C0001")
        team = make_school_team(session, cop, members=team_members())
        cycle = cycle_in_do(session, team)
        for week, value in enumerate((52.0, 58.5, 61.0), start=1):
            add_evidence(session, cycle=cycle, user_id="U0002", focus="student_impact", kind="student_work",
                         description=f"Week {week} exit tickets", link="",
                         measurement=Measurement(name=MEASURE, value=value, measured_on=date(2025, 9, 7 * week)),
                         today=date(2025, 10, 1))
    database.dispose()


def saved_rows(database_url: str) -> int:
    """Evidence items in the database (to check that each first-save request saved one)."""
    from sqlalchemy import func
    from sqlmodel import select

    from copbot.config import load_settings
    from storage.models import EvidenceItem

    database = Database(load_settings({"DATABASE_URL": database_url}, require_slack=False).database_url)
    with database.session() as session:
        saved = session.exec(select(func.count()).select_from(EvidenceItem)).one()
    database.dispose()
    return saved


def command_body(text: str) -> Callable[[], bytes]:
    return lambda: urlencode(slash_command(text, response_url="http://127.0.0.1:9/unused")).encode()


def open_modal(port: int, standin: SlackStandIn, subcommand: str) -> dict:
    """The modal ``/pdsa <subcommand>`` opens on the running copbot (as the stand-in answered views.open)."""
    before = len(standin.calls_to("views.open"))
    post(port, command_body(subcommand)(), "application/x-www-form-urlencoded")
    try:
        return standin.wait_for("views.open", count=before + 1, timeout=10)[-1].answer["view"]
    except AssertionError:
        raise SystemExit(f"/pdsa {subcommand} opened no modal") from None


def submission_body(view: dict, values: dict, *, repeat: bool) -> Callable[[], bytes]:
    """Signed view_submission bodies: each a new submission (own view id/hash), or one repeated."""
    ids = count(1)

    def make() -> bytes:
        number = 0 if repeat else next(ids)
        measured = values
        if "measure_name" in values:  # a school year of weekly points per measure, not one endless series
            measured = {**values, "measure_name": f"{values['measure_name']}, series {number // SERIES_POINTS + 1}"}
        payload = view_submission(view, measured)
        payload["view"].update(id=f"VBENCH{number}", hash=f"bench{number}")
        return urlencode({"payload": json.dumps(payload)}).encode()

    return make


def form_values(modal: str, view: dict) -> dict:
    """Values a person would type; plausible ones for modals other than evidence."""
    values = fill_form(view)
    if modal == "evidence":
        values.update(focus="student_impact", kind="student_work", link="https://drive.example.org/exit-tickets",
                      description="Period 3 exit tickets: 18 of 26 ELs cited text evidence",
                      measure_name=MEASURE, measured_value="69.2", measured_on="2025-10-02")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="copbot's database, empty (default: a fresh SQLite file)")
    parser.add_argument("--modal", default="evidence", help="the /pdsa subcommand whose modal is submitted")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="copbot-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'copbot.db'}"
    seed(database_url)

    with SlackStandIn(bot_token=TOKEN) as standin:
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        base_env.update(PYTHONPATH=str(ROOT), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                        SLACK_API_URL=standin.api_url, WEB_CONCURRENCY="2", DATABASE_URL=database_url)
        copbot = Server("copbot serve", [sys.executable, "-m", "copbot", "serve", "--host", "127.0.0.1"],
                        {**base_env, "PORT": str(free_port())}, workdir / "copbot.log")
        bare = Server("bare Bolt", [sys.executable, str(ROOT / "bench" / "bare_app.py")],
                      {**base_env, "PORT": str(free_port())}, workdir / "bare.log")
        try:
            for server in (copbot, bare):
                server.wait_ready(command_body("help")())
            view = open_modal(copbot.port, standin, args.modal)
            values = form_values(args.modal, view)
            callback = view.get("callback_id")
            first_save = f"view submission ({callback}), first save"
            rows = [("/pdsa status", command_body("status")),
                    (first_save, submission_body(view, values, repeat=False)),
                    (f"view submission ({callback}), repeated", submission_body(view, values, repeat=True))]
            results = []
            for label, body in rows:
                for server in (copbot, bare):
                    before = saved_rows(database_url)
                    results.append(measure(server.name, label, server.port, body, args))
                    if label == first_save and server is copbot and args.modal == "evidence":
                        saved = saved_rows(database_url) - before
                        expected = args.requests + max(100, args.requests // 10)  # with the warm-up
                        print(f"{first_save}: {saved} rows saved for {expected} requests")
                        if saved != expected:
                            raise SystemExit("the first-save row did not save one row per request")
        finally:
            copbot.stop()
            bare.stop()

    report(results, args, database_url)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


def report(results: list[Figures], args: argparse.Namespace, database_url: str) -> None:
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"ack path: {args.requests} signed requests per row at {args.concurrency} concurrent, "
          f"gunicorn WEB_CONCURRENCY=2 (gthread, 8 threads), {database}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}")
    print()
    print("| request | server | p50 ms | p99 ms | requests/s | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r.request} | {r.server} | {r.p50_ms} | {r.p99_ms} | {r.requests_per_second} | {r.errors} |")
    print()
    verdicts = []
    for label in dict.fromkeys(r.request for r in results):
        mine = next(r for r in results if r.request == label and r.server == "copbot serve")
        base = next(r for r in results if r.request == label and r.server == "bare Bolt")
        p99_ratio = mine.p99_ms / base.p99_ms if base.p99_ms else float("inf")
        rps_ratio = base.requests_per_second / mine.requests_per_second if mine.requests_per_second else float("inf")
        ok = mine.p99_ms < P99_TARGET_MS and p99_ratio <= RATIO_TARGET and not mine.errors
        verdicts.append(ok)
        print(f"{label}: copbot/bare p50 {mine.p50_ms / base.p50_ms:.2f}x, p99 {p99_ratio:.2f}x, "
              f"throughput bare/copbot {rps_ratio:.2f}x -> {'meets' if ok else 'MISSES'} the target "
              f"(p99 < {P99_TARGET_MS:.0f} ms, within {RATIO_TARGET:.0f}x)")
    sys.exit(0 if all(verdicts) else 1)


if __name__ == "__main__":
    main()
