"""Forms of the teacher's set pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.domain.set_file import MAX_DESCRIPTION, MAX_SOURCE_TEXT
from quizapp.web.forms import MultiCheckboxField


class QuestionSetForm(FlaskForm):
    """A set's title, description and optional source text."""

    title = StringField("Title", validators=[InputRequired("Give the set a title."), Length(max=300)])
    description = TextAreaField("Description (optional)", validators=[Length(max=MAX_DESCRIPTION)])
    source_text = TextAreaField(
        "Source text (optional)",
        description="Paste the reading your questions are about, one paragraph per line. "
        "Each question can then "
        "quote the sentence that proves its answer, and learners see that quote.",
        validators=[Length(max=MAX_SOURCE_TEXT)],
    )
    hints = BooleanField(
        "Hints from the text",
        default=True,
        description="In practice quizzes, students who are stuck may ask for hints from the text, one step "
        "at a time: where to look, the sentence with the answer hidden, the sentence. Each step lowers what "
        "the question can earn (to 75%, 50%, 25%), and the page says so before they ask. Tests and class "
        "sessions never offer hints.",
    )
    certainty_marking = BooleanField(
        "Certainty-based marking",
        default=False,
        description="With each answer, students say how sure they are (C=1, C=2 or C=3, as in Moodle): a "
        "right answer earns 1, 2 or 3, a wrong one 0, -2 or -6. The results show their CBM marks, accuracy "
        "and bonus. Practice and tests; class sessions do not ask.",
    )


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (duplicate, share, stop sharing)."""


class BankCopyForm(FlaskForm):
    """Questions of the article's bank to copy into a set."""

    question_ids = SelectMultipleField(
        "Questions to copy",
        choices=[],
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class BankFilterForm(FlaskForm):
    """Which of the bank's questions to list (GET form, no CSRF needed)."""

    class Meta:
        csrf = False

    topics = MultiCheckboxField("Topics", choices=[])
    types = MultiCheckboxField("Types", choices=[])
    difficulties = MultiCheckboxField("Difficulty", choices=[])
