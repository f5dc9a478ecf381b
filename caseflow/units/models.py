"""Organisational units (förvaltning/enhet) that own cases and e-services."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, CreatedAtMixin, IdMixin


class Unit(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(200))
    #: Register prefix used in diarienummer, e.g. ``KS``.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: Overrides ``CASEFLOW_REFERENCE_PATTERN`` for this unit's register when set.
    reference_pattern: Mapped[str | None] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Unit {self.prefix}>"
