"""``flask caseflow create-user`` and ``sweep`` from the command line."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from caseflow.auth.models import User
from caseflow.auth.passwords import verify_password
from caseflow.extensions import db
from tests.factories import make_unit


def _user(email: str) -> User | None:
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def test_create_user_with_units(app: Flask) -> None:
    make_unit("KS")
    result = app.test_cli_runner().invoke(
        args=[
            "caseflow",
            "create-user",
            "--email",
            "Anna@Kommun.se",
            "--password",
            "ett långt lösenord",
            "--role",
            "handlaggare",
            "--unit",
            "KS",
        ]
    )
    assert result.exit_code == 0, result.output
    user = _user("anna@kommun.se")
    assert user is not None and [u.prefix for u in user.units] == ["KS"]
    assert verify_password(user.password_hash, "ett långt lösenord")
    assert "ett långt lösenord" not in result.output


def test_create_user_reads_password_from_stdin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "caseflow",
            "create-user",
            "--email",
            "admin@kommun.se",
            "--password",
            "-",
            "--role",
            "admin",
        ],
        input="hemligt-lösenord-123\n",
    )
    assert result.exit_code == 0, result.output
    assert verify_password(_user("admin@kommun.se").password_hash, "hemligt-lösenord-123")


def test_create_user_rejects_unknown_role_and_unit_without_writing(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "caseflow",
            "create-user",
            "--email",
            "x@kommun.se",
            "--password",
            "tillräckligt långt",
            "--role",
            "kung",
            "--unit",
            "NOPE",
        ]
    )
    assert result.exit_code != 0
    assert "role" in result.output and "NOPE" in result.output
    assert _user("x@kommun.se") is None


def test_sweep_command_reports_each_sweeper(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["caseflow", "sweep"])
    assert result.exit_code == 0, result.output
    assert "intake: re-enqueued 0" in result.output
