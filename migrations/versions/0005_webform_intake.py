"""web-form intake (issue: web forms)

Revision ID: 0005_webform_intake
Revises: 0003_workflow_clock
"""

from alembic import op
import sqlalchemy as sa


revision = "0005_webform_intake"
down_revision = "0003_workflow_clock"
branch_labels = None
depends_on = None


def upgrade():
    # Receipt mails are rendered by their delivery job (the diarienummer is given last).
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("renderer", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("renderer")
