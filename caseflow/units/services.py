"""Writes on units."""

from __future__ import annotations

import re

import sqlalchemy as sa

from caseflow.errors import Conflict, ValidationFailed
from caseflow.extensions import db
from caseflow.units.models import Unit

_PREFIX = re.compile(r"^[A-ZÅÄÖ]{1,10}$")


def create_unit(*, name: str, prefix: str, reference_pattern: str | None = None) -> Unit:
    prefix = prefix.strip().upper()
    if not _PREFIX.match(prefix):
        raise ValidationFailed("Invalid unit.", {"prefix": ["1-10 letters, e.g. KS."]})
    if db.session.execute(sa.select(Unit.id).where(Unit.prefix == prefix)).first():
        raise Conflict("Prefix in use.", {"prefix": ["Already in use."]})
    unit = Unit(name=name.strip(), prefix=prefix, reference_pattern=reference_pattern)
    db.session.add(unit)
    db.session.flush()
    return unit
