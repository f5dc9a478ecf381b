"""The demo seed gives every screen and report something to show, once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.usage.models import UsageEvent


def test_seed_demo_creates_data_once_and_prints_sign_ins(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["caseflow", "seed-demo", "--cases", "40"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.caseflow.se" in first.output
    cases = db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one()
    channels = db.session.execute(sa.select(sa.func.count(sa.distinct(Case.channel)))).scalar_one()
    events = db.session.execute(sa.select(sa.func.count()).select_from(UsageEvent)).scalar_one()
    assert cases == 40
    assert channels >= 4
    assert events > 10_000
    second = runner.invoke(args=["caseflow", "seed-demo"])
    assert "already present" in second.output
    assert db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one() == 40
