"""Flask-Login's user loader."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import redirect, request, url_for
from sqlalchemy import orm
from werkzeug.routing import BuildError

from caseflow.auth.models import User
from caseflow.errors import error_body, wants_json
from caseflow.extensions import db


@functools.cache
def _user_by_id() -> sa.Select[tuple[User]]:
    """Built once per process; the user and their units in one statement."""
    return (
        sa.select(User)
        .where(User.id == sa.bindparam("user_id"))
        .options(orm.joinedload(User.units))
    )


def load_user(user_id: str) -> User | None:
    """The active user of a session cookie (units loaded with it), or ``None``."""
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    user = db.session.execute(_user_by_id(), {"user_id": uid}).unique().scalar_one_or_none()
    return user if user is not None and user.active else None


def unauthorized():
    """401 JSON for machine clients; the sign-in page (when present) for browsers."""
    if wants_json():
        body = error_body(401, "unauthorized", "Inloggning krävs.")
        return body, 401
    try:
        return redirect(url_for("auth.login", next=request.full_path))
    except BuildError:
        return "Inloggning krävs.", 401
