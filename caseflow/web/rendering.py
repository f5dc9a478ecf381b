"""What the inbox template shows, resolved in Python before rendering.

Jinja calls (a context look-up and a ``runtime.call`` per call) cost far more than attribute
reads, so the rows arrive with their labels, names and flags resolved, and URLs that do not
change between requests are built once per process instead of on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from flask import current_app, request, url_for
from markupsafe import Markup

from caseflow.db import utcnow
from caseflow.enums import Channel, Priority
from caseflow.timeutil import local_date
from caseflow.web.case_view import cached_state_label
from caseflow.web.memo import BoundedMemo


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


def inbox_row(c: Any, today: date, lang: str) -> InboxRow:
    """One ``ROW_COLUMNS`` row of ``inbox_page`` ready for the template."""
    overdue = (
        c.due_date is not None
        and c.due_date < today
        and c.closed_at is None
        and c.clock_paused_at is None
        and c.clock_stopped_at is None
    )
    return InboxRow(
        c.id,
        c.reference_key,
        c.reference,
        c.title,
        cached_state_label(c.workflow_key, c.workflow_version, c.state, lang),
        c.unit_prefix,
        c.channel,
        c.assignee_name if c.assignee_id else "–",
        c.priority,
        c.due_date.isoformat() if c.due_date else "–",
        overdue,
    )


_ROW_TEMPLATE = "web/_inbox_row.html"
#: Rendered rows (about 1 KB each).
_rows: BoundedMemo[Markup] = BoundedMemo(20_000)


def rows_html(cases: list[Any], lang: str, case_url: str, gettext: Callable[[str], Any]) -> Markup:
    """The table rows of an inbox page (``ROW_COLUMNS`` rows), each rendered once per process.

    Twenty-five rows of a dozen escaped cells were half the page's rendering, and the same
    rows come back page after page. A row's HTML depends only on what the key holds: every
    column of the row as read (so any change in the case is a new key), the language (labels),
    today's date (the overdue flag) and the case links' prefix. A hit is therefore the same
    HTML the template would render now; it can never show another case's or older data.
    (An edit of the row's template shows after a restart: the key does not hold its code.)
    """
    today = local_date(utcnow())
    app_id = id(current_app._get_current_object())  # type: ignore[attr-defined]

    def render(c: Any) -> Markup:
        macro = current_app.jinja_env.get_template(_ROW_TEMPLATE).module.inbox_row  # type: ignore[attr-defined]
        labels = (gettext("Välj"), gettext("försenat"))
        return Markup(macro(inbox_row(c, today, lang), case_url, *labels))

    parts = [
        _rows.get((app_id, case_url, lang, today, tuple(c)), lambda c=c: render(c)) for c in cases
    ]
    return Markup("".join(parts))


#: Fixed links (keyset cursors are not memoised, so the bound is never reached in practice).
_urls: BoundedMemo[str] = BoundedMemo(2_000)


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
    return _urls.get(key, lambda: url_for(endpoint, **values))


_fragments: BoundedMemo[Markup] = BoundedMemo(500)


def cached_fragment(template: str, key: tuple[Any, ...], context: dict[str, Any]) -> Markup:
    """``template`` rendered with ``context``, remembered per process under ``key``.

    For parts of a page that depend on few inputs (the inbox's filter form: language, filter
    values, the user's units and the e-services); ``key`` must hold every input that changes
    the output. The template sees only ``context`` (no request globals but ``url_for``).
    """
    full_key = (
        id(current_app._get_current_object()),  # type: ignore[attr-defined]
        request.script_root,
        template,
        *key,
    )
    return _fragments.get(
        full_key,
        lambda: Markup(current_app.jinja_env.get_template(template).render(context)),
    )


def filters_form(
    filters: dict[str, Any],
    units: list[Any],
    eservices: list[Any],
    lang: str,
    gettext: dict[str, Any],
) -> Markup:
    """The inbox's filter form: the same for every page with the same filters, language,
    units and e-services, so rendered once per process for each of those."""
    key = (
        lang,
        tuple(sorted((name, repr(value)) for name, value in filters.items() if name != "cursor")),
        tuple((unit.prefix, unit.name) for unit in units),
        tuple(tuple(row) for row in eservices),
    )
    context = {
        **gettext,
        "url_for": memo_url_for,
        "filters": filters,
        "units": units,
        "eservices": eservices,
        "channels": CHANNELS,
        "priorities": PRIORITIES,
        "lang": lang,
    }
    return cached_fragment("web/_inbox_filters.html", key, context)


CHANNELS = [c.value for c in Channel]
PRIORITIES = [p.value for p in Priority]
