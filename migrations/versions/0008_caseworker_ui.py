"""caseworker UI: search, API tokens, duplicates

Revision ID: 0008_caseworker_ui
Revises: 0007_goal_tracking
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0008_caseworker_ui"
down_revision = "0007_goal_tracking"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
