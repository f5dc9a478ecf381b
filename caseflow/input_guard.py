"""Refuse text that no database column can hold (``caseflow.storable``), before any view.

A NUL character or a lone UTF-16 surrogate (``\\u0000``, ``\\ud800`` in JSON; ``%00`` in a
form or URL) is valid input to Flask but not to the database: left alone, such a value became
a 500 deep inside a write (found by the API fuzz test,
``tests/foundation/test_api_never_answers_a_server_error.py``). Here it is a 400 naming the
fields, in the request's language.

Webhook deliveries are left alone: they are registered as raw bytes whatever they hold,
and refusing one would lose it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, request
from flask_babel import gettext

from caseflow.errors import DomainError
from caseflow.storable import is_storable

_SKIPPED_PREFIXES = ("/webhooks/",)


class UnstorableText(DomainError):
    status = 400
    code = "unstorable_text"


def _bad_paths(value: Any, path: str) -> Iterable[str]:
    if isinstance(value, str):
        if not is_storable(value):
            yield path or "_body"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and not is_storable(key):
                yield name
            yield from _bad_paths(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_paths(item, f"{path}.{index}" if path else str(index))


#: What a JSON body must hold to decode to unstorable text: the escape of NUL or of a
#: surrogate, or a surrogate's raw UTF-8 bytes (Python's JSON decoder lets them through).
#: Raw control characters are not JSON at all.
_JSON_UNSTORABLE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})|\xed[\xa0-\xbf]")


def unstorable_fields() -> list[str]:
    """Names of the request's parts (URL, query, form, JSON) holding unstorable text.

    The decoded values are only walked when the raw bytes could hold such text (``%00`` in
    the query; an escape in a JSON body), so an ordinary request pays a byte search.
    """
    found: list[str] = []
    if not is_storable(request.path):
        found.append("_path")
    sources = [request.form] if request.mimetype in _FORM_TYPES else []
    if b"%00" in request.query_string:
        sources.append(request.args)
    for source in sources:
        for key, value in source.items(multi=True):
            if not (is_storable(key) and is_storable(value)):
                found.append(key)
    if request.is_json and _JSON_UNSTORABLE.search(request.get_data(cache=True)):
        found.extend(_bad_paths(request.get_json(silent=True), ""))
    return sorted(set(found))


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _check() -> None:
    if request.path.startswith(_SKIPPED_PREFIXES):
        return
    fields = unstorable_fields()
    if fields:
        message = gettext("Texten innehåller tecken som inte kan sparas (till exempel NUL).")
        raise UnstorableText(message, {name: [message] for name in fields})


def install(app: Flask) -> None:
    """Check every request before its view (and before the rate limiter counts it)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _check)
