"""caseworker UI: search, API tokens, duplicates

Revision ID: 0008_caseworker_ui
Revises: 0007_goal_tracking
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = "0008_caseworker_ui"
down_revision = "0007_goal_tracking"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_tokens",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "case_search",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column(
            "vector",
            sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_search_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_search")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # GIN over the plain unit_id column next to the vector (a trusted extension).
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    with op.batch_alter_table("case_search", schema=None) as batch_op:
        batch_op.create_index("ix_case_search_vector", ["vector"], postgresql_using="gin")
        batch_op.create_index(
            "ix_case_search_open_unit_vector",
            ["unit_id", "vector"],
            postgresql_using="gin",
            postgresql_where=sa.text("open"),
            sqlite_where=sa.text("open"),
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_open_unit_assignee",
            ["unit_id", "assignee_id", "due_date", "clock_paused_at", "clock_stopped_at"],
            unique=False,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        )
        batch_op.create_index(
            "ix_cases_open_unit_opened",
            ["unit_id", "opened_at", "id"],
            unique=False,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        )
    # Existing cases get their search documents (new ones are kept in sync by the app).
    aggregate = (
        "string_agg(m.body, ' ')" if bind.dialect.name == "postgresql" else "group_concat(m.body, ' ')"
    )
    op.execute(
        "INSERT INTO case_search (case_id, unit_id, open, document) "
        "SELECT c.id, c.unit_id, c.closed_at IS NULL, "
        "c.reference || ' ' || c.reference_key || ' ' || c.title || ' ' || "
        f"coalesce(c.description, '') || ' ' || coalesce((SELECT {aggregate} FROM messages m "
        "WHERE m.case_id = c.id), '') FROM cases c"
    )
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE case_search SET vector = to_tsvector('swedish', document)")


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_open_unit_opened")
        batch_op.drop_index("ix_cases_open_unit_assignee")
    with op.batch_alter_table("case_search", schema=None) as batch_op:
        batch_op.drop_index("ix_case_search_open_unit_vector")
        batch_op.drop_index("ix_case_search_vector")
    op.drop_table("case_search")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))
    op.drop_table("api_tokens")
