"""usage events: one local day's events of some kinds read from the index

The time index gains the kind as a second column, so today's events of one metric (read on
every usage report) are picked inside the index instead of fetching the whole day's rows and
filtering them; a day across all kinds (the rollup) reads it as before.

Revision ID: 0012_usage_events_day_kind
Revises: 0008_caseworker_ui
"""

from alembic import op


revision = "0012_usage_events_day_kind"
down_revision = "0008_caseworker_ui"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_usage_events_occurred_at_kind", "usage_events", ["occurred_at", "kind"], unique=False
    )
    op.drop_index("ix_usage_events_occurred_at", table_name="usage_events")


def downgrade():
    op.create_index("ix_usage_events_occurred_at", "usage_events", ["occurred_at"], unique=False)
    op.drop_index("ix_usage_events_occurred_at_kind", table_name="usage_events")
