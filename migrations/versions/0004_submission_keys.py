"""submission keys: idempotency and dedupe records of e-service submissions

Revision ID: 0004_submission_keys
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_submission_keys"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission_keys",
        sa.Column("scope", sa.String(length=130), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_submission_keys_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_keys")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_submission_keys_scope_key")),
    )
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_keys_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_submission_keys_expires_at"), ["expires_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_keys_expires_at"))
        batch_op.drop_index(batch_op.f("ix_submission_keys_case_id"))
    op.drop_table("submission_keys")
