"""facts: skip_types, the question types a curator chose never to ask a fact as (issue 8)

Revision ID: e2a41c7d9b10
Revises: 5b1c8e3f9a27
Create Date: 2026-11-30 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a41c7d9b10'
down_revision = '5b1c8e3f9a27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skip_types', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('skip_types')
