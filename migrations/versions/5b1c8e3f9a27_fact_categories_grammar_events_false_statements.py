"""facts: category, gender, number, is_event, false_statements (issue 8)

Revision ID: 5b1c8e3f9a27
Revises: d8a75c57bd76
Create Date: 2026-11-30 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1c8e3f9a27'
down_revision = 'd8a75c57bd76'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('gender', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('number', sa.String(length=16), server_default='singular', nullable=False))
        batch_op.add_column(sa.Column('is_event', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('false_statements', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('false_statements')
        batch_op.drop_column('is_event')
        batch_op.drop_column('number')
        batch_op.drop_column('gender')
        batch_op.drop_column('category')
