"""copbot served on a real 127.0.0.1 port: in this process (fast) or as `copbot serve` (subprocess)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import Future, wait
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from copbot.app import create_app
from copbot.config import Settings
from copbot.web import CopbotWsgi
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class InProcessServer:
    """copbot's WSGI app (the same one gunicorn serves) on a threaded server in this process."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.app = create_app(settings, database)
        self.wsgi = CopbotWsgi(self.app, database, settings)
        self.server = make_server("127.0.0.1", 0, self.wsgi, server_class=_ThreadingWSGIServer,
                                  handler_class=_QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._background: set[Future] = set()
        self._track_background_work()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def _track_background_work(self) -> None:
        executor = self.app.listener_runner.listener_executor
        submit = executor.submit

        def tracked_submit(fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            future = submit(fn, *args, **kwargs)
            self._background.add(future)
            return future

        executor.submit = tracked_submit  # type: ignore[method-assign]

    def wait_idle(self, timeout: float = 20) -> None:
        """Wait until every listener Bolt ran in its thread pool has finished (work after ack too)."""
        deadline = time.monotonic() + timeout
        while True:
            pending = [f for f in list(self._background) if not f.done()]
            if not pending:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{len(pending)} listener(s) still running after {timeout} s")
            wait(pending, timeout=remaining)

    def __enter__(self) -> InProcessServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving once the background work of this test's requests is done, so none of it
        reaches the Slack stand-in during the next test."""
        try:
            self.wait_idle()
        finally:
            self.server.shutdown()
            self.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copbot_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(overrides)
    return env


def run_copbot(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "copbot", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


class CopbotProcess:
    """`copbot serve` in a subprocess (gunicorn, as in production), waited for on /healthz."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = int(env["PORT"])
        self.process = subprocess.Popen([sys.executable, "-m", "copbot", "serve", "--host", "127.0.0.1"],
                                        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"copbot serve exited {self.process.returncode}: {self.process.stdout.read()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("copbot serve did not answer /healthz in time")

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output
