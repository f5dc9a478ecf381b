"""Liveness and dependency status for load balancers and operators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from caseflow.extensions import csrf, db, limiter
from caseflow.jobs import get_redis

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    """200 when the database answers; 503 when it does not. Redis is reported, not required."""
    status = {"database": "ok", "redis": "disabled", "jobs": "inline"}
    code = 200
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        status["database"] = "unavailable"
        code = 503
    if current_app.config.get("REDIS_URL"):
        status["jobs"] = "rq"
        try:
            get_redis().ping()
            status["redis"] = "ok"
        except RedisError:
            status["redis"] = "unavailable"
    status["status"] = "ok" if code == 200 else "unavailable"
    return jsonify(status), code
