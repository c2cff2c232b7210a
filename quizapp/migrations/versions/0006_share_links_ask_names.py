"""share links ask names

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 03:25:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_set", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asks_name", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("question_set", schema=None) as batch_op:
        batch_op.drop_column("asks_name")
