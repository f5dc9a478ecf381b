"""Text a database column can hold: no NUL character and no lone UTF-16 surrogate.

PostgreSQL's text and jsonb reject NUL, and no driver can encode a surrogate that is not half
of a pair (JSON allows both: ``\\u0000``, ``\\ud83d``). Requests carrying them are refused
(``caseflow.input_guard``); platform deliveries, which must be registered whatever they hold,
are cleaned instead (``intake.payloads``).
"""

from __future__ import annotations

import re
from typing import Any

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def cleaned(value: Any) -> Any:
    """``value`` (decoded JSON) with the unstorable characters removed from every string,
    keys included."""
    if isinstance(value, str):
        return UNSTORABLE.sub("", value)
    if isinstance(value, dict):
        return {cleaned(key): cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    return value
