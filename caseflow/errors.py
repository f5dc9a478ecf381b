"""Domain exceptions and the one place that maps them to HTML pages and JSON errors."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Base of every error a service raises on purpose; never a 500."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    """Also raised for cases the actor may not see, so references do not leak."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def wants_json() -> bool:
    if request.path.startswith(("/api/", "/webhooks/", "/open311/")) or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_body(status: int, code: str, message: str, errors: dict[str, Any] | None = None) -> dict:
    return {"code": code, "status": status, "message": message, "errors": errors or {}}


def _render(status: int, code: str, message: str, errors: dict[str, Any] | None = None):
    if wants_json():
        response: Response = jsonify(error_body(status, code, message, errors))
        response.status_code = status
        return response
    return render_template("error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        return _render(error.status, error.code, error.message, error.errors)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        errors = None
        data = getattr(error, "data", None)  # flask-smorest / webargs validation details
        if isinstance(data, dict) and "messages" in data:
            errors = data["messages"]
            messages = errors.get("json") or errors.get("query") or errors.get("form") or errors
            errors = messages
        name = (error.name or "error").lower().replace(" ", "_")
        return _render(status, name, error.description or error.name, errors)
