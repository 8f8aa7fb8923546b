"""Uploaded logos keep the picture shown in their place: the PNG drawn from an SVG.

Revision ID: 0005_pictures
Revises: 0011_agenda_documents_speakers
Create Date: 2026-11-30

Written by hand. `motion_candidates.picture` and `organisation.logo_picture` hold the PNG that
an SVG logo was drawn into on upload (motions.images); NULL for a PNG or JPEG, which is its
own picture, and for SVGs stored before this revision, which the memorandum draws when it
needs them (minutes.builder). Downgrade drops them: the originals stay.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_pictures'
down_revision = '0011_agenda_documents_speakers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('motion_candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picture', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_picture', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('logo_picture')
    with op.batch_alter_table('motion_candidates', schema=None) as batch_op:
        batch_op.drop_column('picture')
