"""fact_cards and fact_reviews: each learner's FSRS memory of each fact and its review log;
users.desired_retention and users.daily_new_facts (issue 12)

Revision ID: c4e8a2f6d913
Revises: b7d3e9f1a2c4
Create Date: 2026-11-30 20:44:56.365081

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f6d913'
down_revision = 'b7d3e9f1a2c4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fact_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('fact_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('stability', sa.Double(), nullable=True),
    sa.Column('difficulty', sa.Double(), nullable=True),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('last_review', sa.DateTime(), nullable=True),
    sa.Column('last_type', sa.String(length=16), nullable=True),
    sa.Column('last_correct', sa.Boolean(), nullable=True),
    sa.Column('recall_failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reviews', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lapses', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['fact_id'], ['facts.id'], name=op.f('fk_fact_cards_fact_id_facts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fact_cards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fact_cards')),
    sa.UniqueConstraint('user_id', 'fact_id', name=op.f('uq_fact_cards_user_id_fact_id'))
    )
    with op.batch_alter_table('fact_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fact_cards_fact_id'), ['fact_id'], unique=False)
        batch_op.create_index('ix_fact_cards_user_due', ['user_id', 'due'], unique=False)

    op.create_table('fact_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('question_type', sa.String(length=16), nullable=False),
    sa.Column('seconds_taken', sa.Double(), nullable=True),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['card_id'], ['fact_cards.id'], name=op.f('fk_fact_reviews_card_id_fact_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_fact_reviews_response_id_responses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fact_reviews'))
    )
    with op.batch_alter_table('fact_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fact_reviews_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fact_reviews_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desired_retention', sa.Double(), server_default='0.9', nullable=False))
        batch_op.add_column(sa.Column('daily_new_facts', sa.Integer(), server_default='20', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('daily_new_facts')
        batch_op.drop_column('desired_retention')

    with op.batch_alter_table('fact_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fact_reviews_response_id'))
        batch_op.drop_index(batch_op.f('ix_fact_reviews_card_id'))

    op.drop_table('fact_reviews')
    with op.batch_alter_table('fact_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_fact_cards_user_due')
        batch_op.drop_index(batch_op.f('ix_fact_cards_fact_id'))

    op.drop_table('fact_cards')
