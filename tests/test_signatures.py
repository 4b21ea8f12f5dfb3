"""Requests not signed by Slack with copbot's secret, now, over this exact body: all 401, nothing stored.

Over a thousand variants, generated from a fixed seed: forged signatures, replays (timestamps more
than five minutes old or ahead), bodies re-signed with another secret, truncated signatures,
wrong version prefixes, bodies tampered with after signing, and missing or malformed headers.
The bodies include requests that would write (an app_uninstalled event, a modal submission).
"""

from __future__ import annotations

import http.client
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from tests.conftest import SIGNING_SECRET
from tests.registrations import snapshot
from tests.slack_requests import block_action, event, sign, slash_command, view_submission

FORM = "application/x-www-form-urlencoded"
FIVE_MINUTES = 5 * 60


def bodies() -> list[tuple[bytes, str]]:
    modal = {"type": "modal", "callback_id": "plan_modal", "private_metadata": json.dumps({"cycle_id": 1}),
             "title": {"type": "plain_text", "text": "Plan"}, "blocks": []}
    return [
        (urlencode(slash_command("help")).encode(), FORM),
        (urlencode(slash_command("plan 1", team_id="T0OTHER")).encode(), FORM),
        (urlencode({"payload": json.dumps(view_submission(modal, {}))}).encode(), FORM),
        (urlencode({"payload": json.dumps(block_action("open_plan", value="1"))}).encode(), FORM),
        (json.dumps(event({"type": "app_uninstalled"}, event_id="EvForged")).encode(), "application/json"),
    ]


def headers(signature: str | None, timestamp: str | None) -> dict[str, str]:
    found = {}
    if signature is not None:
        found["X-Slack-Signature"] = signature
    if timestamp is not None:
        found["X-Slack-Request-Timestamp"] = timestamp
    return found


def tamper(body: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return body + b"&x=1"
    if choice == 1:
        position = rng.randrange(len(body))
        return body[:position] + bytes([(body[position] + 1) % 128 or 65]) + body[position + 1:]
    if choice == 2:
        return body.replace(b"T0001", b"T0002", 1) if b"T0001" in body else body[:-1]
    return body[: rng.randrange(1, len(body))]


VERSION_PREFIXES = ["v1=", "V0=", "v0:", "", "v00=", "sha256="]
HEADER_SHAPES = 6


@dataclass(frozen=True)
class Spec:
    """One bad request: its kind, the body, and the random choice that makes it bad."""

    kind: str
    body: bytes
    content_type: str
    choice: int


def specs(rng: random.Random) -> Iterator[Spec]:
    kinds = ["forged", "replayed", "future", "other secret", "truncated", "wrong version", "tampered"]
    for body, content_type in bodies():
        for _ in range(30):
            for kind in kinds:
                yield Spec(kind, body, content_type, rng.getrandbits(64))
        for shape in range(HEADER_SHAPES):
            yield Spec("bad headers", body, content_type, shape)


def build(spec: Spec) -> tuple[bytes, dict[str, str]]:
    """The body and headers to send, signed against the clock now."""
    rng = random.Random(spec.choice)
    body, now = spec.body, int(time.time())
    good = sign(body, SIGNING_SECRET, now)
    if spec.kind == "forged":
        return body, headers(f"v0={rng.getrandbits(256):064x}", str(now))
    if spec.kind == "replayed":
        then = now - rng.randint(FIVE_MINUTES + 1, 90 * 24 * 3600)
        return body, headers(sign(body, SIGNING_SECRET, then), str(then))
    if spec.kind == "future":
        then = now + rng.randint(FIVE_MINUTES + 1, 30 * 24 * 3600)
        return body, headers(sign(body, SIGNING_SECRET, then), str(then))
    if spec.kind == "other secret":
        return body, headers(sign(body, f"{rng.getrandbits(128):032x}", now), str(now))
    if spec.kind == "truncated":
        return body, headers(good[: rng.randint(0, len(good) - 1)], str(now))
    if spec.kind == "wrong version":
        return body, headers(rng.choice(VERSION_PREFIXES) + good[3:], str(now))
    if spec.kind == "tampered":
        changed = tamper(body, rng)
        return (changed if changed != body else body + b" "), headers(good, str(now))
    shapes = [headers(None, str(now)), headers(good, None), headers(None, None), headers(good, "yesterday"),
              headers(good, f"{now}.5"), headers(good.upper(), str(now))]
    return body, shapes[spec.choice]


def post_exactly(url: str, body: bytes, content_type: str, extra: dict[str, str]) -> tuple[int, bytes]:
    """POST with exactly these Slack headers (none added), on one keep-alive connection per call."""
    target = urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=15)
    try:
        connection.request("POST", "/slack/events", body=body, headers={"Content-Type": content_type, **extra})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_over_a_thousand_bad_signatures_all_get_401_and_store_nothing(slack, copbot, database, standin):
    before = snapshot(database)
    sent: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for spec in specs(random.Random(20251123)):
        body, extra = build(spec)
        status, answer = post_exactly(copbot.url, body, spec.content_type, extra)
        sent[spec.kind] += 1
        if status == 401:
            refused[spec.kind] += 1
        assert b"Traceback" not in answer
    copbot.wait_idle()

    assert sum(sent.values()) >= 1000, sent
    assert refused == sent, f"not refused: {sent - refused}"
    assert snapshot(database) == before
    assert [c.method for c in standin.calls if c.method != "auth.test"] == []  # nothing reached Slack either
    # The same bodies, signed correctly and now, are accepted: the 401s are about the signature.
    for body, content_type in bodies()[:1]:
        assert slack.post_raw(body, content_type).status == 200


def test_signed_but_malformed_bodies_get_400_without_a_traceback(copbot, database):
    before = snapshot(database)
    malformed = [(b'{"type": "event_callback", "event": ', "application/json"),
                 (b"payload=%7B%22type%22%3A", FORM),
                 (b"\xff\xfe\xfa not utf-8", FORM)]
    for body, content_type in malformed:
        ts = int(time.time())
        status, answer = post_exactly(copbot.url, body, content_type, headers(sign(body, SIGNING_SECRET, ts), str(ts)))
        assert status == 400, (body, status, answer)
        assert b"Traceback" not in answer
    assert snapshot(database) == before
