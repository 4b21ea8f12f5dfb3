"""The one way copbot builds a Slack WebClient: configurable base URL and retry handlers."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler

from copbot.config import Settings


def retry_handlers(max_retries: int = 3) -> list[RetryHandler]:
    """429 waits for Retry-After; 5xx and connection errors retry with exponential backoff."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
    ]


def make_client(settings: Settings, token: str | None = None, *, timeout: int = 10) -> WebClient:
    """A WebClient pointed at SLACK_API_URL, with copbot's retry handlers."""
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )
