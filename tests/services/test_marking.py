"""Marking essays through the services: an answer awaits marking (no points, counted in `attempt.unmarked`,
left out of the item analysis), a mark updates the attempt's score at once, a new answer clears an old mark,
and only the group's own essay answers can be marked."""

from __future__ import annotations

import pytest
from flask import Flask

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, QuestionSet, Response, Teacher
from quizapp.services import NotFound, report_csv, teacher_sets
from quizapp.services import class_reports as reports
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import save_answer
from quizapp.services.marking import essay_questions, mark_answer, marking_queue
from tests.services.reported_class import QUESTIONS, RIGHT, TEXT, run_session
from tests.unit.factories import make_question

ESSAY = make_question("essay", id="why", source=QUESTIONS[1]["source"], word_limit=None)
SPEC = QuizSpec(count=3, question_ids=frozenset({"outlet", "june", "why"}))
ANSWERS = {
    "Ana": {1: RIGHT[1], 2: RIGHT[2], 3: {"answer": ["The far side: nobody had samples from there."]}},
    "Ben": {1: RIGHT[1], 2: {"answer": ["false"]}, 3: {"answer": ["It was in June."]}},
    "Cai": {1: {"answer": ["1"]}, 2: RIGHT[2]},  # left the essay empty
}


@pytest.fixture
def teacher(ctx: Flask) -> Teacher:
    from quizapp.services.accounts import create_teacher  # noqa: PLC0415

    return create_teacher("ada@school.org", "Ada", "correct horse battery")


@pytest.fixture
def essay_set(teacher: Teacher) -> QuestionSet:
    created = teacher_sets.create_set(teacher, "Essay reading", "", TEXT)
    teacher_sets.add_questions(created, [*QUESTIONS[:2], ESSAY])
    return created


def group_of(session: ClassSession) -> reports.AttemptGroup:
    return reports.AttemptGroup(session.question_set, session)


def attempt_of(session: ClassSession, name: str) -> Attempt:
    return db.session.scalar(
        db.select(Attempt)
        .join(Participant, Participant.attempt_id == Attempt.id)
        .where(Participant.session_id == session.id, Participant.display_name == name)
    )


def test_an_essay_awaits_marking_and_counts_nothing_yet(teacher: Teacher, essay_set: QuestionSet) -> None:
    session = run_session(teacher, essay_set, ANSWERS, spec=SPEC)
    ana, cai = attempt_of(session, "Ana"), attempt_of(session, "Cai")
    assert (ana.score, ana.unmarked, ana.max_score) == (2.0, 1, 3.0)
    assert (cai.score, cai.unmarked) == (1.0, 0)  # nothing written: not answered, nothing to mark
    stored = db.session.scalars(db.select(Response.points).where(Response.attempt_id == ana.id)).all()
    assert sorted(stored, key=lambda p: (p is not None, p)) == [None, 1.0, 1.0]

    report = reports.session_report(session)
    essay = report.items[2]
    assert essay.column.question.id == "why" and essay.awaiting == 2 and essay.answered == 2
    assert essay.stats.students == 1  # only Cai's skipped answer (0) counts until the essays are marked
    assert essay.bars == ()
    cells = {row.name: row.cells[2] for row in report.gradebook.rows}
    assert [cells[n].kind for n in ("Ana", "Ben", "Cai")] == ["awaiting", "awaiting", "skipped"]
    assert {row.name: row.awaiting for row in report.gradebook.rows} == {"Ana": 1, "Ben": 1, "Cai": 0}
    assert report.gradebook.marked_by_teacher
    [question] = essay_questions(group_of(session))
    assert (question.answers, question.marked, question.unmarked) == (2, 0, 2)


def test_marking_updates_the_score_the_gradebook_and_the_analysis(
    teacher: Teacher, essay_set: QuestionSet
) -> None:
    session = run_session(teacher, essay_set, ANSWERS, spec=SPEC)
    group = group_of(session)
    version = essay_questions(group)[0].column.version_id
    queue = marking_queue(group, version)
    assert [a.name for a in queue.answers] == ["Ana", "Ben"] and queue.next_unmarked(0) == 1
    mark_answer(group, version, queue.answers[0].response_id, 1.0, " Excellent. ", teacher)
    mark_answer(group, version, queue.answers[1].response_id, 0.25, "", teacher)
    db.session.expire_all()

    ana, ben = attempt_of(session, "Ana"), attempt_of(session, "Ben")
    assert (ana.score, ana.unmarked, ben.score, ben.unmarked) == (3.0, 0, 1.25, 0)
    response = db.session.get(Response, queue.answers[0].response_id)
    assert (response.points, response.comment, response.marked_by) == (1.0, "Excellent.", teacher.id)
    assert response.marked_at is not None
    assert db.session.get(Response, queue.answers[1].response_id).comment is None

    view = load_attempt(ana.public_id, ana.learner)
    assert view.slot(3).points == 1.0 and view.slot(3).comment == "Excellent." and not view.slot(3).awaiting
    report = reports.session_report(session)
    essay = report.items[2]
    assert essay.awaiting == 0 and essay.stats.students == 3
    assert essay.stats.facility == pytest.approx(100 * 1.25 / 3, abs=0.01)
    assert {r.name: r.total for r in report.gradebook.rows} == {"Ana": 3.0, "Ben": 1.25, "Cai": 1.0}
    csv_rows = report_csv.gradebook_csv(session).splitlines()
    assert csv_rows[0].endswith('"Awaiting marking (empty cells, not in the total)"')
    assert csv_rows[1].startswith("Ana,1,1,1,3,3,100,0")
    assert (
        marking_queue(group, version).marked == 2 and marking_queue(group, version).next_unmarked(1) is None
    )


def test_only_the_groups_own_essay_answers_can_be_marked(teacher: Teacher, essay_set: QuestionSet) -> None:
    session = run_session(teacher, essay_set, ANSWERS, spec=SPEC)
    other = run_session(teacher, essay_set, {"Zed": ANSWERS["Ana"]}, spec=SPEC)
    group = group_of(session)
    version = essay_questions(group)[0].column.version_id
    zed_response = marking_queue(group_of(other), version).answers[0].response_id
    with pytest.raises(NotFound):
        mark_answer(group, version, zed_response, 1.0, None, teacher)  # another session's answer
    choice_version = reports.gradebook(session).columns[0].version_id
    ana_choice = db.session.scalar(
        db.select(Response.id).where(
            Response.attempt_id == attempt_of(session, "Ana").id,
            Response.question_version_id == choice_version,
        )
    )
    with pytest.raises(NotFound):
        mark_answer(group, choice_version, ana_choice, 0.0, None, teacher)  # scored by the machine
    homework = reports.AttemptGroup(essay_set)
    with pytest.raises(NotFound):
        marking_queue(homework, version)  # no homework attempt asked it
    db.session.expire_all()
    assert attempt_of(other, "Zed").unmarked == 1 and attempt_of(session, "Ana").score == 2.0


def test_a_new_answer_clears_the_mark_while_the_quiz_is_open(
    teacher: Teacher, essay_set: QuestionSet
) -> None:
    session = run_session(teacher, essay_set, {"Ana": ANSWERS["Ana"]}, spec=SPEC, close=False)
    group = group_of(session)
    version = essay_questions(group)[0].column.version_id
    answer = marking_queue(group, version).answers[0]
    assert not answer.finished
    mark_answer(group, version, answer.response_id, 0.5, "Say more.", teacher)
    db.session.expire_all()
    attempt = attempt_of(session, "Ana")
    assert (attempt.unmarked, attempt.score) == (0, None)  # scored when the quiz finishes
    view = load_attempt(attempt.public_id, attempt.learner)
    assert save_answer(view, 3, {"answer": ["A longer answer, about the far side."]})
    db.session.expire_all()
    response = db.session.get(Response, answer.response_id)
    assert (response.points, response.comment, response.marked_at) == (None, None, None)
    assert attempt_of(session, "Ana").unmarked == 1
