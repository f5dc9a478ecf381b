"""Writes on citizens: the only place contact data is stored."""

from __future__ import annotations

from dataclasses import dataclass
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
    (skyddade personuppgifter) is never matched by e-mail. The rules live in
    ``match_citizen`` and ``resolve_citizen``; this loads the ORM object for callers that
    need one.
    """
    citizen_id = find_or_create_citizen_id(
        name=name, email=email, phone=phone, personnummer=personnummer
    )
    if citizen_id is None:
        return None
    # The id's row may have been completed by a Core UPDATE: refresh any copy in the session.
    return db.session.get(Citizen, citizen_id, populate_existing=True)


@dataclass(frozen=True)
class CitizenMatch:
    """Who a submission names, normalised, and how to find them: ``lookup`` is a prebuilt
    ``SELECT id, name, email, phone`` (at most one row) to run with ``params``, or ``None``
    when nothing but a name or phone was given (such a submission always adds a citizen).
    Callers may run ``lookup`` inside a statement of their own (as a subquery) to save a
    round trip, then hand the row to ``resolve_citizen``."""

    given: dict[str, str | None]
    lookup: Any | None
    params: dict[str, Any]


def match_citizen(
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    personnummer: str | None = None,
) -> CitizenMatch | None:
    """How to find the citizen (the rules of ``find_or_create_citizen``); ``None`` when
    nothing identifies one."""
    given = _normalise(name=name, email=email, phone=phone, personnummer=personnummer)
    if not any(given.values()):
        return None
    if given["personnummer"]:
        return CitizenMatch(given, _BY_PERSONNUMMER, {"personnummer": given["personnummer"]})
    if given["email"]:
        return CitizenMatch(given, _BY_EMAIL, {"email": given["email"]})
    return CitizenMatch(given, None, {})


def resolve_citizen(match: CitizenMatch, row: Any | None) -> int:
    """The citizen's id from the lookup's row (``None``: not found, or no lookup): a new
    citizen is inserted, contact data missing on file is completed (an ``UPDATE`` only then),
    never overwritten."""
    connection = db.session.connection()
    given = match.given
    if row is None or row.id is None:
        values: dict[str, Any] = {**given, "protected_identity": False, "created_at": utcnow()}
        return int(connection.execute(_INSERT, values).inserted_primary_key[0])
    missing = {k: given[k] for k in CONTACT if not row._mapping[k] and given[k]}
    if missing:
        connection.execute(sa.update(_CITIZENS).where(_CITIZENS.c.id == row.id).values(**missing))
    return int(row.id)


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
    match = match_citizen(name=name, email=email, phone=phone, personnummer=personnummer)
    if match is None:
        return None
    return resolve_citizen(match, look_up(match))


def look_up(match: CitizenMatch) -> Any | None:
    """Run the match's lookup on its own: the citizen's row, or ``None``."""
    if match.lookup is None:
        return None
    return db.session.connection().execute(match.lookup, match.params).first()


_CITIZENS: sa.Table = Citizen.__table__  # type: ignore[assignment]
#: The columns a lookup returns, in this order.
LOOKUP_COLUMNS = ("id", *CONTACT)
_COLUMNS = tuple(_CITIZENS.c[k] for k in LOOKUP_COLUMNS)
_BY_PERSONNUMMER = (
    sa.select(*_COLUMNS)
    .where(_CITIZENS.c.personnummer == sa.bindparam("personnummer", type_=sa.String()))
    .order_by(_CITIZENS.c.id)
    .limit(1)
)
_BY_EMAIL = (
    sa.select(*_COLUMNS)
    .where(
        _CITIZENS.c.email == sa.bindparam("email", type_=sa.String()),
        _CITIZENS.c.protected_identity.is_(False),
    )
    .order_by(_CITIZENS.c.id)
    .limit(1)
)
_INSERT = sa.insert(_CITIZENS)
