"""Request-bound gettext for pages that translate many strings.

Flask-Babel's Jinja ``_`` resolves the request's locale and catalogue on every call (several
context-local lookups each); the inbox calls it over a hundred times per page. ``page_gettext``
binds the catalogue once per render and keeps Jinja's new-style semantics (the translation is
trusted markup, ``%(name)s`` arguments are escaped).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import get_translations
from markupsafe import Markup


def page_gettext() -> dict[str, Callable[..., Markup]]:
    """Template globals ``_``/``gettext``/``ngettext`` bound to this request's catalogue."""
    translations = get_translations()

    def gettext(string: str, **variables: Any) -> Markup:
        text = Markup(translations.gettext(string))
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        return Markup(translations.ngettext(singular, plural, n)) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
