"""A per-process, short-lived cache for what every inbox page shows but rarely changes.

Each user's counts (open cases per view, new social items) are aggregates over their units'
open cases: at a million cases the query and its construction cost more than the rest of the
page, and a caseworker paging or filtering does not need them recomputed each time. The
e-service list of the filter form is kept here too.

Staleness is bounded: an entry lives ``INBOX_CACHE_SECONDS`` (default 5; 0 turns the
cache off). Any write through a session of this process (a flush, or a Core INSERT, UPDATE or
DELETE run through the session) clears the whole cache at once and again when its transaction
ends, so a user's own change shows on their next page when served by the same process; changes
made by other processes (other web workers, intake jobs) show within those seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import ORMExecuteState, Session

from caseflow.db import CaseflowSession

#: Entries beyond this are dropped wholesale (a bound on memory, not an eviction policy).
MAX_ENTRIES = 10_000
_WROTE = "caseflow_inbox_counts_wrote"

_cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
_lock = threading.Lock()


def cached(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``, or its value from the last ``INBOX_CACHE_SECONDS`` under ``key``.

    The value is shared between threads and requests: it must not be modified.
    """
    ttl = float(current_app.config.get("INBOX_CACHE_SECONDS", 5) or 0)
    if ttl <= 0:
        return compute()
    full_key = (id(current_app._get_current_object()), *key)  # type: ignore[attr-defined]
    now = time.monotonic()
    hit = _cache.get(full_key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        _cache[full_key] = (now + ttl, value)
    return value


def clear() -> None:
    """Forget every cached count in this process."""
    with _lock:
        _cache.clear()


def _after_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True
    clear()


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True
        clear()


def _transaction_ended(session: Session, *_args: Any) -> None:
    if session.info.pop(_WROTE, False):
        clear()


def listen() -> None:
    """Install the invalidation hooks on Caseflow's session class (once per process)."""
    for name, hook in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("after_commit", _transaction_ended),
        ("after_rollback", _transaction_ended),
    ):
        if not sa.event.contains(CaseflowSession, name, hook):
            sa.event.listen(CaseflowSession, name, hook)
