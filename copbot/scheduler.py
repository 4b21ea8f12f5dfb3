"""`copbot worker`: the only process that runs APScheduler.

Jobs live in APScheduler's SQLAlchemy job store in copbot's own database, so the schedule
survives restarts. The web process never starts a scheduler, so several web workers never
duplicate a job.
"""

from __future__ import annotations

import logging

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

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


def add_recurring_jobs(scheduler: BlockingScheduler, settings: Settings) -> None:
    """copbot's recurring jobs, each with a fixed id and ``replace_existing=True``."""


def run_worker(settings: Settings, database: Database) -> None:
    scheduler = build_scheduler(database, settings)
    log.info("copbot worker started with %d job(s)", len(scheduler.get_jobs()))
    scheduler.start()
