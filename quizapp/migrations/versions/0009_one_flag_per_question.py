"""one flag per question: a student's notes are unique per question (participant, question)

Revision ID: 0009
Revises: 0008
Create Date: 2027-01-10 09:00:00.000000

The rule was kept by SQLite's one-at-a-time write transactions alone; on PostgreSQL two quick clicks could
both pass the check. Duplicates such a race left are dropped (the first note of each question is kept), then
the unique index enforces the rule; it also serves the count of a student's notes.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "DELETE FROM question_flag WHERE participant_id IS NOT NULL AND id NOT IN ("
        " SELECT first_id FROM (SELECT min(id) AS first_id FROM question_flag"
        " WHERE participant_id IS NOT NULL GROUP BY participant_id, question_id) AS firsts)"
    )
    with op.batch_alter_table("question_flag", schema=None) as batch_op:
        batch_op.create_index(
            "uq_question_flag_participant_question", ["participant_id", "question_id"], unique=True
        )


def downgrade():
    with op.batch_alter_table("question_flag", schema=None) as batch_op:
        batch_op.drop_index("uq_question_flag_participant_question")
