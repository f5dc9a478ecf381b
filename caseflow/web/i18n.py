"""Request-bound gettext for pages that translate many strings.

Flask-Babel's Jinja ``_`` resolves the request's locale and catalogue on every call (several
context-local lookups each); the inbox calls it over a hundred times per page. ``page_gettext``
binds the catalogue once per render and keeps Jinja's new-style semantics (the translation is
trusted markup, ``%(name)s`` arguments are escaped). Translations without arguments are kept
per catalogue for the life of the process (catalogues do not change while it runs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import get_translations
from markupsafe import Markup

#: catalogue -> message id -> translated markup (a handful of catalogues, a few hundred ids).
_translated: dict[Any, dict[str, Markup]] = {}


def page_gettext() -> dict[str, Callable[..., Markup]]:
    """Template globals ``_``/``gettext``/``ngettext`` bound to this request's catalogue."""
    translations = get_translations()
    known = _translated.get(translations)
    if known is None:
        if len(_translated) > 32:  # catalogues are cached by Flask-Babel; this is a guard
            _translated.clear()
        known = _translated[translations] = {}

    def gettext(string: str, **variables: Any) -> Markup:
        text = known.get(string)
        if text is None:
            text = known[string] = Markup(translations.gettext(string))
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        return Markup(translations.ngettext(singular, plural, n)) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
