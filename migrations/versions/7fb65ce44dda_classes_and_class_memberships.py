"""school_class and class_membership: classes with a join code, their teachers and learners
(issue 11)

Revision ID: 7fb65ce44dda
Revises: f3c9d2a7b814
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7fb65ce44dda'
down_revision = 'f3c9d2a7b814'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('school_class',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_class')),
    sa.UniqueConstraint('join_code', name=op.f('uq_school_class_join_code'))
    )
    op.create_table('class_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(
        "role IN ('owner', 'teacher', 'learner')", name=op.f('ck_class_membership_role')
    ),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'],
                            name=op.f('fk_class_membership_class_id_school_class'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_class_membership_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_membership')),
    sa.UniqueConstraint('class_id', 'user_id', name=op.f('uq_class_membership_class_id_user_id'))
    )
    with op.batch_alter_table('class_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_membership_user_id'), ['user_id'], unique=False)
        # Exactly one owner per class.
        batch_op.create_index(
            'uq_class_membership_one_owner',
            ['class_id'],
            unique=True,
            sqlite_where=sa.text("role = 'owner'"),
            postgresql_where=sa.text("role = 'owner'"),
        )


def downgrade():
    with op.batch_alter_table('class_membership', schema=None) as batch_op:
        batch_op.drop_index('uq_class_membership_one_owner')
        batch_op.drop_index(batch_op.f('ix_class_membership_user_id'))

    op.drop_table('class_membership')
    op.drop_table('school_class')
