"""`copbot worker`: the only process that runs APScheduler.

Jobs live in APScheduler's SQLAlchemy job store in copbot's own database, so the schedule
survives restarts. The web process never starts a scheduler, so several web workers never
duplicate a job.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from copbot.config import Settings
from storage.db import Database

log = logging.getLogger(__name__)
JOBS_TABLE = "apscheduler_jobs"


def build_scheduler(database: Database, settings: Settings) -> BlockingScheduler:
    """A scheduler on the persistent job store, with copbot's recurring jobs added.

    ``coalesce=True``: a job that missed several runs while the worker was down runs once on
    start, not once per missed run. ``misfire_grace_time=None``: a late run still runs,
    however late; the jobs themselves are idempotent sweeps, so running late is always right.
    """
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=database.engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone="UTC",
    )
    add_recurring_jobs(scheduler, settings)
    return scheduler


SWEEP_JOB_ID = "notifications_sweep"
SWEEP_EVERY = timedelta(minutes=1)


def add_recurring_jobs(scheduler: BaseScheduler, settings: Settings) -> None:
    """copbot's recurring jobs, each with a fixed id and ``replace_existing=True``.

    One job: the notification sweep (``copbot.notify.run_sweep``), every minute and once right at
    start-up (``next_run_time``), so a reminder that fell due while the worker was down goes out
    on start. It is stored by import path with no arguments: it reads DATABASE_URL and the Slack
    settings from the environment, never a live object. ``coalesce=True`` and
    ``misfire_grace_time=None`` (set here on purpose, as in the scheduler's defaults): a sweep sends
    everything due up to its own instant, so missed runs collapse into one late run that loses
    nothing, however late it is.
    ``max_instances=1`` keeps a slow sweep (Slack rate limits) from overlapping the next; the row
    claims make overlapping sweeps safe anyway, even from a second worker process.
    """
    scheduler.add_job(
        "copbot.notify:run_sweep",
        trigger=IntervalTrigger(seconds=int(SWEEP_EVERY.total_seconds()), timezone="UTC"),
        id=SWEEP_JOB_ID,
        name="plan and send due reminders and digests",
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        coalesce=True,
        misfire_grace_time=None,
        max_instances=1,
    )


def run_worker(settings: Settings, database: Database) -> None:
    scheduler = build_scheduler(database, settings)
    log.info("copbot worker started with %d job(s)", len(scheduler.get_jobs()))
    scheduler.start()
