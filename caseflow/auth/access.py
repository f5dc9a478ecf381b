"""Who may see which cases: enforced in queries and services, not in templates.

Caseworkers and unit leads see the cases of their units; registrars and admins see all. A case
the actor may not see is reported as not found, so references do not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_login import current_user

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.references import reference_key
from caseflow.enums import Role
from caseflow.errors import Forbidden, NotFound
from caseflow.extensions import db
from caseflow.units.models import Unit

F = TypeVar("F", bound=Callable[..., Any])


def sees_all_units(user: User) -> bool:
    return Role(user.role).sees_all_units


def visible_units(user: User) -> list[Unit]:
    """The units ``user`` works in (every unit for roles that see all), by prefix."""
    if sees_all_units(user):
        return list(db.session.execute(sa.select(Unit).order_by(Unit.prefix)).scalars())
    return sorted(user.units, key=lambda u: u.prefix)


def visible_cases_clause(user: User) -> sa.ColumnElement[bool]:
    """A WHERE clause limiting ``Case`` rows to what ``user`` may see."""
    if sees_all_units(user):
        return sa.true()
    unit_ids = sorted(user.unit_ids)
    return Case.unit_id.in_(unit_ids) if unit_ids else sa.false()


def can_see_case(user: User, case: Case) -> bool:
    return sees_all_units(user) or case.unit_id in user.unit_ids


def case_for(user: User, reference: str, *, for_update: bool = False) -> Case:
    """Load a case by either reference form, or raise ``NotFound`` if absent or not visible."""
    stmt = sa.select(Case).where(
        Case.reference_key == reference_key(reference), visible_cases_clause(user)
    )
    if for_update:
        stmt = stmt.with_for_update()
    case = db.session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise NotFound("Ärendet finns inte.")
    return case


def require_role(*roles: Role) -> Callable[[F], F]:
    """Guard a view: signed in (401 otherwise) and one of ``roles`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user
            if not user or not user.is_authenticated:
                from caseflow.extensions import login_manager

                return login_manager.unauthorized()
            if roles and Role(user.role) not in roles:
                raise Forbidden("Din roll får inte göra detta.")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


ANY_STAFF = tuple(Role)
