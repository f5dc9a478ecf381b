"""Decoding a registered platform delivery for processing."""

from __future__ import annotations

import json
from typing import Any

from caseflow.storable import cleaned


def json_object(raw: bytes) -> dict[str, Any]:
    """The delivery's JSON object, with characters no column can hold removed (a NUL in a
    comment would otherwise fail its processing at every retry). The registration keeps the
    bytes as received."""
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("delivery is not a JSON object")
    return cleaned(body)  # type: ignore[no-any-return]
