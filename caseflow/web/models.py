"""Models of the caseworker area: API tokens, the search document of each case, inbox indexes.

Imported by ``caseflow.web.init_app`` so Alembic and the drift check see them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.db import Base, CreatedAtMixin, IdMixin


class ApiToken(IdMixin, CreatedAtMixin, Base):
    """A personal bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: First characters of the token, shown in lists so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class TSVector(sa.types.TypeDecorator[str]):
    """``tsvector`` on PostgreSQL; plain (unused, null) text elsewhere."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TSVECTOR())
        return dialect.type_descriptor(sa.Text())


class CaseSearch(Base):
    """One searchable document per case: title, description and message bodies.

    Rebuilt by ``caseflow.web.search`` once per transaction for the cases a flush changed.
    PostgreSQL keeps ``to_tsvector('swedish', document)`` in ``vector`` (stored, so neither a
    match nor a recheck recomputes it, and the planner has statistics on it) and
    the case's ``unit_id`` and whether it is ``open`` beside it. A caseworker searches the open
    cases of their units (the inbox default), so a partial GIN index on ``(unit_id, vector)``
    of open cases (``btree_gin``) finds exactly those matches without reading closed cases or
    other units' documents; other searches (closed cases, all units) use the GIN index on
    ``vector``. SQLite mirrors the documents into an FTS5 table in an attached database.
    """

    __tablename__ = "case_search"
    #: GIN on PostgreSQL; on SQLite plain indexes (the vector is always null there, harmless,
    #: and it keeps one schema for the drift check).
    __table_args__ = (
        sa.Index("ix_case_search_vector", "vector", postgresql_using="gin"),
        sa.Index(
            "ix_case_search_open_unit_vector",
            "unit_id",
            "vector",
            postgresql_using="gin",
            postgresql_where=sa.text("open"),
            sqlite_where=sa.text("open"),
        ),
    )

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    #: Copied from the case (kept in sync with it) so the match can be limited to units.
    unit_id: Mapped[int] = mapped_column(sa.Integer)
    #: ``closed_at IS NULL`` of the case, kept in sync with it like ``unit_id``.
    open: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    document: Mapped[str] = mapped_column(sa.Text, default="")
    vector: Mapped[str | None] = mapped_column(TSVector)


#: The inbox counts open cases of a unit by assignee and overdue-ness in one query; closed cases
#: are most rows at scale, so the index holds only open ones, and it carries every column the
#: counts read (clock flags included) so PostgreSQL answers them from the index alone.
ix_cases_open_unit = sa.Index(
    "ix_cases_open_unit_assignee",
    Case.unit_id,
    Case.assignee_id,
    Case.due_date,
    Case.clock_paused_at,
    Case.clock_stopped_at,
    postgresql_where=Case.closed_at.is_(None),
    sqlite_where=Case.closed_at.is_(None),
)

#: The inbox lists open cases of a unit newest first (and walks them for frequent search
#: words): a partial index in that order reads a page, at any keyset depth, from open cases
#: only, without visiting the four closed cases for every open one.
ix_cases_open_unit_opened = sa.Index(
    "ix_cases_open_unit_opened",
    Case.unit_id,
    Case.opened_at,
    Case.id,
    postgresql_where=Case.closed_at.is_(None),
    sqlite_where=Case.closed_at.is_(None),
)
