"""Sign-in and sign-out pages (``/login``, ``/logout``) for staff."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from caseflow.auth.lockout import is_locked, register_failure, register_success
from caseflow.auth.models import User
from caseflow.auth.passwords import hash_password, needs_rehash, verify_password
from caseflow.extensions import db, limiter

bp = Blueprint("auth", __name__)

#: Hash compared when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH: list[str] = []


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.inbox")


@bp.route("/login", methods=["GET"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    return render_template("web/login.html", next=request.args.get("next", ""), errors={})


@bp.route("/login", methods=["POST"])
@limiter.limit("10 per minute")
def login_submit() -> tuple[str, int] | Response:
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = _("Ange din e-postadress.")
    if not password:
        errors["password"] = _("Ange ditt lösenord.")
    if errors:
        return render_template(
            "web/login.html", next=request.form.get("next", ""), errors=errors, email=email
        ), 422
    user = db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("not-a-real-password"))
        verify_password(_DUMMY_HASH[0], password)
    elif not is_locked(user) and user.active and verify_password(user.password_hash, password):
        register_success(user)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        db.session.commit()
        login_user(user)
        return redirect(_safe_next(request.form.get("next")))
    elif not is_locked(user):
        register_failure(user)
        db.session.commit()
    errors["form"] = _(
        "Fel e-postadress eller lösenord, eller så är kontot tillfälligt låst efter för många "
        "misslyckade försök."
    )
    return render_template(
        "web/login.html", next=request.form.get("next", ""), errors=errors, email=email
    ), 401


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))
