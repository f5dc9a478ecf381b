"""social media intake, triage and moderation

Revision ID: 0006_social_intake
Revises: 0005_webform_intake
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0006_social_intake"
down_revision = "0005_webform_intake"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
