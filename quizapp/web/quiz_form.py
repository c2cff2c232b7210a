"""Building the quiz-start form for a set (its topic choices come from the set)."""

from __future__ import annotations

from wtforms import SelectChoice

from quizapp.domain.generation import QuizPlan, QuizSpec
from quizapp.domain.question_types import TYPE_LABELS
from quizapp.domain.questions import QuestionType
from quizapp.models import QuestionSet
from quizapp.services.question_sets import set_topics, set_types
from quizapp.web.forms import QuizChoicesForm, QuizStartForm

TOPIC_LABELS = {
    "chang-e-3": "Chang’e-3",
    "chang-e-4": "Chang’e-4",
    "chang-e-5": "Chang’e-5",
    "chang-e-6": "Chang’e-6",
    "chang-e-7": "Chang’e-7",
    "chang-e-8": "Chang’e-8",
    "xi-jinping": "Xi Jinping",
}


def topic_label(tag: str) -> str:
    """A topic tag in words: 'chang-e-4' -> 'Chang’e-4', 'launch-vehicle' -> 'Launch vehicle'."""
    return TOPIC_LABELS.get(tag, tag.replace("-", " ").capitalize())


def quiz_start_form(
    question_set: QuestionSet, form_class: type[QuizStartForm] = QuizStartForm
) -> QuizStartForm:
    """The start form (of `form_class`) with the set's topics as choices."""
    form = form_class()
    form.topics.choices = [SelectChoice(t, topic_label(t)) for t in set_topics(question_set)]
    form.types.choices = type_choices(question_set)
    return form


def type_choices(question_set: QuestionSet) -> list[SelectChoice]:
    """The type filter's choices: the scored types the set has, by their labels."""
    return [SelectChoice(t, TYPE_LABELS[QuestionType(t)]) for t in set_types(question_set)]


def size_note(plan: QuizPlan, asked: int, what: str = "your quiz") -> str | None:
    """What to tell whoever asked for `asked` questions when the plan has fewer (too few match, or some would
    give each other away: `plan.left_out`); None when it has them all."""
    given, matching = len(plan.questions), len(plan.questions) + plan.left_out
    if not plan.shortfall:
        return None
    why = "the others would give away their answers (they quote the same sentence, or show the answer)"
    if not plan.left_out:
        return f"Only {_questions(given, 'matches', 'match')} your choices, so {what} has {given}."
    if matching < asked:
        fit = _questions(matching, "matches", "match")
        return f"Only {fit} your choices, and {given} can be asked together: {why}."
    return f"{what[0].upper()}{what[1:]} has {_questions(given)}, not {asked}: {why}."


def _questions(count: int, one: str = "", many: str = "") -> str:
    """'1 question matches', '3 questions match' (or without the verb)."""
    words = f"{count} question{'' if count == 1 else 's'}"
    verb = one if count == 1 else many
    return f"{words} {verb}" if verb else words


def spec_from_form(form: QuizChoicesForm) -> QuizSpec:
    """The quiz the (validated) form asks for."""
    return QuizSpec(
        count=form.count.data,
        topics=frozenset(form.topics.data or ()),
        difficulties=frozenset(int(d) for d in form.difficulties.data or ()),
        types=frozenset(QuestionType(t) for t in form.types.data or ()),
    )
