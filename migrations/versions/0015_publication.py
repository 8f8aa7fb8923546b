"""Closed-session decisions withheld until published (issue 13).

Revision ID: 0015_publication
Revises: 0013_assessments
Create Date: 2026-11-30

Written by hand:
- `withheld_changes`: what a closed-session decision changed, with the value everyone else
  still sees (governance.publication); rows go when the meeting's decisions are published or a
  public change supersedes them;
- `publications`: when each meeting's closed-session decisions were last published.

Downgrade drops both: every withheld value becomes visible at once (the old code knew no
withholding), and the record of when decisions were published is lost (the audit trail keeps
`meeting.decisions_published`).
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_publication'
down_revision = '0013_assessments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('withheld_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('public_value', sa.JSON(), nullable=True),
    sa.Column('public_data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_withheld_changes_meeting_id_meetings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_withheld_changes_motion_id_motions'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_withheld_changes'))
    )
    with op.batch_alter_table('withheld_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_withheld_changes_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('publications',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_publications_meeting_id_meetings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_publications_published_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_publications'))
    )


def downgrade():
    op.drop_table('publications')
    with op.batch_alter_table('withheld_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_withheld_changes_meeting_id'))
    op.drop_table('withheld_changes')
