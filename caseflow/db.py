"""Declarative base, column types and the session class shared by every model.

This module is a leaf: it imports nothing from Caseflow, so models and extensions can use it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.session import Session
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AFTER_COMMIT_KEY = "caseflow_after_commit"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only form stored)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON()},
    )


#: The largest id an ``integer`` primary key holds (``IdMixin``): the bound of ids taken from
#: URLs (``caseflow.url_converters``), bodies and queries, so a larger one is a 404 or a 422
#: instead of a database overflow.
MAX_ID = 2**31 - 1


class IdMixin:
    id: Mapped[int] = mapped_column(primary_key=True)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseflowSession(Session):
    """A session that runs registered callbacks once its transaction has really committed.

    ``caseflow.jobs`` uses this to enqueue (or run inline) only what a committed transaction
    asked for: a rolled-back request never triggers its side effects.
    """

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kw: Any) -> Any:
        """Honour a session-level bind (a test's outer transaction) before the app's engines."""
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kw)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)

    def commit(self) -> None:
        super().commit()
        callbacks = self.info.pop(AFTER_COMMIT_KEY, [])
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.info.pop(AFTER_COMMIT_KEY, None)
        super().rollback()

    def close(self) -> None:
        self.info.pop(AFTER_COMMIT_KEY, None)
        super().close()
