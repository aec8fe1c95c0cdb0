"""report indexes: an assignment's attempts by learner in finish order, and the keys of an
attempt's items (issue 11, the reports at 1,000,000 responses)

Revision ID: c4f8a2d6e913
Revises: c4e8a2f6d913
Create Date: 2026-12-08 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f8a2d6e913'
down_revision = 'c4e8a2f6d913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        # The new index starts with assignment_id: the single-column one is redundant.
        batch_op.drop_index('ix_attempts_assignment_id')
        batch_op.create_index(
            'ix_attempts_assignment_user_finished',
            ['assignment_id', 'user_id', 'finished_at', 'id'],
            unique=False,
        )
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index(
            'ix_attempt_items_attempt_keys',
            ['attempt_id', 'fact_key', 'question_type', 'position', 'id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_items_attempt_keys')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_assignment_user_finished')
        batch_op.create_index('ix_attempts_assignment_id', ['assignment_id'], unique=False)
