"""The class the report tests run through the services (6 students, 4 questions, no shuffling; see
test_class_reports.py for the hand-computed results): its text, questions, right answers and each student's
answers, and `run_session`, which runs it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import ClassSession, Participant, QuestionSet, Teacher
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import save_answer
from quizapp.services.classroom import (
    SessionOptions,
    create_session,
    flag_question,
    join_session,
    remove_participant,
)
from quizapp.services.learners import ensure_learner
from quizapp.services.session_flow import close_session, start_session
from tests.services.indexed_forms import as_sent
from tests.unit.factories import make_question

FIRST = (
    "On Tuesday, the Chang’e 6 probe, which landed on the far side of the moon, proudly displayed a "
    "Chinese flag."
)


SECOND = "This significant event was shared by China Daily."


SAMPLES = "The samples came back to Earth in June."


TEXT = f"{FIRST} {SECOND}\n{SAMPLES} Scientists are studying them now. More missions will follow."


QUESTIONS = [
    make_question("single_choice", id="outlet"),  # China Daily (0), Global Times (1), CGTN (2); quotes SECOND
    make_question("true_false", id="june", prompt="The samples came back in June.", source=SAMPLES),
    make_question("multiple_choice", id="shown", prompt="What did the probe show?", source=FIRST),
    make_question("fill_blank", id="shared"),  # "The event was shared by ___."; quotes SECOND
]


# The teacher names all four: a draw would not ask 'outlet' and 'shared' together (one sentence; outlet's
# choices show shared's answer).
CHOSEN = QuizSpec(count=10, question_ids=frozenset(str(q["id"]) for q in QUESTIONS))


Form = dict[str, list[str]]


RIGHT: dict[int, Form] = {
    1: {"answer": ["0"]},
    2: {"answer": ["true"]},
    3: {"answer": ["0", "1"]},
    4: {"answer": ["China Daily"]},
}


CLASS: dict[str, dict[int, Form]] = {
    "Ana": {**RIGHT, 2: {"answer": ["false"]}},
    "Ben": {**RIGHT, 2: {"answer": ["false"]}},
    "Cai": {**RIGHT, 3: {"answer": ["0"]}},
    "Dev": {**RIGHT, 1: {"answer": ["1"]}, 3: {"answer": ["0"]}},
    "Eli": {**RIGHT, 1: {"answer": ["2"]}, 3: {"answer": ["2"]}},
    "Fay": {2: RIGHT[2], 4: {"answer": ["china daily"]}},
}


def run_session(
    teacher: Teacher,
    question_set: QuestionSet,
    answers: Mapping[str, Mapping[int, Form]],
    *,
    flags: Mapping[str, tuple[int, str]] | None = None,
    removed: Mapping[str, Mapping[int, Form]] | None = None,
    close: bool = True,
    title: str = "",
    spec: QuizSpec = CHOSEN,
) -> ClassSession:
    """A student-paced session where each student joins, answers, maybe flags; `removed` students answer and
    flag too, then the teacher removes them; then the session closes."""
    session, _ = create_session(teacher, question_set, spec, SessionOptions(shuffle=False), title)
    joined: dict[str, tuple[Participant, Any]] = {}
    for name in [*answers, *(removed or {})]:
        learner = ensure_learner(None)
        joined[name] = (join_session(session, learner, name), learner)
    assert start_session(session)
    for name, forms in {**answers, **(removed or {})}.items():
        participant, learner = joined[name]
        view = load_attempt(participant.attempt.public_id, learner)
        for position, form in forms.items():
            assert save_answer(view, position, as_sent(view.slot(position), form))
    for name, (position, comment) in (flags or {}).items():
        flag_question(joined[name][0], position, comment)
    for name in removed or {}:
        remove_participant(session, joined[name][0].id)
    if close:
        assert close_session(session)
    db.session.expire_all()  # as the next request would
    return session
