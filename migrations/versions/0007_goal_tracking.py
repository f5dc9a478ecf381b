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
    op.create_table('external_counts',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', 'metric', 'source', name=op.f('pk_external_counts'))
    )
    op.create_table('rollup_runs',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('events', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_rollup_runs'))
    )
    op.create_table('usage_rollups',
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("dimension IN ('all', 'eservice', 'channel', 'unit')", name=op.f('ck_usage_rollups_dimension_known')),
    sa.PrimaryKeyConstraint('metric', 'dimension', 'day', 'key', name='pk_usage_rollups')
    )
    with op.batch_alter_table('usage_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_usage_rollups_day', ['day'], unique=False)

    op.create_table('visit_salts',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_visit_salts'))
    )
    op.create_table('visitor_digests',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('day', 'digest', name=op.f('pk_visitor_digests'))
    )
    op.create_table('goals',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title_sv', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_sv', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('baseline_start', sa.Date(), nullable=False),
    sa.Column('baseline_end', sa.Date(), nullable=False),
    sa.Column('target_start', sa.Date(), nullable=False),
    sa.Column('target_end', sa.Date(), nullable=False),
    sa.Column('target_change', sa.Float(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("direction IN ('increase', 'decrease')", name=op.f('ck_goals_direction')),
    sa.CheckConstraint('baseline_end >= baseline_start', name=op.f('ck_goals_baseline_ordered')),
    sa.CheckConstraint('target_end >= target_start', name=op.f('ck_goals_target_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_goals_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals')),
    sa.UniqueConstraint('slug', name=op.f('uq_goals_slug'))
    )
    op.create_table('historical_figures',
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_historical_figures_period_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_historical_figures_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_historical_figures')),
    sa.UniqueConstraint('metric', 'period_start', 'period_end', name=op.f('uq_historical_figures_metric_period_start_period_end'))
    )
    with op.batch_alter_table('usage_events', schema=None) as batch_op:
        batch_op.create_index('ix_usage_events_occurred_at', ['occurred_at'], unique=False)



    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_opened_at', ['opened_at'], unique=False)
        batch_op.create_index('ix_cases_closed_at', ['closed_at'], unique=False)
        batch_op.create_index('ix_cases_delay_notice_sent_at', ['delay_notice_sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_delay_notice_sent_at')
        batch_op.drop_index('ix_cases_closed_at')
        batch_op.drop_index('ix_cases_opened_at')

    with op.batch_alter_table('usage_events', schema=None) as batch_op:
        batch_op.drop_index('ix_usage_events_occurred_at')

    op.drop_table('historical_figures')
    op.drop_table('goals')
    op.drop_table('visitor_digests')
    op.drop_table('visit_salts')
    with op.batch_alter_table('usage_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_usage_rollups_day')

    op.drop_table('usage_rollups')
    op.drop_table('rollup_runs')
    op.drop_table('external_counts')
