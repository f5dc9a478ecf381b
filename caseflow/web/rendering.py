"""What the inbox template shows, resolved in Python before rendering.

Jinja calls (a context look-up and a ``runtime.call`` per call) cost far more than attribute
reads, so the rows arrive with their labels, names and flags resolved, and URLs that do not
change between requests are built once per process instead of on every page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, NamedTuple

from flask import current_app, request, url_for

from caseflow.web.case_view import cached_state_label


class InboxRow(NamedTuple):
    """One displayed case: only plain values, nothing for the template to look up."""

    id: int
    reference_key: str
    reference: str
    title: str
    state_label: str
    unit_prefix: str
    channel: str
    assignee: str
    priority: str
    due: str
    overdue: bool


def inbox_rows(
    cases: Iterable[Any], assignees: dict[int, str], overdue: set[int], lang: str
) -> list[InboxRow]:
    """The page's rows (``ROW_COLUMNS`` rows of ``inbox_page``) ready for the template."""
    return [
        InboxRow(
            c.id,
            c.reference_key,
            c.reference,
            c.title,
            cached_state_label(c.workflow_key, c.workflow_version, c.state, lang),
            c.unit_prefix,
            c.channel,
            assignees.get(c.assignee_id, "–") if c.assignee_id else "–",
            c.priority,
            c.due_date.isoformat() if c.due_date else "–",
            c.id in overdue,
        )
        for c in cases
    ]


_urls: dict[tuple[Any, ...], str] = {}
_urls_lock = threading.Lock()
#: A bound on the memo (keyset cursors are not memoised, so this is never reached in practice).
_MAX_URLS = 2_000


def memo_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` remembered per process for a page's fixed links (menus, views, forms).

    A relative URL depends only on the app, the script root and the arguments; links carrying
    a keyset cursor are unique per page and are built each time.
    """
    if "cursor" in values or values.get("_external"):
        return url_for(endpoint, **values)
    key = (
        id(current_app._get_current_object()),  # type: ignore[attr-defined]
        request.script_root,
        endpoint,
        *sorted(values.items()),
    )
    url = _urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        with _urls_lock:
            if len(_urls) >= _MAX_URLS:
                _urls.clear()
            _urls[key] = url
    return url
