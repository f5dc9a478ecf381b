"""Writes on citizens: the only place contact data is stored."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.citizens.models import Citizen
from caseflow.extensions import db


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
    name = (name or "").strip() or None
    email = (email or "").strip() or None
    phone = (phone or "").strip() or None
    personnummer = (personnummer or "").strip() or None
    if not any((name, email, phone, personnummer)):
        return None
    citizen = None
    if personnummer:
        citizen = _first(Citizen.personnummer == personnummer)
    elif email:
        citizen = _first(Citizen.email == email, Citizen.protected_identity.is_(False))
    if citizen is None:
        citizen = Citizen(name=name, email=email, phone=phone, personnummer=personnummer)
        db.session.add(citizen)
        db.session.flush()
        return citizen
    citizen.name = citizen.name or name
    citizen.email = citizen.email or email
    citizen.phone = citizen.phone or phone
    return citizen


def _first(*criteria: sa.ColumnElement[bool]) -> Citizen | None:
    return db.session.execute(
        sa.select(Citizen).where(*criteria).order_by(Citizen.id).limit(1)
    ).scalar_one_or_none()
