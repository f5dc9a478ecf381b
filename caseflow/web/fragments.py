"""``{% cache "name", input, ... %}…{% endcache %}``: a template fragment rendered once per
process for each combination of its inputs.

Menus, view tabs, table headers and the bulk form are the same on page after page, and each
of their dozens of translated labels and links costs a Jinja call and an escape. The key is
the fragment's name and **every value the fragment shows or tests** (the tag's arguments),
plus, added here, the request's locale and script root and the fragment's compiled code (a
reloaded template is a new fragment). A hit is therefore the HTML the fragment would render
now. Never put a per-request value (a CSRF token, the query string) inside a fragment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_request_context, request
from flask_babel import get_locale
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from caseflow.web.memo import BoundedMemo

#: Fragments beyond this are dropped wholesale (a bound on memory, not an eviction policy).
MAX_FRAGMENTS = 5_000


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self._cache: BoundedMemo[Markup] = BoundedMemo(MAX_FRAGMENTS)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        key = nodes.Tuple(parts, "load")
        return nodes.CallBlock(self.call_method("_render", [key]), [], [], body).set_lineno(lineno)

    def _render(self, key: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        scope: tuple[Any, ...] = (id(caller._func.__code__),)  # type: ignore[attr-defined]
        if has_request_context():
            scope += (request.script_root, str(get_locale()))
        full_key = scope + tuple(_hashable(value) for value in key)
        return self._cache.get(full_key, lambda: Markup(caller()))


def _hashable(value: Any) -> Any:
    """Dicts and lists as tuples (tuples are taken as they are: pass hashable ones)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value
