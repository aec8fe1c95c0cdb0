"""assignments, assignment_overrides and attempts.assignment_id: quizzes given to a class
(issue 11)

Revision ID: a1e5b7c3d902
Revises: 7fb65ce44dda
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1e5b7c3d902'
down_revision = '7fb65ce44dda'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('attempts_allowed', sa.Integer(), nullable=True),
    sa.Column('grading_method', sa.String(length=16), nullable=False),
    sa.Column('same_questions', sa.Boolean(), nullable=False),
    sa.Column('review', sa.String(length=16), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'],
                            name=op.f('fk_assignments_bank_id_banks')),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'],
                            name=op.f('fk_assignments_class_id_school_class'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                            name=op.f('fk_assignments_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_class_id'), ['class_id'], unique=False)

    op.create_table('assignment_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                            name=op.f('fk_assignment_overrides_assignment_id_assignments'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_assignment_overrides_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_overrides')),
    sa.UniqueConstraint('assignment_id', 'user_id',
                        name=op.f('uq_assignment_overrides_assignment_id_user_id'))
    )
    with op.batch_alter_table('assignment_overrides', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_assignment_overrides_user_id'), ['user_id'], unique=False
        )

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_attempts_assignment_id'), ['assignment_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_attempts_assignment_id_assignments'),
            'assignments',
            ['assignment_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_attempts_assignment_id_assignments'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_attempts_assignment_id'))
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('assignment_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_overrides_user_id'))
    op.drop_table('assignment_overrides')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_class_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_bank_id'))
    op.drop_table('assignments')
