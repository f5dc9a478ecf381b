"""Sign-in: argon2 passwords, lockout, rate limit, CSRF, cookie flags, safe redirects."""

from __future__ import annotations

import subprocess
import sys

import pytest

from caseflow.auth.lockout import MAX_FAILURES
from caseflow.enums import Role
from tests.factories import PASSWORD, make_unit, make_user


@pytest.fixture
def user():
    return make_user(Role.HANDLAGGARE, [make_unit()], email="anna@kommun.example")


def _login(client, email="anna@kommun.example", password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_sign_in_page_is_swedish_with_labelled_fields(client_as) -> None:
    body = client_as(None).get("/login").get_data(as_text=True)
    assert '<label for="email">E-postadress</label>' in body
    assert '<label for="password">Lösenord</label>' in body
    assert 'name="csrf_token"' in body


def test_correct_password_signs_in_and_opens_the_inbox(user, client_as) -> None:
    client = client_as(None)
    response = _login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/inbox"
    assert client.get("/inbox").status_code == 200


def test_session_cookie_is_http_only_and_same_site(user, client_as) -> None:
    response = _login(client_as(None))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(user, client_as) -> None:
    client = client_as(None)
    response = _login(client, password="fel lösenord")
    assert response.status_code == 401
    assert "Fel e-postadress eller lösenord" in response.get_data(as_text=True)
    unknown = _login(client, email="ingen@kommun.example")
    assert unknown.status_code == 401
    assert client.get("/inbox").status_code == 302


def test_empty_fields_get_per_field_messages(client_as) -> None:
    response = client_as(None).post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Ange din e-postadress." in body
    assert "Ange ditt lösenord." in body


def test_repeated_failures_lock_the_account_even_for_the_right_password(user, client_as) -> None:
    client = client_as(None)
    for _ in range(MAX_FAILURES):
        assert _login(client, password="fel lösenord").status_code == 401
    assert user.locked_until is not None
    assert _login(client).status_code == 401
    assert client.get("/inbox").status_code == 302


def test_a_success_resets_the_failure_count(user, client_as) -> None:
    client = client_as(None)
    for _ in range(MAX_FAILURES - 1):
        _login(client, password="fel lösenord")
    assert _login(client).status_code == 302
    assert user.failed_logins == 0
    assert user.locked_until is None


def test_inactive_users_cannot_sign_in(user, client_as) -> None:
    user.active = False
    assert _login(client_as(None)).status_code == 401


def test_next_only_redirects_within_the_site(user, client_as) -> None:
    response = _login(client_as(None), next="//evil.example/")
    assert response.headers["Location"] == "/inbox"
    response = _login(client_as(None), next="/cases/KS-2026-0001")
    assert response.headers["Location"] == "/cases/KS-2026-0001"


def test_logout_ends_the_session(user, client_as) -> None:
    client = client_as(None)
    _login(client)
    assert client.post("/logout").status_code == 302
    assert client.get("/inbox").status_code == 302


def test_forms_without_a_csrf_token_are_refused(app, user, client_as, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = _login(client_as(None))
    assert response.status_code == 400
    client = client_as(user)
    assert client.post("/logout").status_code == 400


RATE_LIMIT_SCRIPT = """
import sys
from flask_migrate import upgrade
from caseflow import create_app
from caseflow.extensions import db
app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                  "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True})
with app.app_context():
    upgrade()
    db.session.remove()
client = app.test_client()
print(",".join(str(client.post("/login", data={"email": "x@kommun.example",
      "password": "fel"}).status_code) for _ in range(11)))
"""


def test_sign_in_attempts_are_rate_limited_per_address(tmp_path) -> None:
    # Flask-Limiter is one process-wide extension: enabling it here would throttle every other
    # test's sign-ins, so a separate process runs an app with the limit on.
    result = subprocess.run(
        [sys.executable, "-c", RATE_LIMIT_SCRIPT, str(tmp_path / "rl.db"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    statuses = result.stdout.strip().splitlines()[-1].split(",")
    assert statuses[:10] == ["401"] * 10
    assert statuses[10] == "429"
