"""The audit trail's hash scheme and optional MAC.

Revision ID: 0008_record
Revises: 0004_outbox
Create Date: 2026-12-07

Written by hand. `audit_events.scheme` says which rule hashed an event: every event already
stored was hashed by the earlier rule and is marked 1 (the server default), and is verified by
that rule; nothing is re-hashed, since re-hashing would bless whatever had been changed before.
New events are written in the canonical scheme 2. `audit_events.mac` holds the HMAC of events
written while EXCOM_AUDIT_KEY is set.

Downgrade: drops both columns. The older code knows one rule only, so its `excom audit verify`
will call the first event of scheme 2 changed, and the MACs are gone: take a backup
(`excom backup`) before upgrading, and go back by restoring it rather than by downgrading.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_record'
down_revision = '0004_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('mac')
        batch_op.drop_column('scheme')
