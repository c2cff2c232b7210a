"""review cards: a learner's spaced-review card per question missed, and how far their queue is filled

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-20 09:00:00.000000

The queue fills lazily from finished quizzes (services/review.py), so an upgraded database starts with no
cards and fills each learner's queue on their next visit.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("last_review", sa.DateTime(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learner.id"], name=op.f("fk_review_card_learner_id_learner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_review_card_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_card")),
        sa.UniqueConstraint("learner_id", "question_id", name=op.f("uq_review_card_learner_id")),
    )
    with op.batch_alter_table("review_card", schema=None) as batch_op:
        batch_op.create_index("ix_review_card_learner_due", ["learner_id", "due"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_card_question_id"), ["question_id"], unique=False)
    op.create_table(
        "review_queue",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("filled_to", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learner.id"],
            name=op.f("fk_review_queue_learner_id_learner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", name=op.f("pk_review_queue")),
    )


def downgrade():
    op.drop_table("review_queue")
    with op.batch_alter_table("review_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_card_question_id"))
        batch_op.drop_index("ix_review_card_learner_due")
    op.drop_table("review_card")
