"""The session cookie, left out of responses to API-token requests.

A script that sends ``Authorization: Bearer cf_...`` is authenticated by that header on every
request; a session cookie would only carry state it never sends back (a page's CSRF token,
Flask-Login's markers). Signing and setting it cost as much as a tenth of an inbox page, so
such responses get none (Flask-Login's recipe for request loaders). Browser sessions are
untouched; forms on a page fetched with a token are for browser sessions, scripts use the JSON
API (which needs no CSRF token).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

#: Set in the request's WSGI environ (not ``g``, which can outlive a request) by the token
#: request loader when a bearer token authenticated the request.
TOKEN_LOGIN = "caseflow.token_login"


class TokenAwareSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if request.environ.get(TOKEN_LOGIN):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
