"""Motions, candidates, polls, eligible voters, participations and ballots.

Revision ID: 0002_motions_voting
Revises: 0001_foundation
Create Date: 2026-11-22

Reviewed by hand: plain DateTime for UTC; motions.winner_candidate_id refers to
motion_candidates, created after motions, so that key is added at the end. The three
ballot-box tables are WITHOUT ROWID on SQLite, so that no hidden rowid keeps the order in
which votes arrived (secret ballots); PostgreSQL ignores the option.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002_motions_voting'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('motions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('majority', sa.String(length=30), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=True),
    sa.Column('memorandum_meeting_id', sa.Integer(), nullable=True),
    sa.Column('current_text', sa.Text(), nullable=True),
    sa.Column('proposed_text', sa.Text(), nullable=True),
    sa.Column('resolution_number', sa.String(length=80), nullable=True),
    sa.Column('winner_candidate_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('general', 'membership', 'host_city', 'logo', 'agenda_adoption', 'minutes_approval', 'statutes_amendment')", name=op.f('ck_motions_kind')),
    sa.CheckConstraint("majority IN ('simple', 'two_thirds', 'absolute_present', 'absolute_all', 'two_thirds_present', 'unanimous_present')", name=op.f('ck_motions_majority')),
    sa.CheckConstraint("method IN ('yes_no', 'exhaustive', 'irv')", name=op.f('ck_motions_method')),
    sa.CheckConstraint("status IN ('pending', 'adopted', 'rejected', 'elected', 'withdrawn')", name=op.f('ck_motions_status')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_motions_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_motions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_motions_member_id_members'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['memorandum_meeting_id'], ['meetings.id'], name=op.f('fk_motions_memorandum_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['moved_by_id'], ['users.id'], name=op.f('fk_motions_moved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motions')),
    sa.UniqueConstraint('meeting_id', 'resolution_number', name=op.f('uq_motions_meeting_id_resolution_number'))
    )
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_motions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('motion_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('image_mimetype', sa.String(length=40), nullable=True),
    sa.Column('image_sha256', sa.String(length=64), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_motion_candidates_member_id_members'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_motion_candidates_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_motion_candidates_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motion_candidates')),
    sa.UniqueConstraint('motion_id', 'member_id', name=op.f('uq_motion_candidates_motion_id_member_id'))
    )
    with op.batch_alter_table('motion_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motion_candidates_motion_id'), ['motion_id'], unique=False)

    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_motions_winner_candidate_id_motion_candidates'),
                                    'motion_candidates', ['winner_candidate_id'], ['id'], ondelete='SET NULL')

    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('ballot', sa.JSON(), nullable=True),
    sa.Column('contest', sa.JSON(), nullable=True),
    sa.Column('eligible_count', sa.Integer(), nullable=False),
    sa.Column('quorum_at_open', sa.JSON(), nullable=True),
    sa.Column('quorum_at_close', sa.JSON(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('ballots_digest', sa.String(length=64), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('first', 'elimination', 'tie_break', 'repeat')", name=op.f('ck_polls_reason')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_polls_status')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_polls_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_polls_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_polls_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_polls_opened_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_motion_id'), ['motion_id'], unique=False)
        batch_op.create_index('uq_polls_one_open_per_meeting', ['meeting_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('poll_ballots',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=32), nullable=False),
    sa.Column('choice', sa.String(length=400), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_poll_ballots_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_ballots_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'receipt', name=op.f('pk_poll_ballots')),
    sqlite_with_rowid=False
    )
    op.create_table('poll_eligible_voters',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_poll_eligible_voters_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_eligible_voters_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'member_id', name=op.f('pk_poll_eligible_voters')),
    sqlite_with_rowid=False
    )
    op.create_table('poll_participations',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_poll_participations_cast_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_poll_participations_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_participations_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'member_id', name=op.f('pk_poll_participations')),
    sqlite_with_rowid=False
    )


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_motions_winner_candidate_id_motion_candidates'), type_='foreignkey')

    op.drop_table('poll_participations')
    op.drop_table('poll_eligible_voters')
    op.drop_table('poll_ballots')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index('uq_polls_one_open_per_meeting', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_polls_motion_id'))

    op.drop_table('polls')
    with op.batch_alter_table('motion_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motion_candidates_motion_id'))

    op.drop_table('motion_candidates')
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_motions_item_id'))

    op.drop_table('motions')
