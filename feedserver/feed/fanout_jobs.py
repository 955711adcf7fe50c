"""Very large fan-outs: stored as a job with the item, then written in batches after commit.

The writer is not held up by thousands of inbox rows. The job row commits with the item, so a
crash loses nothing: a restarted server or `flask feed fan-out` finishes it. Each batch is its
own transaction and queues its own Delivery, so recipients are pushed batch by batch.
"""

import logging

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from feedserver.extensions import db, socketio
from feedserver.feed.publish import Delivery, fan_out, queue_push
from feedserver.models import FanoutJob
from feedserver.orm import utcnow

log = logging.getLogger(__name__)
PENDING_JOBS = "feed_pending_fanout_jobs"


def defer_fan_out(item_id: int, recipients: list[int]) -> FanoutJob:
    """Record the recipients of `item_id` to be fanned out after the caller commits."""
    job = FanoutJob(item_id=item_id, recipients=recipients)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(PENDING_JOBS, []).append(job.id)
    return job


def run_job(job_id: int) -> int:
    """Fan a job out batch by batch until done; returns how many recipients this call wrote."""
    written = 0
    while True:
        job = db.session.scalar(
            sa.select(FanoutJob).where(FanoutJob.id == job_id).with_for_update()
        )
        if job is None or job.finished_at is not None:
            db.session.rollback()
            return written
        end = job.position + current_app.config["FANOUT_BATCH_SIZE"]
        # Someone deactivated since the item was written no longer receives it.
        seqs = fan_out(job.item_id, job.recipients[job.position : end], active_only=True)
        queue_push(db.session(), Delivery(job.item_id, seqs))
        job.position = min(end, len(job.recipients))
        finished = job.position >= len(job.recipients)
        if finished:
            job.finished_at = utcnow()
        db.session.commit()
        written += len(seqs)
        if finished:  # no need to read the row back to learn that
            return written


def run_pending_jobs() -> int:
    """Finish every unfinished job, oldest first; returns the number of rows written."""
    ids = db.session.scalars(
        sa.select(FanoutJob.id).where(FanoutJob.finished_at.is_(None)).order_by(FanoutJob.id)
    ).all()
    db.session.rollback()
    return sum(run_job(job_id) for job_id in ids)


def drain_in_background(app: Flask, job_ids: list[int] | None = None) -> None:
    """Background task body: run the given jobs (or all pending ones) in the app's context."""
    with app.app_context():
        try:
            if job_ids is None:
                run_pending_jobs()
            for job_id in job_ids or []:
                run_job(job_id)
        except Exception:
            db.session.rollback()
            log.exception("background fan-out stopped; `flask feed fan-out` resumes it")
        finally:
            db.session.remove()


def _after_commit(session) -> None:
    job_ids = session.info.pop(PENDING_JOBS, [])
    if job_ids and has_app_context() and current_app.config["FANOUT_BACKGROUND"]:
        app = current_app._get_current_object()
        socketio.start_background_task(drain_in_background, app, job_ids)


def _after_rollback(session) -> None:
    session.info.pop(PENDING_JOBS, None)


def install_job_listener() -> None:
    """Start a background task for the jobs a transaction created, once it has committed."""
    for name, listener in (("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
