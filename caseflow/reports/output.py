"""JSON or CSV from the same rows: ``?format=csv`` or ``Accept: text/csv`` picks CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from flask import Response, current_app, jsonify, request


def wants_csv() -> bool:
    fmt = request.args.get("format", "").lower()
    if fmt:
        return fmt == "csv"
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return (
        best == "text/csv"
        and request.accept_mimetypes["text/csv"] > request.accept_mimetypes["application/json"]
    )


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    return buffer.getvalue()


def respond(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    filename: str,
    meta: dict[str, Any] | None = None,
) -> Response:
    """One response for both formats; CSV is a download with a header row."""
    if wants_csv():
        response = Response(to_csv(rows, columns), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    else:
        response = jsonify({**(meta or {}), "items": list(rows)})
    response.headers["Vary"] = "Accept"
    return response


def respond_json_items(items_json: str, meta: dict[str, Any]) -> Response:
    """``respond()``'s JSON from rows already encoded as a JSON array (``items_json``):
    the same object as ``jsonify({**meta, "items": rows})``, keys sorted, compact."""
    dumps = current_app.json.dumps
    parts = {key: dumps(value, separators=(",", ":")) for key, value in meta.items()}
    parts["items"] = items_json
    body = ",".join(f"{dumps(key)}:{parts[key]}" for key in sorted(parts))
    response = current_app.response_class("{" + body + "}\n", mimetype=current_app.json.mimetype)
    response.headers["Vary"] = "Accept"
    return response
