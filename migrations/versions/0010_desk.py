"""The secretariat's desk: the first-run key, the organisation's settings, a motion's seconder.

Revision ID: 0010_desk
Revises: 0005_pictures
Create Date: 2026-12-07

Written by hand:
- `setup_tokens`: the one-time key `excom init-db` prints while the database has no account
  (its SHA-256 only), spent by the first-run page;
- `organisation.languages` (JSON list, the page languages offered, first = default),
  `organisation.timezone` (where new meetings start from) and `organisation.resolution_format`
  ("{reference}/R{n}", what `motions` numbered resolutions with until now), with server
  defaults so that an existing organisation row keeps working as before;
- `motions.seconded_by_id`, the seconder the memorandum prints beside the mover.
Batch mode, so that SQLite rebuilds the tables it cannot alter.

Downgrade drops them again (a chosen format, the languages and seconders are lost; the old code
numbers resolutions "{reference}/R{n}" as the default here does).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_desk'
down_revision = '0005_pictures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('setup_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_setup_tokens_token_hash'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='["en", "ru"]'))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=False, server_default='UTC'))
        batch_op.add_column(sa.Column('resolution_format', sa.String(length=80), nullable=False,
                                      server_default='{reference}/R{n}'))
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_motions_seconded_by_id_users'), 'users', ['seconded_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_motions_seconded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('seconded_by_id')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('resolution_format')
        batch_op.drop_column('timezone')
        batch_op.drop_column('languages')
    op.drop_table('setup_tokens')
