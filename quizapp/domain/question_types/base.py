"""What every question type declares: one class per type (quizapp/domain/question_types/<type>.py).

A type says how its answer is written in a file and checked, how it is read from the submitted form, stored,
scored and shown back in words, which feedback and marks a learner sees, how reports count its answers, and
which texts give its answer away (domain/overlap.py). The generic modules (questions, answers, scoring,
feedback, analysis, overlap) ask the type through the registry (`kind_of`); none branches on a type.

Form fields are named and valued by the slot's opaque tokens (domain/answer_tokens.py), never by authored
indexes, so a page says nothing about the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from quizapp.domain import DomainError
from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.article import normalise
from quizapp.domain.questions import Answer, Problem, Question, QuestionType, finite_numbers

if TYPE_CHECKING:
    from quizapp.domain.article import Article
    from quizapp.domain.formats.model import MoodleQuestion
    from quizapp.domain.question_types._moodle import MoodleTexts, Warnings
    from quizapp.domain.question_types.editing import Draft, Values

Form = Mapping[str, Sequence[str]]
Raw = Mapping[str, Any]
Clue = tuple[str, ...]  # phrases that together state an answer (domain/overlap.py turns them into words)
MAX_TEXT = 200
_FORMAT_NAMES = {"moodle-xml": "Moodle XML", "gift": "GIFT", "aiken": "Aiken"}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class InvalidAnswer(DomainError):
    """The submitted fields are not a possible answer to the question; the message says what to do."""


class NoAnswer(DomainError):
    """Nothing was answered (the learner skipped the question)."""


@dataclass(frozen=True)
class Mark:
    """One choice, item or pair of an answer: `kind` is right, wrong, partial, missed (a right choice left
    out) or none (not chosen, rightly); `note` says it in words, so the mark never relies on colour."""

    text: str
    kind: str
    note: str


def normalise_text_answer(text: str) -> str:
    """The form typed answers are compared in: case, outer spaces and curly/straight quotes ignored."""
    return normalise(text).casefold()


def parse_number(text: str) -> float:
    """Read a typed number: `200`, `-3.5`, `3,5` (decimal comma), `1,000` (thousands); else InvalidAnswer."""
    compact = re.sub(r"[\s\u202f\u00a0]", "", text)
    if _THOUSANDS.match(compact):
        return float(compact.replace(",", ""))
    if _NUMBER.match(compact):
        return float(compact.replace(",", "."))
    raise InvalidAnswer(f"“{text}” is not a number. Type digits only, like 200 or 3.5.")


def typed_text(form: Form, name: str = "answer") -> str:
    """The one text typed in field `name`, stripped; NoAnswer when blank, InvalidAnswer when too long."""
    values = form.get(name) or []
    if len(values) > 1:
        raise InvalidAnswer("Give one answer only.")
    text = values[0].strip() if values else ""
    if not text:
        raise NoAnswer()
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(f"Keep the answer under {MAX_TEXT} characters.")
    return text


def chosen(index: int | None) -> int:
    """An index a token stood for; InvalidAnswer for a token the slot never gave out."""
    if index is None:
        raise InvalidAnswer("That choice is not one of this question's options.")
    return index


def extra_options_problems(qid: str, raw: Raw, allowed: bool) -> list[Problem]:
    """`extra_options`: distractors of a matching question, each a new right-hand text."""
    extra = raw.get("extra_options")
    if extra in (None, []):
        return []
    if (
        allowed
        and isinstance(extra, list)
        and all(isinstance(e, str) and e.strip() for e in extra)
        and not set(extra) & {p[1] for p in raw["answer"]}
        and len(set(extra)) == len(extra)
    ):
        return []
    return [
        Problem(
            qid,
            "extra_options must be new right-hand texts of a matching question",
            "list distractors that differ from every right-hand item",
        )
    ]


def alternatives_problems(qid: str, raw: Raw, allowed: bool) -> list[Problem]:
    """`alternatives`: a number question's [value, tolerance, weight] answers for part credit."""
    alternatives = raw.get("alternatives")
    if alternatives in (None, []):
        return []
    if (
        allowed
        and isinstance(alternatives, list)
        and all(finite_numbers(a) and len(a) == 3 and a[1] >= 0 and 0 < a[2] <= 1 for a in alternatives)
    ):
        return []
    return [
        Problem(
            qid,
            "alternatives must be [value, tolerance, weight] triples (numeric only)",
            "weight between 0 and 1, e.g. [1822, 2, 0.5]",
        )
    ]


class QuestionKind:
    """One question type. Subclasses set the class attributes and implement the methods that raise
    NotImplementedError; the registry test (tests/unit/test_question_types.py) checks every part is there."""

    name: ClassVar[QuestionType]
    label: ClassVar[str]  # what teachers and learners read: "Single choice"
    scored: ClassVar[bool] = True  # asks for an answer (a description does not)
    typed: ClassVar[bool] = False  # the learner types the answer (shown back as plain text, not rich text)
    choice_like: ClassVar[bool] = False  # options lettered A, B, C; authored order kept when not shuffled
    uses_choices: ClassVar[bool] = False  # the question's `choices` field is part of it
    avoid_solved_start: ClassVar[bool] = False  # a shuffled start must not already be the key (ordering)
    auto_scored: ClassVar[bool] = True  # scored when saved; False: a teacher marks it (an essay: no key)
    key_in_prompt: ClassVar[bool] = False  # the prompt holds the key (cloze gaps): `answer` may be left out

    # ---- the file form: checking, building, writing back (docs/question-format.md)

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        """Problems with `answer` (and the fields it depends on); `least` choices/items/pairs are needed."""
        raise NotImplementedError

    def aligned_count(self, raw: Raw) -> int:
        """How many feedback texts (and weights) the question takes: one per choice or accepted answer."""
        return 0

    def check_weights(self, qid: str, raw: Raw, weights: Sequence[float], aligned: int) -> list[Problem]:
        """Problems with author `weights` (already known to be numbers); types without weights refuse them."""
        return [Problem(qid, "weights only apply to choice and fill-in questions", "remove 'weights'")]

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        """Problems with the optional fields only some types take (extra_options, alternatives)."""
        return extra_options_problems(qid, raw, allowed=False) + alternatives_problems(
            qid, raw, allowed=False
        )

    def build_answer(self, raw: Raw) -> Answer:
        """The answer of a checked file dict, in the type's shape."""
        raise NotImplementedError

    def answer_to_raw(self, question: Question) -> Any:
        """The answer in the file form (what build_answer reads back)."""
        answer = question.answer
        return list(answer) if isinstance(answer, tuple) else answer

    def items(self, question: Question) -> tuple[str, ...]:
        """What the learner picks from or arranges (the slot's item order shuffles these)."""
        return ()

    def match_options(self, question: Question) -> tuple[str, ...]:
        """A second list the learner picks from for each item (the slot's option order shuffles these)."""
        return ()

    # ---- taking: the form, the stored answer, the answer in words

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        """The answer the form gives; NoAnswer when left empty, InvalidAnswer when impossible."""
        raise NotImplementedError

    def answer_from_json(self, stored: Any) -> Answer:
        """The answer back from its stored JSON form."""
        return tuple(stored) if isinstance(stored, list) else stored

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        """What the answer partial shows as already given (a revisited question)."""
        return {"selected": {answer}, "text": str(answer)}

    def key_answer(self, question: Question) -> Answer:
        """An answer that earns the whole point, as a learner would give it."""
        return question.answer

    def in_words(self, question: Question, answer: Answer) -> str:
        """An answer as a learner reads it on the results page."""
        return str(answer)

    def key_in_words(self, question: Question) -> str:
        """The key, in words."""
        return self.in_words(question, question.answer)

    # ---- scoring and feedback (docs/question-format.md, "Scoring")

    def score(self, question: Question, given: Answer) -> float:
        """Points in [0, 1] earned by `given`."""
        raise NotImplementedError

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        """The author's feedback texts for what was given (the question has feedback)."""
        return ()

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        """Each choice, item or pair marked right or wrong, in the order the learner saw them."""
        return ()

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        """How partial credit `worth` ("0.5 of 1 point") came about; None for the generic sentence."""
        return None

    # ---- the question editor (domain/authoring.py; the form is in quizapp/web/editor_forms.py)

    editor_lists: ClassVar[Mapping[str, tuple[str, ...]]] = {}  # list fields: the keys of their rows
    answer_field: ClassVar[str] = "prompt"  # the editor field where problems with the answer are shown
    list_field: ClassVar[str] = "choices"  # ... and problems with per-answer feedback or weights
    answer_missing: ClassVar[str] = ""  # what the editor says when no answer was given

    def from_form(self, draft: Draft, values: Values) -> None:
        """Fill `draft.question` with the type's fields from the editor's values; row errors in the draft."""
        raise NotImplementedError

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        """Add the editor's values for the type's fields of a stored question (from_form's inverse)."""
        raise NotImplementedError

    # ---- reports and clashes

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...] | None:
        """(label, value) of every answer bar drawn whether chosen or not; None: the commonest answers."""
        return None

    def picked_values(self, answer: Answer) -> tuple[Any, ...]:
        """The values of bar_values an answer counts towards."""
        return (answer,)

    def key_values(self, question: Question) -> tuple[Any, ...]:
        """The values of bar_values that are right."""
        return (question.answer,)

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """The texts that state the answer; a shown text holding every phrase of one clue gives it away."""
        return ()

    def shown_prompt(self, question: Question) -> str:
        """The prompt as a page may show it outside the answer fields (the projector, a waiting phone, a
        results page): the prompt itself, unless it holds the key (a cloze's gaps are blanked)."""
        return question.prompt

    # ---- Moodle's formats (domain/formats/mapping.py asks the type; docs/import-export.md)

    moodle_types: ClassVar[tuple[str, ...]] = ()  # Moodle's qtypes the type reads; it writes the first
    moodle_rich_answers: ClassVar[bool] = False  # Moodle holds its answer texts as HTML (choices, items)
    moodle_penalty: ClassVar[float] = 0.3333333  # Moodle's default penalty per wrong try for the type

    def reads_moodle(self, moodle: MoodleQuestion) -> bool:
        """Whether the type reads this question of one of its `moodle_types` (multichoice: single or not)."""
        return True

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The type's fields of the file dict (answer, choices, weights, feedback...) of a Moodle question,
        its texts made quizapp's by `texts`; NotMappable (question_types/_moodle.py) when quizapp cannot hold
        it as written; harmless changes appended to `warnings` as (message, hint)."""
        raise NotImplementedError(f"{self.label} questions have no Moodle equivalent")

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """Fill `moodle` (type, texts and kept fields already set) with the type's answers, so that
        from_moodle reads back the same question."""
        raise NotImplementedError(f"{self.label} questions have no Moodle equivalent")

    def not_exportable(self, question: Question, file_format: str) -> str:
        """Why `file_format` (moodle-xml, gift, aiken) cannot hold the question being of this type; '' when
        it can (the writers then check what the texts hold)."""
        label = self.label.lower()
        if file_format not in _FORMAT_NAMES:  # quizapp's own JSON holds every type (was a KeyError: 500)
            return ""
        if not self.moodle_types:
            return f"{_FORMAT_NAMES[file_format]} has no '{label}' questions (quizapp's JSON keeps them)."
        if file_format == "aiken":
            return f"Aiken holds single-choice questions only, not '{label}'."
        return ""

    # ---- the source text (domain/bank.py `with_source_text`, when the question's set has one)

    def from_text(self, raw: Raw, article: Article) -> Raw:
        """The file dict with what the type takes from its set's source text filled in (an evidence
        question's sentences to choose from); unchanged for most types."""
        return raw
