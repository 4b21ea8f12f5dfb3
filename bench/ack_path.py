"""Ack-path benchmark: signed Slack requests through `copbot serve` vs a bare Bolt app.

Both run under the same gunicorn setup (`copbot serve`: PORT, WEB_CONCURRENCY=2 gthread workers)
against the Slack stand-in (tests/slack_standin.py), in the same run. For each of two requests,
``/pdsa status`` (``/pdsa help`` while no status command is registered) and a modal submission
(the first modal a /pdsa subcommand opens, filled with plausible values; ``/pdsa help`` again if
no feature opens a modal yet), it sends N signed requests at C concurrent (keep-alive
connections, one per thread) after a warm-up, and prints p50/p99 latency, requests/s and the
copbot/bare ratios. Targets: copbot p99 < 100 ms and within 3x of the bare app.

    python bench/ack_path.py [--requests 2000] [--concurrency 16] [--database-url URL] [--json out.json]
                             [--sample-modal]
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
    """A CoP in C0001 where U0001 belongs to a team, so feature modals open."""
    from datetime import date

    from copbot.config import load_settings
    from copbot.vocabulary import Role
    from storage.models import Cycle

    database = Database(load_settings({"DATABASE_URL": database_url}, require_slack=False).database_url)
    database.upgrade()
    with database.session() as session:
        cop = make_cop(session, channel_id="C0001")
        team = make_school_team(session, cop, members={"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER})
        session.add(Cycle(team_id=cop.team_id, school_team_id=team.id, school_year="2025-26", number=1,
                          stage="do", plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15)))
    database.dispose()


def command_body(text: str) -> Callable[[], bytes]:
    return lambda: urlencode(slash_command(text, response_url="http://127.0.0.1:9/unused")).encode()


def find_modal(port: int, standin: SlackStandIn, subcommands: list[str]) -> tuple[str, dict] | None:
    """The first modal a /pdsa subcommand opens on the running copbot."""
    for name in subcommands:
        before = len(standin.calls_to("views.open"))
        post(port, command_body(name)(), "application/x-www-form-urlencoded")
        try:
            call = standin.wait_for("views.open", count=before + 1, timeout=2)[-1]
        except AssertionError:
            continue
        return name, call.answer["view"]
    return None


def submission_body(view: dict) -> Callable[[], bytes]:
    values = fill_form(view)
    ids = count(1)

    def make() -> bytes:
        payload = view_submission(view, values)
        number = next(ids)
        payload["view"].update(id=f"VBENCH{number}", hash=f"bench{number}")  # each a new submission
        return urlencode({"payload": json.dumps(payload)}).encode()

    return make


def subcommand_names() -> list[str]:
    """The /pdsa subcommands copbot registers (the same register_all `copbot serve` runs)."""
    from slack_bolt import App

    from handlers import register_all

    app = App(signing_secret=SECRET, token=TOKEN, token_verification_enabled=False)
    return [sub.name for sub in register_all(app).listing()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="copbot's database (default: a fresh SQLite file)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--sample-modal", action="store_true",
                        help="serve copbot with tests/sample_feature.py added, to time a modal submission that "
                        "saves a row and posts a confirmation (bench/serve_with_sample.py)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="copbot-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'copbot.db'}"
    seed(database_url)
    names = subcommand_names() + (["sample"] if args.sample_modal else [])
    status = "status" if "status" in names else "help"

    with SlackStandIn(bot_token=TOKEN) as standin:
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        base_env.update(PYTHONPATH=str(ROOT), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                        SLACK_API_URL=standin.api_url, WEB_CONCURRENCY="2", DATABASE_URL=database_url)
        serve = ([sys.executable, str(ROOT / "bench" / "serve_with_sample.py")] if args.sample_modal
                 else [sys.executable, "-m", "copbot", "serve", "--host", "127.0.0.1"])
        copbot = Server("copbot serve", serve,
                        {**base_env, "PORT": str(free_port())}, workdir / "copbot.log")
        bare = Server("bare Bolt", [sys.executable, str(ROOT / "bench" / "bare_app.py")],
                      {**base_env, "PORT": str(free_port())}, workdir / "bare.log")
        try:
            for server in (copbot, bare):
                server.wait_ready(command_body("help")())
            modal = find_modal(copbot.port, standin, [n for n in names if n != "help"])
            if modal:
                second_label = f"view submission ({modal[1].get('callback_id')})"
                second_body = submission_body(modal[1])
            else:
                second_label, second_body = "/pdsa help (no modal registered yet)", command_body("help")
            results = []
            for label, body in [(f"/pdsa {status}", command_body(status)), (second_label, second_body)]:
                for server in (copbot, bare):
                    results.append(measure(server.name, label, server.port, body, args))
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
