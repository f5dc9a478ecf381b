"""goal tracking, usage rollups and visits

Revision ID: 0007_goal_tracking
Revises: 0006_social_intake
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0007_goal_tracking"
down_revision = "0006_social_intake"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
