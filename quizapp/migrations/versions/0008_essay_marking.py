"""essay marking: a response's points may await a teacher's mark, with the teacher's comment

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.alter_column("points", existing_type=sa.Float(), nullable=True)
        batch_op.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("marked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("marked_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_response_marked_by_teacher"), "teacher", ["marked_by"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unmarked", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_column("unmarked")
    op.execute("UPDATE response SET points = 0 WHERE points IS NULL")  # unmarked essays count 0 again
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_response_marked_by_teacher"), type_="foreignkey")
        batch_op.drop_column("marked_by")
        batch_op.drop_column("marked_at")
        batch_op.drop_column("comment")
        batch_op.alter_column("points", existing_type=sa.Float(), nullable=False)
