"""review marks: a learner marks a test's question to check again before finishing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 03:35:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marked", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.drop_column("marked")
