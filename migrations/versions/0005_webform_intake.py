"""web-form intake (issue: web forms)

Revision ID: 0005_webform_intake
Revises: 0003_workflow_clock
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0005_webform_intake"
down_revision = "0003_workflow_clock"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
