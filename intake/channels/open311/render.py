"""GeoReport v2 wire formats: XML (required) and JSON by the Spark convention."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from flask import Response, json

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

#: Containers whose repeated children become JSON arrays (the root container is dropped).
LIST_CHILD = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        child_tag = LIST_CHILD[tag]
        for child in value:
            _append(element, child_tag, child)
    else:
        element.text = _text(value)


def to_xml(root: str, payload: list[Any] | dict[str, Any]) -> bytes:
    element = ET.Element(root)
    if isinstance(payload, list):
        for child in payload:
            _append(element, LIST_CHILD[root], child)
    else:
        for key, value in payload.items():
            _append(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(
    fmt: str, root: str, payload: list[Any] | dict[str, Any], status: int = 200
) -> Response:
    if fmt == "xml":
        return Response(to_xml(root, payload), status=status, content_type=XML_TYPE)
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body.encode("utf-8"), status=status, content_type=JSON_TYPE)


def error(fmt: str, status: int, description: str) -> Response:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
