"""Flask-Login's user loader."""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.routing import BuildError

from caseflow.auth.models import User
from caseflow.errors import error_body, wants_json
from caseflow.extensions import db


def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
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
