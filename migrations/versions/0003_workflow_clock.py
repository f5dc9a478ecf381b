"""workflow clock: when the handling clock stopped, and checks on the clock columns

Revision ID: 0003_workflow_clock
Revises: 0004_submission_keys
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_workflow_clock"
down_revision = "0004_submission_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clock_stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            "clock_paused_or_stopped", "clock_paused_at IS NULL OR clock_stopped_at IS NULL"
        )
        batch_op.create_check_constraint(
            "closed_not_paused", "closed_at IS NULL OR clock_paused_at IS NULL"
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_closed_not_paused"), type_="check")
        batch_op.drop_constraint(op.f("ck_cases_clock_paused_or_stopped"), type_="check")
        batch_op.drop_column("clock_stopped_at")
