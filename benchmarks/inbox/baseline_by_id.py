"""The baseline app with one change to its list query: the unit's id is looked up first.

The shipped baseline joins ``units`` on the prefix, so PostgreSQL cannot walk the
``(unit_id, opened_at, id)`` index in order and sorts every case of the unit (about 50,000 at
a million cases) for each request. Reported next to it so the ratio is not flattered by that:

    gunicorn -w 2 --threads 4 'benchmarks.inbox.baseline_by_id:create_app()'
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from benchmarks.baseline import app as baseline


def create_app() -> Flask:
    baseline.NEWEST_CASES = sa.text(
        "SELECT c.reference, c.title, c.state, c.channel, c.opened_at FROM cases c"
        " WHERE c.unit_id = (SELECT id FROM units WHERE prefix = :unit)"
        " ORDER BY c.opened_at DESC, c.id DESC LIMIT 50"
    )
    return baseline.create_app()
