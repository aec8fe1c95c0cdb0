"""LTI 1.3 tool: platforms and deployments, the tool's keys, launch values, identities,
contexts, resource links and grades to send (issue 14, points 6-9)

Revision ID: e7b2c9d4f1a6
Revises: a9e4c7b2d5f1
Create Date: 2026-12-01 00:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7b2c9d4f1a6'
down_revision = 'a9e4c7b2d5f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lti_platforms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('client_id', sa.String(length=255), nullable=False),
        sa.Column('auth_login_url', sa.String(length=1024), nullable=False),
        sa.Column('auth_token_url', sa.String(length=1024), nullable=False),
        sa.Column('key_set_url', sa.String(length=1024), nullable=True),
        sa.Column('public_key', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platforms')),
        sa.UniqueConstraint('issuer', 'client_id', name=op.f('uq_lti_platforms_issuer_client_id')),
    )
    op.create_table(
        'lti_deployments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform_id', sa.Integer(), nullable=False),
        sa.Column('deployment_id', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ['platform_id'], ['lti_platforms.id'],
            name=op.f('fk_lti_deployments_platform_id_lti_platforms'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deployments')),
        sa.UniqueConstraint(
            'platform_id', 'deployment_id', name=op.f('uq_lti_deployments_platform_id_deployment_id')
        ),
    )
    op.create_table(
        'lti_tool_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kid', sa.String(length=64), nullable=False),
        sa.Column('private_key', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_tool_keys')),
        sa.UniqueConstraint('kid', name=op.f('uq_lti_tool_keys_kid')),
    )
    op.create_table(
        'lti_launch_values',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_lti_launch_values')),
    )
    with op.batch_alter_table('lti_launch_values', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_lti_launch_values_expires_at'), ['expires_at'], unique=False
        )
    op.create_table(
        'lti_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_lti_identities_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_identities')),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_lti_identities_issuer_subject')),
    )
    with op.batch_alter_table('lti_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_identities_user_id'), ['user_id'], unique=False)
    op.create_table(
        'lti_contexts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform_id', sa.Integer(), nullable=False),
        sa.Column('context_id', sa.String(length=255), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('memberships_url', sa.String(length=1024), nullable=True),
        sa.Column('roster_synced_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['class_id'], ['school_class.id'],
            name=op.f('fk_lti_contexts_class_id_school_class'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['platform_id'], ['lti_platforms.id'],
            name=op.f('fk_lti_contexts_platform_id_lti_platforms'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_contexts')),
        sa.UniqueConstraint(
            'platform_id', 'context_id', name=op.f('uq_lti_contexts_platform_id_context_id')
        ),
    )
    with op.batch_alter_table('lti_contexts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_contexts_class_id'), ['class_id'], unique=False)
    op.create_table(
        'lti_resource_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('context_id', sa.Integer(), nullable=False),
        sa.Column('resource_link_id', sa.String(length=255), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('ags', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ['assignment_id'], ['assignments.id'],
            name=op.f('fk_lti_resource_links_assignment_id_assignments'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['context_id'], ['lti_contexts.id'],
            name=op.f('fk_lti_resource_links_context_id_lti_contexts'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_resource_links')),
        sa.UniqueConstraint(
            'context_id', 'resource_link_id',
            name=op.f('uq_lti_resource_links_context_id_resource_link_id'),
        ),
    )
    with op.batch_alter_table('lti_resource_links', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_lti_resource_links_assignment_id'), ['assignment_id'], unique=False
        )
    op.create_table(
        'lti_grade_sync',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['link_id'], ['lti_resource_links.id'],
            name=op.f('fk_lti_grade_sync_link_id_lti_resource_links'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_lti_grade_sync_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_grade_sync')),
        sa.UniqueConstraint('link_id', 'user_id', name=op.f('uq_lti_grade_sync_link_id_user_id')),
    )
    with op.batch_alter_table('lti_grade_sync', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_grade_sync_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_sync_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('lti_grade_sync')
    op.drop_table('lti_resource_links')
    op.drop_table('lti_contexts')
    op.drop_table('lti_identities')
    op.drop_table('lti_launch_values')
    op.drop_table('lti_tool_keys')
    op.drop_table('lti_deployments')
    op.drop_table('lti_platforms')
