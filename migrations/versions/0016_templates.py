"""The memorandum in Russian as well as English, the recipient's language, the secretariat's template.

Revision ID: 0016_templates
Revises: 0015_publication
Create Date: 2026-11-30

Written by hand:
- `memorandum_versions.full_docx_ru`, `public_docx_ru`: each version's two editions in Russian,
  built from the same record as the English ones (NULL for versions built before: they have
  none, and a Russian download of them says so);
- `users.language`: the language a person reads (NULL: the organisation's first language), which
  a distribution sends them;
- `memorandum_distributions.language`: the language each recipient was sent (server default
  "en", what every earlier distribution was);
- `memorandum_templates`: the secretariat's own .docx template for the memorandum (at most one
  row; none: the built-in layout).
Batch mode, so that SQLite rebuilds the tables it cannot alter.

Downgrade drops them again (the Russian documents, the template and people's languages are lost;
the English editions, which the audit trail's hashes name, stay).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_templates'
down_revision = '0015_publication'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memorandum_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_docx_ru', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('public_docx_ru', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False, server_default='en'))
    op.create_table('memorandum_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_memorandum_templates_uploaded_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memorandum_templates'))
    )


def downgrade():
    op.drop_table('memorandum_templates')
    with op.batch_alter_table('memorandum_distributions', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('memorandum_versions', schema=None) as batch_op:
        batch_op.drop_column('public_docx_ru')
        batch_op.drop_column('full_docx_ru')
