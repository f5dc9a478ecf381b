"""Writes on staff accounts."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from caseflow.auth.models import User
from caseflow.auth.passwords import hash_password
from caseflow.enums import Role
from caseflow.errors import Conflict, ValidationFailed
from caseflow.extensions import db
from caseflow.units.models import Unit

MIN_PASSWORD_LENGTH = 10


def create_user(
    *,
    email: str,
    password: str,
    role: Role | str,
    name: str | None = None,
    unit_prefixes: Iterable[str] = (),
) -> User:
    """Create a staff account; unknown roles or units are validation errors, not crashes."""
    errors: dict[str, list[str]] = {}
    email = email.strip().lower()
    if "@" not in email:
        errors["email"] = ["Not an e-mail address."]
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"At least {MIN_PASSWORD_LENGTH} characters."]
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = [f"One of: {', '.join(r.value for r in Role)}."]
    prefixes = [p.strip().upper() for p in unit_prefixes if p.strip()]
    units = list(db.session.execute(sa.select(Unit).where(Unit.prefix.in_(prefixes))).scalars())
    missing = set(prefixes) - {u.prefix for u in units}
    if missing:
        errors["units"] = [f"Unknown unit prefix: {', '.join(sorted(missing))}."]
    if errors:
        raise ValidationFailed("Invalid user.", errors)
    if db.session.execute(sa.select(User.id).where(User.email == email)).first():
        raise Conflict("A user with that e-mail already exists.", {"email": ["Already in use."]})
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        role=Role(role).value,
        units=units,
    )
    db.session.add(user)
    db.session.flush()
    return user
