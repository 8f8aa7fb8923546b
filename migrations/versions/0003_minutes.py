"""Item notes, memorandum versions (both editions as bytes) and their distribution.

Revision ID: 0003_minutes
Revises: 0002_motions_voting
Create Date: 2026-11-22

Reviewed by hand: plain DateTime for UTC (governance.dbtypes.UTCDateTime normalises to
naive UTC in Python); downgrade drops the tables in reverse order of their foreign keys
(distributions, versions, notes).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_minutes'
down_revision = '0002_motions_voting'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_item_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_item_notes_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_notes')),
    sa.UniqueConstraint('item_id', 'revision', name=op.f('uq_item_notes_item_id_revision'))
    )
    with op.batch_alter_table('item_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_notes_item_id'), ['item_id'], unique=False)

    op.create_table('memorandum_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('full_docx', sa.LargeBinary(), nullable=False),
    sa.Column('public_docx', sa.LargeBinary(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_motion_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'approved')", name=op.f('ck_memorandum_versions_status')),
    sa.ForeignKeyConstraint(['approved_by_motion_id'], ['motions.id'], name=op.f('fk_memorandum_versions_approved_by_motion_id_motions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_memorandum_versions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_memorandum_versions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memorandum_versions')),
    sa.UniqueConstraint('meeting_id', 'version', name=op.f('uq_memorandum_versions_meeting_id_version'))
    )
    with op.batch_alter_table('memorandum_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memorandum_versions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('memorandum_distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('edition', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("edition IN ('full', 'public')", name=op.f('ck_memorandum_distributions_edition')),
    sa.CheckConstraint("status IN ('recorded', 'sent', 'failed')", name=op.f('ck_memorandum_distributions_status')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memorandum_distributions_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['memorandum_versions.id'], name=op.f('fk_memorandum_distributions_version_id_memorandum_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memorandum_distributions')),
    sa.UniqueConstraint('version_id', 'user_id', name=op.f('uq_memorandum_distributions_version_id_user_id'))
    )
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memorandum_distributions_version_id'), ['version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memorandum_distributions_version_id'))

    op.drop_table('memorandum_distributions')
    with op.batch_alter_table('memorandum_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memorandum_versions_meeting_id'))

    op.drop_table('memorandum_versions')
    with op.batch_alter_table('item_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_notes_item_id'))

    op.drop_table('item_notes')
