"""hints and certainty: the hint steps a learner took on a question, the certainty of an answer, the set's
switches

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-25 09:00:00.000000

Per question of an attempt (attempt_question): `hints_taken`, how many steps of its hint ladder the learner
took, and `hint_share`, the share of its points left when the last was taken (docs/hints.md: kept as taken,
so a later change to the set's text does not change what an answer earns). Per answer (response):
`certainty`, 1 to 3 when the quiz used certainty-based marking, else NULL. Per set (question_set): `hints`
(on for every set, the built-in bank included, until its teacher turns them off) and `certainty_marking`
(off). Class sessions have no switch: their quizzes are tests, which offer no hints.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hints_taken", sa.SmallInteger(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("hint_share", sa.Float(), server_default="1.0", nullable=False))
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certainty", sa.SmallInteger(), nullable=True))
    with op.batch_alter_table("question_set", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hints", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(
            sa.Column("certainty_marking", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("question_set", schema=None) as batch_op:
        batch_op.drop_column("certainty_marking")
        batch_op.drop_column("hints")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("certainty")
    with op.batch_alter_table("attempt_question", schema=None) as batch_op:
        batch_op.drop_column("hint_share")
        batch_op.drop_column("hints_taken")
