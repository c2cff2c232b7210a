"""Forms of the question editor: the fields every question has, then each type's own (rows of choices,
accepted answers, items, pairs...). Rows are plain sub-forms; spare empty rows are ignored when saving."""

from __future__ import annotations

from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import TextAreaField
from wtforms.validators import Length, ValidationError

from quizapp.domain.authoring import LONG_TEXT, MAX_ROWS, ROW_LISTS, SHORT_TEXT, Errors
from quizapp.domain.questions import QuestionType

FORMAT_CHOICES = [SelectChoice("plain", "Plain text"), SelectChoice("html", "HTML")]
DIFFICULTY_CHOICES = [SelectChoice("1", "Easy"), SelectChoice("2", "Medium"), SelectChoice("3", "Hard")]
TRUTH_CHOICES = [SelectChoice("true", "True"), SelectChoice("false", "False")]
MORE_ROWS = 3
SHORT, LONG = SHORT_TEXT, LONG_TEXT  # the domain's limits (imports apply them too)


def _short(label: str) -> StringField:
    return StringField(label, validators=[Length(max=SHORT)])


class ChoiceRowForm(Form):
    """One choice: its text, optional weight (partial credit) and feedback."""

    text = TextAreaField("Text", validators=[Length(max=SHORT)], render_kw={"rows": 2})
    weight = _short("Weight %")
    feedback = _short("Feedback if chosen (optional)")


class AcceptedAnswerRowForm(Form):
    """One accepted answer of a fill-in question, with optional weight and feedback."""

    text = _short("Accepted answer")
    weight = _short("Weight %")
    feedback = _short("Feedback (optional)")


class AlternativeRowForm(Form):
    """Another number that earns part of the credit."""

    value = _short("Value")
    tolerance = _short("Tolerance ±")
    weight = _short("Credit %")


class PairRowForm(Form):
    """A left-hand item and its match."""

    left = _short("Item")
    right = _short("Its match")


class QuestionEditForm(FlaskForm):
    """What every question has: title, prompt and format, explanation, topics, difficulty, quoted source."""

    title = _short("Title (optional, shown only to you)")
    prompt = TextAreaField("Question text", validators=[Length(max=LONG)], render_kw={"rows": 4})
    format = RadioField("Text format", choices=FORMAT_CHOICES, default="plain")
    explanation = TextAreaField(
        "Explanation (optional: shown after answering, whatever the answer)",
        validators=[Length(max=LONG)],
        render_kw={"rows": 3},
    )
    topics = StringField("Topics (optional, separated by commas)", validators=[Length(max=SHORT)])
    difficulty = RadioField("Difficulty", choices=DIFFICULTY_CHOICES, default="2")
    source = TextAreaField("Quoted source (optional)", validators=[Length(max=SHORT)], render_kw={"rows": 3})
    action = HiddenField()  # sent by the pressed button: save, another (save and add another) or more (rows)

    qtype: ClassVar[QuestionType]  # set by each type's form; FORMS finds them by it

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.list_errors: Errors = {}

    def row_lists(self) -> dict[str, FieldList]:
        """This type's lists of rows, by field name."""
        return {name: getattr(self, name) for name in ROW_LISTS.get(self.qtype, {})}

    def pad_rows(self, spare: int = 2, minimum: int = 4) -> None:
        """Show `spare` empty rows after the filled ones, and at least `minimum` rows in all."""
        for rows in self.row_lists().values():
            filled = sum(1 for entry in rows.entries if _filled(entry.data))
            self._grow(rows, max(minimum, filled + spare) - len(rows.entries))

    def rows_in_use(self, name: str, key: str | None = None) -> bool:
        """Whether list `name`'s rows (only their `key` field, if given) hold anything typed or any error:
        the "More options" that hold them are shown open then."""
        if self.list_errors.get(name):
            return True
        for entry in getattr(self, name).entries:
            field = entry.form[key] if key else entry
            if _filled(field.data) or field.errors:
                return True
        return False

    def add_rows(self, count: int = MORE_ROWS) -> None:
        """`count` more empty rows in every list (the "More rows" button)."""
        for rows in self.row_lists().values():
            self._grow(rows, count)

    @staticmethod
    def _grow(rows: FieldList, count: int) -> None:
        for _ in range(min(count, MAX_ROWS - len(rows.entries))):
            rows.append_entry()

    def values(self) -> dict[str, object]:
        """The fields' values, for the service (buttons and the token left out)."""
        return {name: value for name, value in self.data.items() if name not in ("csrf_token", "action")}

    def show_errors(self, errors: Errors) -> None:
        """Put each error beside its field (a whole list's in `list_errors`, the rest in form_errors)."""
        fields = dict(_leaf_fields(self))
        for name, messages in errors.items():
            if name in self.row_lists() or name == "correct":  # shown above the rows they are about
                self.list_errors.setdefault(name, []).extend(messages)
            elif name in fields:
                fields[name].errors = [*fields[name].errors, *messages]
            else:
                self.form_errors.extend(messages)

    def all_errors(self) -> list[tuple[str, str]]:
        """Every error on the page as (id of the element to go to, message), for the summary at the top."""
        found = [(_target(field), message) for _, field in _leaf_fields(self) for message in field.errors]
        lists = next(iter(self.row_lists()), "")
        found += [
            (lists if name == "correct" else name, message)
            for name, messages in self.list_errors.items()
            for message in messages
        ]
        found.sort(key=lambda error: _page_rank(error[0]))
        return found + [("", message) for message in self.form_errors]

    @property
    def has_errors(self) -> bool:
        """Whether any error is shown."""
        return bool(self.all_errors())


_BEFORE, _AFTER = ("title", "prompt", "format"), ("explanation", "topics", "difficulty", "source")


def _page_rank(element_id: str) -> int:
    """Where a field is on the page: the common fields first and last, the type's own in between (stable)."""
    name = element_id.split("-")[0]
    if name in _BEFORE:
        return _BEFORE.index(name)
    return len(_BEFORE) + 1 + _AFTER.index(name) if name in _AFTER else len(_BEFORE)


def _target(field: object) -> str:
    """The element an error link leads to: the field, or the first option of a group of radio buttons."""
    return f"{field.id}-0" if isinstance(field, RadioField) else field.id  # type: ignore[attr-defined]


def _filled(data: object) -> bool:
    if isinstance(data, dict):
        return any(str(v or "").strip() for v in data.values())
    return bool(str(data or "").strip())


def _leaf_fields(form: Form) -> list[tuple[str, object]]:
    """Every input field of a form, rows included, by its name (e.g. 'choices-2-weight')."""
    found = []
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                found += _leaf_fields(entry.form) if isinstance(entry, FormField) else [(entry.name, entry)]
        elif field.type not in ("CSRFTokenField",):
            found.append((field.name, field))
    return found


class ChoiceQuestionForm(QuestionEditForm):
    """Single or multiple choice: rows of choices; `correct` holds the indexes of the rows marked right."""

    choices = FieldList(FormField(ChoiceRowForm), max_entries=MAX_ROWS)
    correct = SelectMultipleField("Correct", choices=[], validate_choice=False)


class SingleChoiceForm(ChoiceQuestionForm):
    """One right choice (a radio button per row)."""

    qtype = QuestionType.SINGLE_CHOICE


class MultipleChoiceForm(ChoiceQuestionForm):
    """Several right choices (a checkbox per row)."""

    qtype = QuestionType.MULTIPLE_CHOICE


class TrueFalseForm(QuestionEditForm):
    """A statement, whether it is true, and feedback for each answer."""

    qtype = QuestionType.TRUE_FALSE
    truth = RadioField("The statement is", choices=TRUTH_CHOICES, validate_choice=False)
    feedback_true = _short("Feedback when the student answers True (optional)")
    feedback_false = _short("Feedback when the student answers False (optional)")


class FillBlankForm(QuestionEditForm):
    """A prompt with ___ and the answers accepted for the blank."""

    qtype = QuestionType.FILL_BLANK
    answers = FieldList(FormField(AcceptedAnswerRowForm), max_entries=MAX_ROWS)


class NumericForm(QuestionEditForm):
    """A number with a tolerance, and other numbers that earn part of the credit."""

    qtype = QuestionType.NUMERIC
    number = _short("Answer (a number)")
    tolerance = _short("Tolerance ± (optional)")
    alternatives = FieldList(FormField(AlternativeRowForm), max_entries=MAX_ROWS)


class OrderingForm(QuestionEditForm):
    """Items, written in the right order (students see them shuffled)."""

    qtype = QuestionType.ORDERING
    items = FieldList(_short("Item"), max_entries=MAX_ROWS)


class MatchingForm(QuestionEditForm):
    """Pairs to match, and extra wrong matches to choose from."""

    qtype = QuestionType.MATCHING
    pairs = FieldList(FormField(PairRowForm), max_entries=MAX_ROWS)
    distractors = FieldList(_short("Extra wrong match"), max_entries=MAX_ROWS)


class DescriptionForm(QuestionEditForm):
    """Text shown in a quiz, with no answer and no points."""

    qtype = QuestionType.DESCRIPTION


class SortRowForm(Form):
    """An item to sort and the group it belongs in (typed: one of the groups)."""

    item = _short("Item")
    group = _short("Its group")


class CategoriseForm(QuestionEditForm):
    """2 to 4 groups, and items each with its group (students sort them with a radio button per group)."""

    qtype = QuestionType.CATEGORISE
    groups = FieldList(_short("Group"), max_entries=MAX_ROWS)
    sorts = FieldList(FormField(SortRowForm), max_entries=MAX_ROWS)


class EssayForm(QuestionEditForm):
    """Free text a teacher marks: an optional word limit, marking guide and template for the answer box."""

    qtype = QuestionType.ESSAY
    word_limit = StringField(
        "Word limit (optional)", validators=[Length(max=20)], render_kw={"inputmode": "numeric"}
    )
    marking_guide = TextAreaField(
        "Marking guide (optional: shown only to you while marking)",
        validators=[Length(max=LONG)],
        render_kw={"rows": 4},
    )
    response_template = TextAreaField(
        "Answer box starts with (optional)", validators=[Length(max=LONG)], render_kw={"rows": 3}
    )


class EvidenceForm(ChoiceQuestionForm):
    """A single-choice answer, and the sentences of the set's text that prove it (one a line)."""

    qtype = QuestionType.EVIDENCE
    evidence = TextAreaField(
        "Sentences that prove the answer", validators=[Length(max=LONG)], render_kw={"rows": 4}
    )
    passage = HiddenField()  # the sentences offered, kept while the question is edited


class ClozeForm(QuestionEditForm):
    """A text with gaps in Moodle's embedded-answers syntax: the prompt is the whole question."""

    qtype = QuestionType.CLOZE


def _type_forms(base: type[QuestionEditForm]) -> dict[QuestionType, type[QuestionEditForm]]:
    """Every editor form that names its question type (`qtype`), found among `base`'s subclasses."""
    found = {}
    for form in base.__subclasses__():
        found.update(_type_forms(form))
        if "qtype" in vars(form):
            found[form.qtype] = form
    return found


FORMS = _type_forms(QuestionEditForm)  # a new type's form is found here once it is defined in this module


class QuestionDeleteForm(FlaskForm):
    """Delete a question (only its CSRF token)."""


class QuestionMoveForm(FlaskForm):
    """Move a question one place up or down."""

    direction = HiddenField()

    def validate_direction(self, field: HiddenField) -> None:
        """Only up and down."""
        if field.data not in ("up", "down"):
            raise ValidationError("Move up or down.")
