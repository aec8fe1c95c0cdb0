"""live games: games with a PIN, their players, answers and event log (issue 13)

Revision ID: b7e2d4c9a613
Revises: e7b2c9d4f1a6
Create Date: 2026-12-01 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2d4c9a613'
down_revision = 'e7b2c9d4f1a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'live_games',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pin', sa.String(length=8), nullable=False),
        sa.Column('teacher_id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=True),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('question_count', sa.Integer(), nullable=False),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('phase', sa.String(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('phase_started_at', sa.DateTime(), nullable=True),
        sa.Column('deadline', sa.DateTime(), nullable=True),
        sa.Column('paused_left', sa.Double(), nullable=True),
        sa.Column('skipped', sa.JSON(), nullable=False),
        sa.Column('seq', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['assignment_id'], ['assignments.id'],
            name=op.f('fk_live_games_assignment_id_assignments'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['bank_id'], ['banks.id'], name=op.f('fk_live_games_bank_id_banks'),
        ),
        sa.ForeignKeyConstraint(
            ['teacher_id'], ['users.id'], name=op.f('fk_live_games_teacher_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_games')),
    )
    with op.batch_alter_table('live_games', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_games_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_live_games_teacher_id'), ['teacher_id'], unique=False
        )
        batch_op.create_index(
            'uq_live_games_running_pin', ['pin'], unique=True,
            sqlite_where=sa.text("phase <> 'end'"),
            postgresql_where=sa.text("phase <> 'end'"),
        )

    op.create_table(
        'live_players',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('game_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('nickname', sa.String(length=40), nullable=False),
        sa.Column('nickname_key', sa.String(length=80), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=True),
        sa.Column('score', sa.Integer(), server_default='0', nullable=False),
        sa.Column('streak', sa.Integer(), server_default='0', nullable=False),
        sa.Column('removed', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['attempt_id'], ['attempts.id'],
            name=op.f('fk_live_players_attempt_id_attempts'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['game_id'], ['live_games.id'], name=op.f('fk_live_players_game_id_live_games'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_live_players_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_players')),
        sa.UniqueConstraint(
            'game_id', 'nickname_key', name=op.f('uq_live_players_game_id_nickname_key')
        ),
        sa.UniqueConstraint('game_id', 'user_id', name=op.f('uq_live_players_game_id_user_id')),
    )
    with op.batch_alter_table('live_players', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_players_user_id'), ['user_id'], unique=False)

    op.create_table(
        'live_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('game_id', sa.Integer(), nullable=False),
        sa.Column('player_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('normalised', sa.Text(), nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('fraction', sa.Double(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('seconds_taken', sa.Double(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['game_id'], ['live_games.id'], name=op.f('fk_live_answers_game_id_live_games'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['player_id'], ['live_players.id'],
            name=op.f('fk_live_answers_player_id_live_players'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_answers')),
        sa.UniqueConstraint(
            'player_id', 'position', name=op.f('uq_live_answers_player_id_position')
        ),
    )
    with op.batch_alter_table('live_answers', schema=None) as batch_op:
        batch_op.create_index(
            'ix_live_answers_game_position', ['game_id', 'position'], unique=False
        )

    op.create_table(
        'live_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('game_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['game_id'], ['live_games.id'], name=op.f('fk_live_events_game_id_live_games'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_events')),
        sa.UniqueConstraint('game_id', 'seq', name=op.f('uq_live_events_game_id_seq')),
    )


def downgrade():
    op.drop_table('live_events')
    with op.batch_alter_table('live_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_live_answers_game_position')
    op.drop_table('live_answers')
    with op.batch_alter_table('live_players', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_players_user_id'))
    op.drop_table('live_players')
    with op.batch_alter_table('live_games', schema=None) as batch_op:
        batch_op.drop_index('uq_live_games_running_pin')
        batch_op.drop_index(batch_op.f('ix_live_games_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_live_games_bank_id'))
    op.drop_table('live_games')
