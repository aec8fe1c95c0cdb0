"""bank owners, co-editors and a published flag; the admin role

Revision ID: 7aca8f91b025
Revises: cbbd8b9ed578
Create Date: 2026-11-30 10:40:32.148788

Data: the earliest teacher becomes admin when there is no admin yet; every browser-made bank is
owned by its creator, or by that first admin when its creator is unknown, and stays published
(it was offered to every learner before this revision); site banks (managed_in "folder") get no
owner. Downgrading turns admins back into teachers.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7aca8f91b025'
down_revision = 'cbbd8b9ed578'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_editors',
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_bank_editors_bank_id_banks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bank_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bank_id', 'user_id', name=op.f('pk_bank_editors'))
    )
    with op.batch_alter_table('bank_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_editors_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_banks_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_banks_owner_id_users'), 'users', ['owner_id'], ['id'], ondelete='SET NULL')

    # Literal SQL (no models), so this revision never changes with the code.
    bind = op.get_bind()
    has_admin = bind.execute(sa.text("SELECT id FROM users WHERE role = 'admin' LIMIT 1")).first()
    if has_admin is None:
        first = bind.execute(
            sa.text("SELECT id FROM users WHERE role = 'teacher' ORDER BY created_at, id LIMIT 1")
        ).first()
        if first is not None:
            bind.execute(sa.text("UPDATE users SET role = 'admin' WHERE id = :id"), {"id": first[0]})
    admin = bind.execute(
        sa.text("SELECT id FROM users WHERE role = 'admin' ORDER BY created_at, id LIMIT 1")
    ).first()
    bind.execute(
        sa.text(
            "UPDATE banks SET owner_id = created_by_id, published = :yes "
            "WHERE managed_in = 'browser'"
        ),
        {"yes": True},
    )
    if admin is not None:
        bind.execute(
            sa.text(
                "UPDATE banks SET owner_id = :admin "
                "WHERE managed_in = 'browser' AND owner_id IS NULL"
            ),
            {"admin": admin[0]},
        )


def downgrade():
    op.execute("UPDATE users SET role = 'teacher' WHERE role = 'admin'")
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_banks_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_banks_owner_id'))
        batch_op.drop_column('published')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('bank_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_editors_user_id'))

    op.drop_table('bank_editors')
