"""regrade_log: typed answers a teacher marked right on an assignment, and what the regrade
changed (issue 11)

Revision ID: b7d3e9f1a2c4
Revises: a1e5b7c3d902
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3e9f1a2c4'
down_revision = 'a1e5b7c3d902'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regrade_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('fact_key', sa.String(length=128), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('normalised', sa.Text(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('responses_changed', sa.Integer(), nullable=False),
    sa.Column('attempts_changed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                            name=op.f('fk_regrade_log_assignment_id_assignments'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_regrade_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regrade_log'))
    )
    with op.batch_alter_table('regrade_log', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_regrade_log_assignment_id'), ['assignment_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('regrade_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regrade_log_assignment_id'))
    op.drop_table('regrade_log')
