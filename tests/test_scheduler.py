"""The worker's APScheduler jobs: one sweep job, fixed id, importable, replaced on restart."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from copbot.scheduler import SWEEP_JOB_ID, add_recurring_jobs


def test_sweep_job_is_added_once_with_a_fixed_id_and_import_path(settings):
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.start(paused=True)
    try:
        add_recurring_jobs(scheduler, settings)
        add_recurring_jobs(scheduler, settings)  # a restart adds it again: replaced, not duplicated
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert [job.id for job in jobs] == [SWEEP_JOB_ID]
    job = jobs[0]
    assert job.func_ref == "copbot.notify:run_sweep" and job.args == () and job.kwargs == {}
    assert job.trigger.interval.total_seconds() == 60
    assert (job.coalesce, job.misfire_grace_time, job.max_instances) == (True, None, 1)
    assert job.next_run_time is not None  # runs at start-up: catch-up after downtime
