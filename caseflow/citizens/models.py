"""Citizens and their contact data: the only place personal data lives."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db import Base, CreatedAtMixin, IdMixin


class Citizen(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "citizens"

    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    #: Normalised 12-digit personnummer or samordningsnummer, when one was clearly justified.
    personnummer: Mapped[str | None] = mapped_column(sa.String(12))
    #: Skyddade personuppgifter: contact data is shown only to roles allowed to see it.
    protected_identity: Mapped[bool] = mapped_column(default=False)

    handles: Mapped[list[CitizenHandle]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:  # never print contact data
        return f"<Citizen {self.id}>"


class CitizenHandle(IdMixin, CreatedAtMixin, Base):
    """A citizen's identity on one channel (Facebook user id, X user id, ...)."""

    __tablename__ = "citizen_handles"
    __table_args__ = (sa.UniqueConstraint("channel", "external_user_id"),)

    citizen_id: Mapped[int] = mapped_column(
        sa.ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(sa.String(20))
    external_user_id: Mapped[str] = mapped_column(sa.String(100))
    display_name: Mapped[str | None] = mapped_column(sa.String(200))

    citizen: Mapped[Citizen] = relationship(back_populates="handles")
