"""sweeper indexes: outbound work still waiting for its job, oldest first

The mail, message and moderation sweepers (``caseflow.*.sweeper``) look for rows still
``pending``/``queued`` older than ``CASEFLOW_SWEEP_AFTER_SECONDS``. Those are a handful among
millions of sent ones, so each gets a partial index on ``created_at`` over the waiting rows
only: the query reads what it returns, and the index stays small.

Revision ID: 0015_sweeper_indexes
Revises: 0014_references_out_of_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_sweeper_indexes"
down_revision = "0014_references_out_of_search"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_outbox_mails_pending_created", "outbox_mails", "status = 'pending'"),
    ("ix_messages_queued_created", "messages", "delivery_status = 'queued'"),
    (
        "ix_social_moderation_actions_queued_created",
        "social_moderation_actions",
        "platform_status = 'queued'",
    ),
)


def upgrade():
    for name, table, where in INDEXES:
        op.create_index(
            name,
            table,
            ["created_at"],
            unique=False,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )


def downgrade():
    for name, table, _where in INDEXES:
        op.drop_index(name, table_name=table)
