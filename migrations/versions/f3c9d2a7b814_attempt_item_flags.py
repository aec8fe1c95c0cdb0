"""attempt_items: flagged, a learner's "flag for review" mark on a question (issue 10)

Revision ID: f3c9d2a7b814
Revises: e2a41c7d9b10
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c9d2a7b814'
down_revision = 'e2a41c7d9b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('flagged', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('flagged')
