"""The per-test transaction fixture must undo a service that commits more than once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.units.services import create_unit
from tests.conftest import rolled_back_transaction


@pytest.mark.real_commits
def test_fixture_rolls_back_a_service_that_commits_twice(app: Flask) -> None:
    with rolled_back_transaction(app):
        create_unit(name="Första", prefix="ZZA")
        db.session.commit()
        create_unit(name="Andra", prefix="ZZB")
        db.session.commit()
        seen = db.session.execute(
            sa.select(sa.func.count()).select_from(Unit).where(Unit.prefix.in_(["ZZA", "ZZB"]))
        ).scalar_one()
        assert seen == 2
    with app.app_context():
        left = db.session.execute(
            sa.select(sa.func.count()).select_from(Unit).where(Unit.prefix.in_(["ZZA", "ZZB"]))
        ).scalar_one()
        db.session.remove()
    assert left == 0
