"""Inbox reads: the views, filters, keyset pages and per-view counts, all under access rules.

A page costs a fixed number of queries whatever its size: one for the rows (unit, e-service and
assignee's name joined) and one for the counts, which are served for a few seconds from the
per-process ``page_cache``.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from caseflow.auth.access import sees_all_units, visible_cases_clause
from caseflow.auth.models import User
from caseflow.cases.deadlines import clock_running
from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.errors import ValidationFailed
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.timeutil import local_date
from caseflow.units.models import Unit
from caseflow.web import page_cache
from caseflow.web.memo import BoundedMemo
from caseflow.web.models import CaseSearch
from caseflow.web.search import (
    search_backend,
    search_clause,
    sync_before_search,
    words_match,
)

#: sort name -> (column, descending)
SORT_COLUMNS: dict[str, tuple[Any, bool]] = {
    "newest": (Case.opened_at, True),
    "oldest": (Case.opened_at, False),
    "due": (sa.func.coalesce(Case.due_date, date(9999, 12, 31)), False),
    "activity": (Case.last_activity_at, True),
}


@dataclass
class InboxPage:
    cases: list[Any]
    next_cursor: str | None
    counts: dict[str, int]
    assignees: dict[int, str] = field(default_factory=dict)


def my_units_clause(user: User) -> sa.ColumnElement[bool]:
    """Cases of the user's own units; for all-unit roles without units, every case."""
    if user.unit_ids:
        return Case.unit_id.in_(sorted(user.unit_ids))
    return sa.true() if sees_all_units(user) else sa.false()


def overdue_clause(*, known_open: bool = False) -> sa.ColumnElement[bool]:
    """Running clock and due date passed. ``known_open`` leaves out ``closed_at IS NULL`` when
    the query already has it, so the counts stay answerable from the open-cases index."""
    if known_open:
        running = sa.and_(Case.clock_paused_at.is_(None), Case.clock_stopped_at.is_(None))
    else:
        running = clock_running()
    return sa.and_(running, Case.due_date < local_date(utcnow()))


def view_clauses(user: User) -> dict[str, sa.ColumnElement[bool]]:
    """The inbox views; each is limited to open cases (a state filter lifts that)."""
    return {
        "mine": Case.assignee_id == user.id,
        "queue": sa.and_(my_units_clause(user), Case.assignee_id.is_(None)),
        "units": my_units_clause(user),
        "overdue": sa.and_(my_units_clause(user), overdue_clause()),
        "all": sa.true(),
    }


def counts_for(user: User) -> dict[str, int]:
    """Open cases per view in one query (``COUNT(*) FILTER``)."""
    views = view_clauses(user)
    views["overdue"] = sa.and_(my_units_clause(user), overdue_clause(known_open=True))
    columns = [sa.func.count().filter(clause).label(name) for name, clause in views.items()]
    row = db.session.execute(
        sa.select(*columns)
        .select_from(Case)
        .where(visible_cases_clause(user), Case.closed_at.is_(None))
    ).one()
    return {name: int(row._mapping[name] or 0) for name in views}


def cached_counts(user: User) -> dict[str, int]:
    """``counts_for(user)``, served for a few seconds from the per-process counts cache."""
    key = ("inbox", user.id, user.role, tuple(sorted(user.unit_ids)), local_date(utcnow()))
    return page_cache.cached(key, lambda: counts_for(user))  # type: ignore[no-any-return]


def encode_cursor(sort: str, case: Any) -> str:
    """The keyset cursor after ``case`` (a ``Case`` or an inbox row)."""
    column, _desc = SORT_COLUMNS[sort]
    if sort == "due":
        value: Any = (case.due_date or date(9999, 12, 31)).isoformat()
    else:
        value = getattr(case, column.key).isoformat()
    raw = json.dumps([sort, value, case.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, case_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(case_id, int):
            raise ValueError
        parsed: Any = date.fromisoformat(value) if sort == "due" else datetime.fromisoformat(value)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            "Ogiltig markör.", {"cursor": ["Ogiltig eller inaktuell sidmarkör."]}
        ) from exc
    return parsed, case_id


def filter_clauses(
    user: User, filters: dict[str, Any], *, text: bool = True
) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses of the view and filters; access rules always come first. ``text=False``
    leaves out the search words (``text_clause`` gives them alone)."""
    clauses = [visible_cases_clause(user), view_clauses(user)[filters.get("view", "units")]]
    if filters.get("state"):
        clauses.append(Case.state == filters["state"])
    else:
        clauses.append(Case.closed_at.is_(None))
    if filters.get("eservice"):
        clauses.append(
            Case.eservice_id.in_(sa.select(EService.id).where(EService.slug == filters["eservice"]))
        )
    if filters.get("channel"):
        clauses.append(Case.channel == filters["channel"])
    if filters.get("unit"):
        clauses.append(
            Case.unit_id.in_(sa.select(Unit.id).where(Unit.prefix == filters["unit"].upper()))
        )
    assignee = filters.get("assignee")
    if assignee == "me":
        clauses.append(Case.assignee_id == user.id)
    elif assignee == "none":
        clauses.append(Case.assignee_id.is_(None))
    elif assignee:
        clauses.append(Case.assignee_id == int(assignee))
    if filters.get("priority"):
        clauses.append(Case.priority == filters["priority"])
    if filters.get("overdue") is True:
        clauses.append(overdue_clause())
    elif filters.get("overdue") is False:
        clauses.append(sa.not_(overdue_clause()))
    zone_from, zone_to = filters.get("opened_from"), filters.get("opened_to")
    if zone_from:
        clauses.append(Case.opened_at >= _start_of(zone_from))
    if zone_to:
        clauses.append(Case.opened_at < _start_of(zone_to, plus_days=1))
    if text and filters.get("q"):
        clauses.append(text_clause(user, filters))
    return clauses


def text_clause(user: User, filters: dict[str, Any]) -> sa.ColumnElement[bool]:
    """The search words of ``filters["q"]``, matched within what ``user`` may see."""
    units = None if sees_all_units(user) else sorted(user.unit_ids)
    return search_clause(filters["q"], units, open_only=not filters.get("state"))


def _start_of(day: date, plus_days: int = 0) -> datetime:
    from datetime import timedelta

    from caseflow.timeutil import local_zone

    moment = datetime.combine(day + timedelta(days=plus_days), datetime.min.time())
    return moment.replace(tzinfo=local_zone())


#: The assignee of a listed case (joined in the rows' query for the name).
Assignee = orm.aliased(User, name="assignee")

#: The columns a list row shows (or its cursor and overdue flag need): the page only displays
#: cases, so it reads plain rows instead of ORM objects (a third of the page's CPU otherwise).
ROW_COLUMNS = (
    Case.id,
    Case.reference,
    Case.reference_key,
    Case.title,
    Case.state,
    Case.workflow_key,
    Case.workflow_version,
    Case.priority,
    Case.channel,
    Case.unit_id,
    Case.assignee_id,
    Case.opened_at,
    Case.last_activity_at,
    Case.due_date,
    Case.closed_at,
    Case.clock_paused_at,
    Case.clock_stopped_at,
    Case.secret,
    Unit.prefix.label("unit_prefix"),
    EService.slug.label("eservice_slug"),
    Assignee.name.label("assignee_name"),
)


def inbox_page(user: User, filters: dict[str, Any], *, with_counts: bool = True) -> InboxPage:
    """One keyset page of the inbox for ``user`` with the given filters.

    ``cases`` are read-only rows (``ROW_COLUMNS``: case columns plus ``unit_prefix`` and
    ``eservice_slug``), not ``Case`` objects.
    """
    sort = filters.get("sort", "newest")
    limit = int(filters.get("limit", 25))
    if filters.get("q"):
        sync_before_search(db.session())
    first, fallback = _page_statements(user, filters)
    search = _search_key(user, filters) if fallback is not None else None
    # Plain rows through the session's connection (Core): the ORM's execute and loading cost
    # a fifth of the request for 26 rows it does nothing with. Flush first, as autoflush would.
    session = db.session()
    session.flush()
    connection = session.connection()
    if search is not None and _walk_recently_fell_short(search):
        rows = connection.execute(fallback).all()  # type: ignore[arg-type]
    else:
        rows = connection.execute(first).all()
        if fallback is not None and len(rows) <= limit:
            rows = connection.execute(fallback).all()
            _remember_short(search)  # type: ignore[arg-type]
    next_cursor = encode_cursor(sort, rows[limit - 1]) if len(rows) > limit else None
    cases = rows[:limit]
    assignees = {c.assignee_id: c.assignee_name for c in cases if c.assignee_id}
    counts = cached_counts(user) if with_counts else {}
    return InboxPage(cases=cases, next_cursor=next_cursor, counts=counts, assignees=assignees)


def _page_parts(
    user: User, filters: dict[str, Any]
) -> tuple[sa.Select[Any], list[sa.ColumnElement[bool]], tuple[Any, ...]]:
    """The rows' SELECT (columns and joins), its WHERE clauses without the search words (the
    keyset cursor included) and its ORDER BY."""
    sort = filters.get("sort", "newest")
    column, descending = SORT_COLUMNS[sort]
    clauses = filter_clauses(user, filters, text=False)
    if filters.get("cursor"):
        value, case_id = decode_cursor(sort, filters["cursor"])
        key = sa.tuple_(column, Case.id)
        clauses.append(key < (value, case_id) if descending else key > (value, case_id))
    order = (column.desc(), Case.id.desc()) if descending else (column.asc(), Case.id.asc())
    stmt = (
        sa.select(*ROW_COLUMNS)
        .join(Unit, Unit.id == Case.unit_id)
        .outerjoin(EService, EService.id == Case.eservice_id)
        .outerjoin(Assignee, Assignee.id == Case.assignee_id)
    )
    return stmt, clauses, order


#: How many of a search's first candidates (the page without the words, in page order) are
#: tried before the whole text match is read; see ``_page_statements``.
SEARCH_WALK = 120

_Statements = tuple[sa.Select[Any], sa.Select[Any] | None]
_statements: BoundedMemo[_Statements] = BoundedMemo(1_000)


def _page_statements(user: User, filters: dict[str, Any]) -> _Statements:
    """The rows' statement of a page and, for a search, the one to fall back on; kept per
    process.

    Building them (access rules, view, filters, 23 columns, joins) costs about as much Python
    as running them, and a caseworker asks for the same pages again and again. Statements are
    immutable, and the key holds everything they are built from (the user's id, role and
    units, today's date for "overdue", every filter and the cursor, and for a search the
    backend's way of matching), so a hit is the same statement.

    A search first tries the first ``SEARCH_WALK`` candidates in page order (an index walk):
    a frequent word matches thousands of a unit's open cases, and reading every match to sort
    them (the plan for the text match alone) costs tens of milliseconds at a million cases,
    though the newest few dozen candidates already hold a page of them. If a page plus one of
    them match, those are exactly the first matches (every other match comes after all of
    them in that order); otherwise (a rarer word) the fallback reads the whole text match.
    """
    key: tuple[Any, ...] = (
        user.id,
        user.role,
        tuple(sorted(user.unit_ids)),
        local_date(utcnow()),
        tuple(sorted((name, repr(value)) for name, value in filters.items())),
    )
    backend = search_backend(db.session.connection()) if filters.get("q") else None
    if backend:
        key += (backend, SEARCH_WALK)
    return _statements.get(key, lambda: _build_statements(user, filters, backend))


#: How long a search whose walk found less than a page goes straight to the full match.
RARE_WORD_SECONDS = 60.0
_fell_short: dict[tuple[Any, ...], float] = {}


def _search_key(user: User, filters: dict[str, Any]) -> tuple[Any, ...]:
    """A search's words with everything that decides its candidates except the cursor: the
    pages of a rare word (and other users of the same units) share it."""
    return (
        SEARCH_WALK,
        user.role,
        tuple(sorted(user.unit_ids)),
        user.id if filters.get("view") == "mine" or filters.get("assignee") == "me" else None,
        tuple(sorted((k, repr(v)) for k, v in filters.items() if k not in ("cursor", "limit"))),
    )


def _walk_recently_fell_short(key: tuple[Any, ...]) -> bool:
    """Whether this search's walk found less than a page in the last ``RARE_WORD_SECONDS``:
    then the walk is skipped, a wasted statement for a rare word. Either way the answer is
    exact (the full match alone is always right); this only picks the cheaper way."""
    until = _fell_short.get(key)
    if until is None:
        return False
    if until < time.monotonic():
        _fell_short.pop(key, None)
        return False
    return True


def _remember_short(key: tuple[Any, ...]) -> None:
    if len(_fell_short) >= 10_000:
        _fell_short.clear()
    _fell_short[key] = time.monotonic() + RARE_WORD_SECONDS


def _build_statements(user: User, filters: dict[str, Any], backend: str | None) -> _Statements:
    base, clauses, order = _page_parts(user, filters)
    # LIMITs as literals: each statement is built for its limit anyway, and PostgreSQL plans a
    # prepared statement once (a generic plan) only if it knows the LIMIT.
    wanted = sa.literal_column(str(int(filters.get("limit", 25)) + 1))
    if not filters.get("q"):
        return base.where(*clauses).order_by(*order).limit(wanted), None
    text = text_clause(user, filters)
    walk = (
        sa.select(Case.id)
        .where(*clauses)
        .order_by(*order)
        .limit(sa.literal_column(str(int(SEARCH_WALK))))
    )
    match = words_match(filters["q"]) if backend == "postgresql" else None
    if match is not None:
        # The candidates joined to their documents: cheap to plan, one key probe each.
        walked = walk.subquery("walk")
        first = (
            sa.select(Case.id)
            .join(walked, walked.c.id == Case.id)
            .join(CaseSearch, CaseSearch.case_id == Case.id)
            .where(match)
        )
    else:
        first = sa.select(Case.id).where(Case.id.in_(walk.correlate(None)), text)
    return (
        _display(base, first.order_by(*order).limit(wanted), order),
        _display(
            base, sa.select(Case.id).where(*clauses, text).order_by(*order).limit(wanted), order
        ),
    )


def _display(base: sa.Select[Any], page: sa.Select[Any], order: tuple[Any, ...]) -> sa.Select[Any]:
    """The displayed columns of the cases ``page`` selects (ids, ordered and limited).

    A search matches up to hundreds of cases before the top of them is taken; joining units,
    e-services and assignees to the page's rows only, not to every match, halves PostgreSQL's
    work for a rare word (1 ms instead of 2.2 for 158 matches).
    """
    ids = page.subquery("page")
    return base.join(ids, ids.c.id == Case.id).order_by(*order)


def overdue_ids(cases: list[Any]) -> set[int]:
    """Ids of the listed cases whose deadline has passed while their clock runs."""
    today = local_date(utcnow())
    return {
        c.id
        for c in cases
        if c.due_date is not None
        and c.due_date < today
        and c.closed_at is None
        and c.clock_paused_at is None
        and c.clock_stopped_at is None
    }
