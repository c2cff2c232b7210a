"""Forms of the learner's pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.domain.generation import MAX_COUNT
from quizapp.domain.question_types import SCORED_TYPES, TYPE_LABELS
from quizapp.domain.sessions import MAX_NAME, InvalidName, clean_display_name

MODE_CHOICES = [
    SelectChoice("practice", "Practice: see if you were right after each question"),
    SelectChoice("test", "Test: see your score and the answers at the end"),
]
DIFFICULTY_CHOICES = [SelectChoice("1", "Easy"), SelectChoice("2", "Medium"), SelectChoice("3", "Hard")]


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (one per choice) instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizChoicesForm(FlaskForm):
    """Which questions a quiz asks: how many, on what, how hard (the start form and a class session's)."""

    count = IntegerField(
        "Number of questions",
        default=10,
        validators=[
            InputRequired("Say how many questions you want."),
            NumberRange(1, MAX_COUNT, f"Choose between 1 and {MAX_COUNT} questions."),
        ],
    )
    topics = MultiCheckboxField("Topics (none ticked: a mix of all)", choices=[], validate_choice=True)
    difficulties = MultiCheckboxField("Difficulty (none ticked: any)", choices=DIFFICULTY_CHOICES)
    types = MultiCheckboxField(
        "Question types (none ticked: any)",
        choices=[SelectChoice(t.value, TYPE_LABELS[t]) for t in SCORED_TYPES],
    )


class QuizStartForm(QuizChoicesForm):
    """What quiz to generate, and in which mode."""

    mode = RadioField(
        "Mode",
        choices=MODE_CHOICES,
        default="practice",
        validators=[InputRequired("Choose practice or test.")],
    )


class NamedQuizStartForm(QuizStartForm):
    """The start form of a share link that asks each student for a name (cleaned like a class's names)."""

    student_name = StringField(
        "Your name",
        validators=[InputRequired("Type your name: your teacher sees it with your answers.")],
        render_kw={"autocomplete": "nickname", "maxlength": MAX_NAME, "required": True},
    )

    def validate_student_name(self, field: StringField) -> None:
        """A readable name of at most MAX_NAME characters, kept as shown."""
        try:
            field.data = clean_display_name(field.data)
        except InvalidName as exc:
            raise ValidationError(str(exc)) from exc


class QuestionSelectionForm(FlaskForm):
    """A practice quiz on given questions (a sentence's questions, or one's mistakes)."""

    question_ids = HiddenField(validators=[InputRequired()])
    mode = HiddenField(default="practice")
    from_attempt = (
        HiddenField()
    )  # the attempt whose set the questions come from (default: the article's bank)

    def validate_mode(self, field: HiddenField) -> None:
        """Only the two modes exist."""
        if field.data not in ("practice", "test"):
            raise ValidationError("Unknown mode.")


class LearnerNameForm(FlaskForm):
    """The name shown on one's results (optional)."""

    display_name = StringField("Your name (optional, shown only to you)", validators=[Length(max=60)])
