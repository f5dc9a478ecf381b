"""Personal API tokens: bearer secrets for scripts; only a SHA-256 of each is stored."""

from __future__ import annotations

import functools
import hashlib
import secrets

import sqlalchemy as sa
from flask import Request
from sqlalchemy import orm

from caseflow.auth.models import User
from caseflow.auth.sessions import TOKEN_LOGIN
from caseflow.db import utcnow
from caseflow.errors import NotFound, ValidationFailed
from caseflow.extensions import db
from caseflow.web.models import ApiToken

TOKEN_PREFIX = "cf_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain secret is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("Ogiltigt namn.", {"name": ["Ange ett namn (högst 100 tecken)."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=_digest(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("Nyckeln finns inte.")
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ).scalars()
    )


@functools.cache
def _user_by_token_hash() -> sa.Select[tuple[User]]:
    """Built once per process: every API request runs it, and building it costs more than
    running it. One statement for the token, its user and the user's units."""
    return (
        sa.select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == sa.bindparam("digest"), ApiToken.revoked_at.is_(None))
        .options(orm.joinedload(User.units))
    )


def user_for_token(secret: str) -> User | None:
    """The active user owning an unrevoked token, or ``None``."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    user = (
        db.session.execute(_user_by_token_hash(), {"digest": _digest(secret)})
        .unique()
        .scalar_one_or_none()
    )
    if user is None or not user.active:
        return None
    return user


def load_user_from_request(request: Request) -> User | None:
    """Flask-Login request loader: ``Authorization: Bearer cf_...`` (API requests only)."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    user = user_for_token(secret.strip())
    if user is not None:
        request.environ[TOKEN_LOGIN] = True  # no session cookie in the response (sessions.py)
    return user
