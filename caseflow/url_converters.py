"""Integer parts of URLs that fit a database id: a larger number is a 404, not an overflow.

Werkzeug's ``int`` converter takes any number of digits, but ids are ``integer`` columns
(32 bits on PostgreSQL): a larger number made PostgreSQL answer "integer out of range" and
SQLite's driver raise ``OverflowError``, a 500 either way (found by
``tests/foundation/test_api_never_answers_a_server_error.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api
from werkzeug.routing import IntegerConverter, Map

from caseflow.db import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:…>`` with an upper bound of ``MAX_ID`` unless the rule sets its own."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=min,
            max=MAX_ID if max is None else max,
            signed=signed,
        )


def _openapi(converter: IdConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": converter.min or 0, "maximum": converter.max}


def install(app: Flask) -> None:
    """Use ``IdConverter`` for ``int`` (before any rule is added)."""
    app.url_map.converters["int"] = IdConverter


def document(api: Api) -> None:
    """Describe ``IdConverter`` parameters in the OpenAPI spec as bounded integers."""
    api.register_converter(IdConverter, _openapi)
