"""Accounts: the general e-mail outbox (governance/mail); sign-ins that end and expire.

Revision ID: 0012_accounts
Revises: 0010_desk
Create Date: 2026-11-30

Written by hand (plain DateTime for UTC, as 0003 says). mail_messages: one e-mail each (queued -> sending -> sent | failed), with its
claim and lease as the memorandum's outbox has them; mail_attachments: its files.

users.session_epoch: the generation of a person's sign-ins (0 for everyone at first);
access_tokens.last_used_at: for the idle limit of login tokens; one_time_codes: access links'
and password resets' codes (hashed); poll_participations.credential and credential_token_id:
through which credential each vote came (a delegate's vote record).

Downgrade: drops the tables and columns; mail not yet sent and unused codes are lost with them
(the old code has neither outbox nor codes); old login tokens become unlimited again.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_accounts'
down_revision = '0010_desk'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('secret', sa.Boolean(), nullable=False),
        sa.Column('mail_from', sa.String(length=254), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=250), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('claim', sa.String(length=32), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_mail_messages_state')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_messages_state'), ['state'], unique=False)
    op.create_table(
        'mail_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['mail_messages.id'],
                                name=op.f('fk_mail_attachments_message_id_mail_messages'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attachments')),
    )
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attachments_message_id'), ['message_id'], unique=False)


    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
    op.create_table(
        'one_time_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('token_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_one_time_codes_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['token_id'], ['access_tokens.id'],
                                name=op.f('fk_one_time_codes_token_id_access_tokens'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_one_time_codes_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_one_time_codes_code_hash')),
    )
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_codes_user_id'), ['user_id'], unique=False)
    # Not in batch mode: on SQLite a batch would rebuild the table from its reflection, and
    # lose WITHOUT ROWID (docs/security.md, Secret ballots); ADD COLUMN keeps it. No foreign
    # key on the token id: SQLite cannot add one by ALTER (the model says why it needs none).
    op.add_column('poll_participations', sa.Column('credential', sa.String(length=10), nullable=True))
    op.add_column('poll_participations', sa.Column('credential_token_id', sa.Integer(), nullable=True))


def downgrade():
    # plain DROP COLUMN (SQLite 3.35+), not a batch rebuild that would lose WITHOUT ROWID
    op.execute("ALTER TABLE poll_participations DROP COLUMN credential_token_id")
    op.execute("ALTER TABLE poll_participations DROP COLUMN credential")
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_one_time_codes_user_id'))
    op.drop_table('one_time_codes')
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attachments_message_id'))
    op.drop_table('mail_attachments')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_messages_state'))
    op.drop_table('mail_messages')
