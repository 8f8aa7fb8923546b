"""Invitations: each participant's personal access link given for a meeting, by e-mail or on
the printed QR sheet, with the mail row carrying it and when it was first used.

Revision ID: 0014_invitations
Revises: 0012_accounts
Create Date: 2026-11-30

Written by hand (plain DateTime for UTC, as 0003 says). Follows 0012_accounts, whose
mail_messages it refers to (the brief said 0010_desk; this branch merged h13-accounts' outbox).

Downgrade: drops the table. The access tokens the invitations issued stay (they are the
users' tokens, revocable as any other); only the record of who was invited when, and who
opened their link, is lost.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_invitations'
down_revision = '0012_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('token_id', sa.Integer(), nullable=True),
        sa.Column('mail_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'qr')", name=op.f('ck_invitations_channel')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_invitations_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['token_id'], ['access_tokens.id'],
                                name=op.f('fk_invitations_token_id_access_tokens'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['mail_id'], ['mail_messages.id'], name=op.f('fk_invitations_mail_id_mail_messages'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invitations_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_token_id'), ['token_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_token_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_meeting_id'))
    op.drop_table('invitations')
