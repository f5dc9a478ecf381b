"""Writes on citizens: the only place contact data is stored."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.extensions import db

CONTACT = ("name", "email", "phone")


def _normalise(**values: str | None) -> dict[str, str | None]:
    return {k: (v or "").strip() or None for k, v in values.items()}


def find_or_create_citizen(
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    personnummer: str | None = None,
) -> Citizen | None:
    """The citizen behind a submission, or ``None`` when nothing identifies one.

    A normalised personnummer identifies a person; an e-mail address is matched only when no
    personnummer was given. Contact data on file is completed, never overwritten, so a
    submission cannot change someone else's address. A citizen with protected identity
    (skyddade personuppgifter) is never matched by e-mail.
    """
    given = _normalise(name=name, email=email, phone=phone, personnummer=personnummer)
    if not any(given.values()):
        return None
    citizen = None
    if given["personnummer"]:
        citizen = _first(Citizen.personnummer == given["personnummer"])
    elif given["email"]:
        citizen = _first(Citizen.email == given["email"], Citizen.protected_identity.is_(False))
    if citizen is None:
        citizen = Citizen(**given)
        db.session.add(citizen)
        db.session.flush()
        return citizen
    citizen.name = citizen.name or given["name"]
    citizen.email = citizen.email or given["email"]
    citizen.phone = citizen.phone or given["phone"]
    return citizen


def _first(*criteria: sa.ColumnElement[bool]) -> Citizen | None:
    return db.session.execute(
        sa.select(Citizen).where(*criteria).order_by(Citizen.id).limit(1)
    ).scalar_one_or_none()


def find_or_create_citizen_id(
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    personnummer: str | None = None,
) -> int | None:
    """``find_or_create_citizen`` for callers that need only the id: the same matching and
    completion rules in Core statements (a ``SELECT``, plus an ``INSERT`` for a new citizen or
    an ``UPDATE`` when contact data on file is missing), without loading an ORM object."""
    given = _normalise(name=name, email=email, phone=phone, personnummer=personnummer)
    if not any(given.values()):
        return None
    connection = db.session.connection()
    row = None
    if given["personnummer"]:
        row = connection.execute(_BY_PERSONNUMMER, {"personnummer": given["personnummer"]}).first()
    elif given["email"]:
        row = connection.execute(_BY_EMAIL, {"email": given["email"]}).first()
    if row is None:
        values: dict[str, Any] = {**given, "protected_identity": False, "created_at": utcnow()}
        return int(connection.execute(_INSERT, values).inserted_primary_key[0])
    missing = {k: given[k] for k in CONTACT if not row._mapping[k] and given[k]}
    if missing:
        connection.execute(sa.update(_CITIZENS).where(_CITIZENS.c.id == row.id).values(**missing))
    return int(row.id)


_CITIZENS: sa.Table = Citizen.__table__  # type: ignore[assignment]
_COLUMNS = (_CITIZENS.c.id, *(_CITIZENS.c[k] for k in CONTACT))
_BY_PERSONNUMMER = (
    sa.select(*_COLUMNS)
    .where(_CITIZENS.c.personnummer == sa.bindparam("personnummer"))
    .order_by(_CITIZENS.c.id)
    .limit(1)
)
_BY_EMAIL = (
    sa.select(*_COLUMNS)
    .where(_CITIZENS.c.email == sa.bindparam("email"), _CITIZENS.c.protected_identity.is_(False))
    .order_by(_CITIZENS.c.id)
    .limit(1)
)
_INSERT = sa.insert(_CITIZENS)
