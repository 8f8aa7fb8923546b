"""The memorandum's distribution rows become the outbox of its e-mail.

Revision ID: 0004_outbox
Revises: 0003_minutes
Create Date: 2026-11-30

Written by hand: two more statuses (`queued`: recorded and waiting for the sender; `sending`:
claimed by a sender until `claimed_until`), the claim itself, the From address chosen when the
distribution was recorded, and an index on `status` for the sender's claim query. Batch mode,
so that SQLite (which cannot alter a CHECK constraint) rebuilds the table.

Downgrade: the old schema knows no `queued` or `sending`; such rows become `recorded` (what the
old code kept when it did not send), so a later distribution under the old code sends them.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_outbox'
down_revision = '0003_minutes'
branch_labels = None
depends_on = None

NEW_STATUSES = "status IN ('recorded', 'queued', 'sending', 'sent', 'failed')"
OLD_STATUSES = "status IN ('recorded', 'sent', 'failed')"


def upgrade():
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_from', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('claim', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f('ck_memorandum_distributions_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_memorandum_distributions_status'), sa.text(NEW_STATUSES))
        batch_op.create_index(batch_op.f('ix_memorandum_distributions_status'), ['status'], unique=False)


def downgrade():
    op.execute("UPDATE memorandum_distributions SET status = 'recorded' WHERE status IN ('queued', 'sending')")
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memorandum_distributions_status'))
        batch_op.drop_constraint(op.f('ck_memorandum_distributions_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_memorandum_distributions_status'), sa.text(OLD_STATUSES))
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claim')
        batch_op.drop_column('mail_from')
