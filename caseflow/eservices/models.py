"""E-services (e-tjänster): the municipality's web forms and the case type each opens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db import Base, CreatedAtMixin, IdMixin
from caseflow.units.models import Unit


class EService(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "eservices"
    __table_args__ = (
        sa.CheckConstraint(
            "retired_at IS NULL OR published_at IS NOT NULL", name="retired_after_published"
        ),
    )

    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title_sv: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    description_sv: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    #: Key of the workflow definition cases of this e-service follow (``arende``, ...).
    workflow_key: Mapped[str] = mapped_column(sa.String(50))
    #: Expected handling time in Swedish working days (the SLA).
    handling_days: Mapped[int] = mapped_column(default=10)
    #: The form definition: a list of field specs (see ``caseflow.eservices.forms``).
    form: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined")

    def is_published(self, at: datetime) -> bool:
        """Published on ``at``: the goal metric "published e-services on a date" uses this."""
        return (
            self.published_at is not None
            and self.published_at <= at
            and (self.retired_at is None or self.retired_at > at)
        )

    def __repr__(self) -> str:
        return f"<EService {self.slug}>"


class SubmissionKey(IdMixin, CreatedAtMixin, Base):
    """The first answer to a submission, so a retry gets it again instead of a second case.

    ``key`` is ``key:<Idempotency-Key>`` for clients that send one, or ``body:<sha256>`` of
    the normalised submission for the dedupe window (a double-clicked form). The row is
    written before the case is opened, so a concurrent retry waits on the unique index and
    then reads the winner's answer.
    """

    __tablename__ = "submission_keys"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    #: ``<channel>:<e-service slug>``: keys are private to one endpoint.
    scope: Mapped[str] = mapped_column(sa.String(130))
    key: Mapped[str] = mapped_column(sa.String(300))
    #: SHA-256 of the normalised submission; a reused key with another body is refused.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(index=True)
