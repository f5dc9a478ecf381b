"""The signed-in user's own API tokens (create, list, revoke) and the token CLI."""

from __future__ import annotations

import click
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import ANY_STAFF, require_role
from caseflow.auth.tokens import create_token, revoke_token, tokens_of
from caseflow.errors import ValidationFailed
from caseflow.extensions import db

bp = Blueprint("web_account", __name__, url_prefix="/account")


@bp.route("/tokens", methods=["GET", "POST"])
@require_role(*ANY_STAFF)
def tokens() -> str | tuple[str, int]:
    user = current_user._get_current_object()
    secret = None
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            _token, secret = create_token(user, request.form.get("name") or "")
            db.session.commit()
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
    return render_template(
        "web/tokens.html", tokens=tokens_of(user), secret=secret, errors=errors
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@require_role(*ANY_STAFF)
def revoke(token_id: int) -> Response:
    revoke_token(current_user._get_current_object(), token_id)
    db.session.commit()
    flash(_("Nyckeln återkallades."), "success")
    return redirect(url_for("web_account.tokens"))


@click.command("create-token")
@click.option("--email", required=True, help="The staff account the token acts as.")
@click.option("--name", required=True, help="What the token is for.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    import sqlalchemy as sa

    from caseflow.auth.models import User

    user = db.session.execute(
        sa.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user {email}.")
    try:
        _token, secret = create_token(user, name)
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(secret)
