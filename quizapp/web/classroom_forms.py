"""Forms of classroom sessions: the teacher's session options, the students' join and flag forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.domain.sessions import MAX_FLAG_COMMENT, MAX_NAME, ExtraTime
from quizapp.web.forms import QuizChoicesForm

PACING_CHOICES = [
    SelectChoice("student", "Student-paced: each student goes through the quiz at their own speed"),
    SelectChoice("teacher", "Teacher-paced: you open one question at a time for everyone, on the projector"),
]


class SessionCreateForm(QuizChoicesForm):
    """Which questions a session asks, and how it runs."""

    title = StringField("Session name (optional)", validators=[Length(max=300)])
    pacing = RadioField("Pacing", choices=PACING_CHOICES, default="student", validators=[InputRequired()])
    question_seconds = IntegerField(
        "Time per question, in seconds (teacher-paced; empty: no limit)",
        validators=[Optional(), NumberRange(5, 600, "Choose between 5 and 600 seconds, or leave it empty.")],
    )
    quiz_minutes = IntegerField(
        "Time for the whole quiz, in minutes (student-paced; empty: no limit)",
        validators=[Optional(), NumberRange(1, 180, "Choose between 1 and 180 minutes, or leave it empty.")],
    )
    shuffle = BooleanField("Shuffle the questions and the choices for each student", default=True)
    show_answers = BooleanField(
        "Show students the correct answers and explanations when the session closes", default=True
    )
    late_join = BooleanField("Let students join after the start", default=True)
    leaderboard = BooleanField("Show a leaderboard between questions (teacher-paced)", default=False)
    hide_names = BooleanField("Hide names on the leaderboard (shows ranks and scores only)", default=False)
    hints = BooleanField(
        "Offer hints from the text (student-paced; each hint taken lowers that question's points)",
        default=False,
    )
    certainty = BooleanField(
        "Certainty-based marking (student-paced; students say how sure they are of each answer, and the "
        "reports show how well they judge it)",
        default=False,
    )

    def time_limit(self) -> int:
        """The time limit in seconds for the pacing chosen (0: none)."""
        if self.pacing.data == "teacher":
            return int(self.question_seconds.data or 0)
        return int(self.quiz_minutes.data or 0) * 60


class JoinForm(FlaskForm):
    """A student joins with the code on the board and a name."""

    code = StringField(
        "Join code",
        validators=[InputRequired("Type the code shown by your teacher."), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    name = StringField(
        "Your name",
        validators=[InputRequired("Type the name your teacher will see."), Length(max=60)],
        render_kw={"autocomplete": "nickname", "maxlength": MAX_NAME},
    )


class FlagForm(FlaskForm):
    """'This question looks wrong', with a short comment."""

    comment = TextAreaField(
        "What looks wrong? (optional)",
        validators=[Length(max=MAX_FLAG_COMMENT, message=f"Use at most {MAX_FLAG_COMMENT} characters.")],
    )


class StepForm(FlaskForm):
    """A control button of a teacher-paced session; `position` is the question the teacher saw; `anyway`
    ("yes") goes on while students with extra time still answer (their time ends)."""

    position = HiddenField()
    anyway = HiddenField()


EXTRA_TIME_CHOICES = [
    SelectChoice(ExtraTime.NONE.value, "None: the session's time limit"),
    SelectChoice(ExtraTime.HALF.value, "×1.5: half as long again"),
    SelectChoice(ExtraTime.DOUBLE.value, "×2: twice as long"),
    SelectChoice(ExtraTime.NO_LIMIT.value, "No time limit"),
]


class ExtraTimeSetForm(FlaskForm):
    """A student's extra time in a session (WCAG 2.2.1: a time limit the user can extend or turn off)."""

    extra_time = RadioField(
        "Extra time",
        choices=EXTRA_TIME_CHOICES,
        validators=[InputRequired("Choose the extra time: none, ×1.5, ×2 or no time limit.")],
    )
