"""The bare-stack baseline: Flask, marshmallow, SQLAlchemy, PostgreSQL and RQ done the simplest
honest way, so Caseflow's figures can be read as a ratio against what the stack itself allows.

Endpoints (no auth, no templates, no ORM sessions):

- ``GET /ping``: a bare JSON answer.
- ``POST /intake``: one marshmallow load, one INSERT, one commit, one RQ enqueue, ``201``.
- ``GET /cases?unit=<prefix>``: the 50 newest cases of a unit from Caseflow's own tables.

Run: ``python -m benchmarks.baseline.app init`` once, then
``gunicorn -w 2 --threads 4 'benchmarks.baseline.app:create_app()'`` with
``BASELINE_DATABASE_URL`` and ``BASELINE_REDIS_URL`` set.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import sqlalchemy as sa
from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate
from redis import Redis
from rq import Queue

metadata = sa.MetaData()
submissions = sa.Table(
    "baseline_submissions",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("eservice", sa.String(100), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)

# The unit is resolved in a scalar subquery, so PostgreSQL reads the newest cases straight off
# the (unit_id, opened_at) index; a join on the prefix would sort every case of the unit.
NEWEST_CASES = sa.text(
    "SELECT c.reference, c.title, c.state, c.channel, c.opened_at FROM cases c"
    " WHERE c.unit_id = (SELECT u.id FROM units u WHERE u.prefix = :unit)"
    " ORDER BY c.opened_at DESC, c.id DESC LIMIT 50"
)


class SubmissionSchema(Schema):
    eservice = fields.String(required=True, validate=validate.Length(min=1, max=100))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    email = fields.Email(load_default=None)


def noop(submission_id: int) -> int:
    """The job the baseline enqueues; a worker drains it without doing anything."""
    return submission_id


def _engine() -> sa.Engine:
    return sa.create_engine(os.environ["BASELINE_DATABASE_URL"], pool_size=8, max_overflow=0)


def create_app() -> Flask:
    app = Flask(__name__)
    engine = _engine()
    queue = Queue("baseline", connection=Redis.from_url(os.environ["BASELINE_REDIS_URL"]))
    schema = SubmissionSchema()

    @app.get("/ping")
    def ping() -> Any:
        return jsonify(status="ok")

    @app.post("/intake")
    def intake() -> Any:
        try:
            data = schema.load(request.get_json(force=True, silent=True) or {})
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        with engine.begin() as conn:
            new_id = conn.execute(submissions.insert().returning(submissions.c.id), data).scalar()
        queue.enqueue("benchmarks.baseline.app.noop", new_id)
        return jsonify(id=new_id), 201

    @app.get("/cases")
    def cases() -> Any:
        with engine.connect() as conn:
            rows = conn.execute(NEWEST_CASES, {"unit": request.args.get("unit", "")}).mappings()
            return jsonify([{**row, "opened_at": row["opened_at"].isoformat()} for row in rows])

    return app


if __name__ == "__main__" and sys.argv[1:] == ["init"]:
    metadata.create_all(_engine())
