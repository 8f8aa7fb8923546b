"""Assessment polls: the motion kind `assessment`, its subjects and scale.

Revision ID: 0013_assessments
Revises: 0014_invitations
Create Date: 2026-11-30

Written by hand:
- `motions.subjects` (JSON list of the names scored, in sheet order), `motions.scale_min` and
  `motions.scale_max` (the scores allowed), all null for other kinds;
- the motions' CHECK constraints gain the kind `assessment`, the method `assessment` and the
  status `recorded` (an assessment's table taken: neither adopted nor rejected).
The sheets themselves are ballots (`poll_ballots.choice` holds the canonical JSON of a sheet),
so no new table. Batch mode, so that SQLite rebuilds the table it cannot alter.

Downgrade deletes the assessments with their polls and sheets (the older code cannot read them
and the narrower constraints could not hold; the audit trail keeps their events), then restores
the constraints and drops the columns.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_assessments'
down_revision = '0014_invitations'
branch_labels = None
depends_on = None

KINDS = ('general', 'membership', 'host_city', 'logo', 'agenda_adoption', 'minutes_approval', 'statutes_amendment')
METHODS = ('yes_no', 'exhaustive', 'irv')
STATUSES = ('pending', 'adopted', 'rejected', 'elected', 'withdrawn')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _constraints(batch_op, kinds, methods, statuses):
    # op.f: the names as they are, not passed through the naming convention again
    for name, column, values in (('ck_motions_kind', 'kind', kinds), ('ck_motions_method', 'method', methods),
                                 ('ck_motions_status', 'status', statuses)):
        batch_op.drop_constraint(op.f(name), type_='check')
        batch_op.create_check_constraint(op.f(name), _in(column, values))


def upgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subjects', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('scale_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scale_max', sa.Integer(), nullable=True))
        _constraints(batch_op, KINDS + ('assessment',), METHODS + ('assessment',), STATUSES + ('recorded',))


def downgrade():
    polls = "SELECT id FROM polls WHERE motion_id IN (SELECT id FROM motions WHERE kind = 'assessment')"
    for table in ('poll_ballots', 'poll_participations', 'poll_eligible_voters'):
        op.execute(f"DELETE FROM {table} WHERE poll_id IN ({polls})")
    op.execute(f"DELETE FROM polls WHERE id IN ({polls})")
    op.execute("DELETE FROM motions WHERE kind = 'assessment'")
    with op.batch_alter_table('motions', schema=None) as batch_op:
        _constraints(batch_op, KINDS, METHODS, STATUSES)
        batch_op.drop_column('scale_max')
        batch_op.drop_column('scale_min')
        batch_op.drop_column('subjects')
