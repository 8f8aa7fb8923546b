"""Documents on agenda items, the memorandum's annexes, the speakers' list, the speaking time.

Revision ID: 0011_agenda_documents_speakers
Revises: 0009_procedure
Create Date: 2026-12-10

Written by hand. `item_documents` holds what a document is (its bytes are on disk under their
SHA-256); `memorandum_annexes` which documents a memorandum version listed (those of an approved
version are kept for ever); `speakers` the speakers' list, with a partial unique index so that
one person speaks at a time per meeting; `meetings.speaking_time` each speaker's time in seconds.
Downgrade drops them in reverse order of their foreign keys.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_agenda_documents_speakers'
down_revision = '0009_procedure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_item_documents_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_item_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_documents'))
    )
    with op.batch_alter_table('item_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_documents_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_documents_sha256'), ['sha256'], unique=False)

    op.create_table('memorandum_annexes',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['item_documents.id'], name=op.f('fk_memorandum_annexes_document_id_item_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['memorandum_versions.id'], name=op.f('fk_memorandum_annexes_version_id_memorandum_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'document_id', name=op.f('pk_memorandum_annexes'))
    )
    with op.batch_alter_table('memorandum_annexes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memorandum_annexes_document_id'), ['document_id'], unique=False)

    op.create_table('speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('speech', 'question', 'point_of_order')", name=op.f('ck_speakers_kind')),
    sa.CheckConstraint("mode IN ('in_person', 'online')", name=op.f('ck_speakers_mode')),
    sa.CheckConstraint("status IN ('waiting', 'speaking', 'done', 'withdrawn')", name=op.f('ck_speakers_status')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_speakers_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_speakers_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_speakers_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_speakers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speakers'))
    )
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speakers_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speakers_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_speakers_one_speaking', ['meeting_id'], unique=True,
                              sqlite_where=sa.text("status = 'speaking'"),
                              postgresql_where=sa.text("status = 'speaking'"))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaking_time', sa.Integer(), server_default='180', nullable=False))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('speaking_time')
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_index('uq_speakers_one_speaking')
        batch_op.drop_index(batch_op.f('ix_speakers_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_speakers_item_id'))
    op.drop_table('speakers')
    with op.batch_alter_table('memorandum_annexes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memorandum_annexes_document_id'))
    op.drop_table('memorandum_annexes')
    with op.batch_alter_table('item_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_item_documents_item_id'))
    op.drop_table('item_documents')
