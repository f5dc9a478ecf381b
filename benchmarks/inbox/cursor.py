"""Print the inbox keyset cursor that starts ``--offset`` cases deep in a user's unit view.

python -m benchmarks.inbox.cursor --email h1@bench.example --offset 5000
"""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from caseflow import create_app
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.web.inbox import encode_cursor, filter_clauses


def cursor_at(email: str, offset: int) -> str:
    """The cursor after the ``offset``-th newest case of ``email``'s unit view."""
    app = create_app()
    with app.app_context():
        user = db.session.execute(sa.select(User).where(User.email == email)).scalar_one()
        case = db.session.execute(
            sa.select(Case)
            .where(*filter_clauses(user, {"view": "units"}))
            .order_by(Case.opened_at.desc(), Case.id.desc())
            .offset(offset - 1)
            .limit(1)
        ).scalar_one()
        return encode_cursor("newest", case)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="h1@bench.example")
    parser.add_argument("--offset", type=int, default=5000)
    args = parser.parse_args()
    print(cursor_at(args.email, args.offset))


if __name__ == "__main__":
    main()
