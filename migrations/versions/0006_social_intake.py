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
    op.create_table('social_routing_rules',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('phrases', sa.JSON(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('eservice_id', sa.Integer(), nullable=True),
    sa.Column('workflow_key', sa.String(length=50), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['eservice_id'], ['eservices.id'], name=op.f('fk_social_routing_rules_eservice_id_eservices')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_social_routing_rules_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_routing_rules'))
    )
    op.create_table('social_items',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('thread_key', sa.String(length=200), nullable=False),
    sa.Column('parent_external_id', sa.String(length=200), nullable=True),
    sa.Column('author_external_id', sa.String(length=100), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('intake_item_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('routing_rule_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('moderation', sa.String(length=10), nullable=True),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_on_platform_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'threaded', 'registered', 'attached', 'replied', 'dismissed', 'moderated')", name=op.f('ck_social_items_status')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_social_items_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_social_items_message_id_messages')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_social_items_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['routing_rule_id'], ['social_routing_rules.id'], name=op.f('fk_social_items_routing_rule_id_social_routing_rules')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_social_items_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_items')),
    sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_social_items_channel_external_id'))
    )
    with op.batch_alter_table('social_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_items_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_social_items_channel_thread', ['channel', 'thread_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_items_intake_item_id'), ['intake_item_id'], unique=False)
        batch_op.create_index('ix_social_items_status_received', ['status', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_items_unit_id'), ['unit_id'], unique=False)

    op.create_table('social_moderation_actions',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('reason_code', sa.String(length=20), nullable=False),
    sa.Column('reason_text', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('archived_text', sa.Text(), nullable=False),
    sa.Column('archived_data', sa.JSON(), nullable=False),
    sa.Column('platform_status', sa.String(length=10), nullable=False),
    sa.Column('platform_error', sa.Text(), nullable=True),
    sa.Column('platform_done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('platform_calls', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('hide', 'remove')", name=op.f('ck_social_moderation_actions_action')),
    sa.CheckConstraint("platform_status IN ('queued', 'done', 'failed')", name=op.f('ck_social_moderation_actions_platform_status')),
    sa.CheckConstraint("reason_code <> 'other' OR reason_text IS NOT NULL", name=op.f('ck_social_moderation_actions_other_needs_text')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_social_moderation_actions_actor_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['social_items.id'], name=op.f('fk_social_moderation_actions_item_id_social_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_moderation_actions'))
    )
    with op.batch_alter_table('social_moderation_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_moderation_actions_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('social_moderation_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_moderation_actions_item_id'))

    op.drop_table('social_moderation_actions')
    with op.batch_alter_table('social_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_items_unit_id'))
        batch_op.drop_index('ix_social_items_status_received')
        batch_op.drop_index(batch_op.f('ix_social_items_intake_item_id'))
        batch_op.drop_index('ix_social_items_channel_thread')
        batch_op.drop_index(batch_op.f('ix_social_items_case_id'))

    op.drop_table('social_items')
    op.drop_table('social_routing_rules')
