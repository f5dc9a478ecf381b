"""Jobs named by a row this transaction inserted (``new_id``): one pipelined round trip to
Redis, queued whole, run once; a sweeper's later re-enqueue of the same id stays a no-op."""

from __future__ import annotations

from flask import Flask
from redis.connection import Connection

from caseflow import jobs
from caseflow.extensions import db

CALLS: list[str] = []


def record_call(tag: str) -> None:
    CALLS.append(tag)


def test_a_new_id_job_is_queued_whole_and_runs_once(rq_mode: Flask, run_worker) -> None:
    CALLS.clear()
    jobs.enqueue(record_call, "new", job_id="new-row-1", network=True, new_id=True)
    db.session.commit()
    queue = jobs.get_queue("default")
    job_id = f"{rq_mode.config['QUEUE_PREFIX']}-new-row-1"
    assert queue.job_ids == [job_id]
    job = queue.fetch_job(job_id)
    assert job is not None and job.get_status() == "queued"
    assert job.retries_left == len(rq_mode.config["JOB_RETRY_INTERVALS"].split(","))
    # What a sweeper does for work it finds unfinished: the queued job keeps it single.
    jobs.enqueue(record_call, "new", job_id="new-row-1")
    db.session.commit()
    assert queue.count == 1
    run_worker()
    assert CALLS == ["new"]


def test_a_new_id_job_uses_one_redis_round_trip(rq_mode: Flask, monkeypatch) -> None:
    # RQ asks a new client for the server's version once (per process in production).
    jobs.get_queue("default").get_redis_server_version()
    sent: list[str] = []
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append("round trip")
        return original(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    jobs.enqueue(record_call, "counted", job_id="new-row-2", new_id=True)
    db.session.commit()
    assert sent == ["round trip"]
