"""Procedure: names compared as people read them; which memorandum a motion approves.

Revision ID: 0009_procedure
Revises: 0008_record
Create Date: 2026-12-02

Written by hand.

- `members.name_key` and `users.email_key`: the name (address) NFC-normalised, case-folded,
  its spaces collapsed (governance/names.py), unique, so two members can never print alike
  and one address is one person whatever its spelling. Filled from the rows there; if two
  existing rows already read alike the upgrade stops and names them (merge or rename them
  first: the platform cannot choose which one is meant).
- `external_memoranda`: a memorandum held outside the platform (the minutes of a meeting
  before it was in use), as a title and a stored file, and its approval.
- `motions.memorandum_version`: the version of the memorandum put to the vote, fixed when
  the approval poll opens; `motions.external_memorandum_id`: the outside memorandum a
  `minutes_approval` motion approves instead of a meeting's.

The key computation is copied here rather than imported, so that this migration keeps
doing what it did when the application's code moves on.
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_procedure'
down_revision = '0008_record'
branch_labels = None
depends_on = None


def _key(text: str) -> str:
    tidy = " ".join(unicodedata.normalize("NFC", text).split())
    folded = unicodedata.normalize("NFC", tidy).casefold()
    return " ".join(unicodedata.normalize("NFC", folded).split())


def _fill_keys(table: str, source: str, target: str) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
    seen: dict[str, str] = {}
    clashes = []
    for row_id, value in rows:
        key = _key(value or "")
        if key in seen:
            clashes.append(f"{seen[key]!r} and {value!r}")
        seen.setdefault(key, value)
        connection.execute(sa.text(f"UPDATE {table} SET {target} = :key WHERE id = :id"),
                           {"key": key, "id": row_id})
    if clashes:
        raise RuntimeError(f"{table}: these {source}s read alike and cannot both stay: " + "; ".join(clashes))


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    _fill_keys('members', 'name', 'name_key')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_members_name_key'), ['name_key'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))
    _fill_keys('users', 'email', 'email_key')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_email_key'), ['email_key'])

    op.create_table('external_memoranda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_motion_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('received', 'approved')", name=op.f('ck_external_memoranda_status')),
    sa.ForeignKeyConstraint(['approved_by_motion_id'], ['motions.id'],
                            name=op.f('fk_external_memoranda_approved_by_motion_id_motions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                            name=op.f('fk_external_memoranda_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_memoranda'))
    )

    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memorandum_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('external_memorandum_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_motions_external_memorandum_id_external_memoranda'),
                                    'external_memoranda', ['external_memorandum_id'], ['id'], ondelete='RESTRICT')


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_motions_external_memorandum_id_external_memoranda'),
                                 type_='foreignkey')
        batch_op.drop_column('external_memorandum_id')
        batch_op.drop_column('memorandum_version')
    op.drop_table('external_memoranda')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_email_key'), type_='unique')
        batch_op.drop_column('email_key')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_members_name_key'), type_='unique')
        batch_op.drop_column('name_key')
