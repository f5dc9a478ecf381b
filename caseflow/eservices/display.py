"""Template helpers for citizen pages: locale-picked texts and Stockholm times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask, g
from flask_babel import get_locale

from caseflow.timeutil import to_local


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "sv"


def pick(sv: str | None, en: str | None) -> str:
    """The English text when the page is in English and one exists; Swedish otherwise."""
    if current_language() == "en" and en:
        return en
    return sv or en or ""


def localized(obj: Any, attribute: str) -> str:
    """``localized(eservice, "title")`` reads ``title_sv`` / ``title_en``."""
    if isinstance(obj, Mapping):
        return pick(obj.get(f"{attribute}_sv"), obj.get(f"{attribute}_en"))
    return pick(getattr(obj, f"{attribute}_sv", None), getattr(obj, f"{attribute}_en", None))


def option_pairs(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for option in spec.get("options") or []:
        if isinstance(option, Mapping):
            pairs.append((str(option["value"]), localized(option, "label") or str(option["value"])))
        else:
            pairs.append((str(option), str(option)))
    return pairs


def local_datetime(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def local_day(day: date | None) -> str:
    return day.isoformat() if day else ""


def reset_locale() -> None:
    """Pick the language afresh for every request.

    Flask-Babel caches the locale on ``g``, which lives on the application context; a request
    that runs inside an already pushed context (tests, CLI, embedded jobs) would otherwise
    inherit the previous request's language.
    """
    g.pop("_flask_babel", None)


def init_app(app: Flask) -> None:
    app.before_request(reset_locale)
    # base.html sets <html lang> from get_locale when it is defined.
    app.add_template_global(get_locale)
    app.add_template_global(localized)
    app.add_template_global(pick)
    app.add_template_global(option_pairs)
    app.add_template_global(current_language)
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_day)
