"""The registry of question types: one module per type, each exporting `KIND` (a QuestionKind).

To add a type: write its module here and add it to `_MODULES`, add its name to QuestionType, its template
partials in templates/question_types/<type>/, its editor form (quizapp/web/editor_forms.py) and its docs
(docs/question-format.md, "How to add a question type"). tests/unit/test_question_types.py fails while
any part is missing.
"""

from __future__ import annotations

from types import MappingProxyType

from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.question_types import (
    categorise,
    cloze,
    description,
    essay,
    evidence,
    fill_blank,
    matching,
    multiple_choice,
    numeric,
    ordering,
    single_choice,
    true_false,
)
from quizapp.domain.question_types.base import QuestionKind
from quizapp.domain.questions import Question, QuestionType

_MODULES = (
    single_choice,
    multiple_choice,
    true_false,
    fill_blank,
    numeric,
    ordering,
    matching,
    categorise,
    evidence,
    essay,
    cloze,
    description,
)
KINDS: MappingProxyType[QuestionType, QuestionKind] = MappingProxyType(
    {m.KIND.name: m.KIND for m in _MODULES}
)
TYPE_LABELS = MappingProxyType({name: kind.label for name, kind in KINDS.items()})
# The types a quiz's filters offer: scored when saved (an essay waits for a teacher: never in the bank).
SCORED_TYPES = tuple(name for name, kind in KINDS.items() if kind.scored and kind.auto_scored)


def kind_of(what: Question | QuestionType | str) -> QuestionKind:
    """The type object of a question, a QuestionType or a type's name; KeyError for an unknown name."""
    name = what.type if isinstance(what, Question) else QuestionType(what)
    return KINDS[name]


def moodle_kind(moodle: MoodleQuestion) -> QuestionKind | None:
    """The type that reads this Moodle question (one that lists its Moodle type and reads it); None when
    quizapp has none (the question is skipped)."""
    readers = (k for k in KINDS.values() if moodle.moodle_type in k.moodle_types and k.reads_moodle(moodle))
    return next(readers, None)
