"""The review queue: filled lazily from finished quizzes (wrong and partly right answers, per learner), a
review session across its due questions, and each review answer moving the question's schedule on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask

from quizapp.domain.questions import QuestionType
from quizapp.domain.sessions import Pacing
from quizapp.extensions import db
from quizapp.models import ClassSession, Question, ReviewCard, ReviewQueue, utc_now
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import finish_attempt
from quizapp.services.learner_history import learner_history
from quizapp.services.learners import LearnerRow, ensure_learner, find_learner
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from quizapp.services.review import fill_queue, queue_status, review_slots, review_status, start_review
from quizapp.services.review_progress import review_progress
from quizapp.services.session_flow import close_session, start_session
from tests.conftest import counted_statements
from tests.services.class_steps import NewSession, form_for, join_class, question
from tests.services.class_steps import answer as class_answer
from tests.services.review_steps import answer, bank_ids, finished_quiz

LATER = timedelta(hours=1)  # past every learning step: a missed question is due by then


def _cards(learner: LearnerRow) -> dict[str, ReviewCard]:
    """The learner's cards by question key."""
    rows = db.session.execute(
        db.select(Question.key, ReviewCard)
        .join(ReviewCard, ReviewCard.question_id == Question.id)
        .where(ReviewCard.learner_id == learner.id)
    ).all()
    return {key: card for key, card in rows}


def _mixed_quiz(learner: LearnerRow) -> tuple[str, str, str]:
    """A finished test with one wrong, one partly right and one right answer; their question ids."""
    wrong, right = bank_ids(QuestionType.SINGLE_CHOICE, 2)
    (partial,) = bank_ids(QuestionType.MULTIPLE_CHOICE, 1)
    finished_quiz(learner, {wrong: "wrong", partial: "partial", right: "right"})
    return wrong, partial, right


def test_the_queue_fills_from_wrong_and_partly_right_answers_only(ctx: Flask, learner: LearnerRow) -> None:
    wrong, partial, right = _mixed_quiz(learner)

    status = review_status(learner, utc_now() + LATER)

    cards = _cards(learner)
    assert set(cards) == {wrong, partial}
    assert status.due == 2
    assert cards[wrong].reps == cards[partial].reps == 1
    assert cards[partial].due > cards[wrong].due  # Hard waits longer than Again
    assert db.session.get(ReviewQueue, learner.id) is not None


def test_filling_again_changes_nothing(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    fill_queue(learner)
    before = {k: (c.due, c.reps) for k, c in _cards(learner).items()}
    db.session.expire_all()

    fill_queue(learner)

    assert {k: (c.due, c.reps) for k, c in _cards(learner).items()} == before


def test_an_unfinished_quiz_fills_nothing(ctx: Flask, learner: LearnerRow) -> None:
    from quizapp.domain.generation import QuizSpec
    from quizapp.services.attempt_views import Mode
    from quizapp.services.attempts import start_attempt

    (wrong,) = bank_ids(QuestionType.SINGLE_CHOICE, 1)
    attempt, _ = start_attempt(
        learner, QuizSpec(count=1, question_ids=frozenset({wrong})), Mode.TEST, ARTICLE_BANK
    )
    answer(load_attempt(attempt.public_id, learner), 1, "wrong")

    assert review_status(learner, utc_now() + LATER).due == 0


def test_each_learner_has_a_queue_of_their_own(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    other = ensure_learner(None)

    assert review_status(other, utc_now() + LATER).due == 0
    assert review_status(learner, utc_now() + LATER).due == 2
    assert _cards(other) == {}


def test_a_review_session_moves_each_schedule_on(ctx: Flask, learner: LearnerRow) -> None:
    wrong, partial, _ = _mixed_quiz(learner)
    later = utc_now() + LATER
    fill_queue(learner)
    before = {k: (c.due, c.reps) for k, c in _cards(learner).items()}

    attempt = start_review(learner, later)
    assert attempt is not None
    view = load_attempt(attempt.public_id, learner)
    assert {s.question.id for s in view.slots} == {wrong, partial}
    position = next(s.position for s in view.slots if s.question.id == wrong)
    answer(view, position, "right")
    fill_queue(learner)
    db.session.expire_all()

    card = _cards(learner)[wrong]
    assert card.reps == before[wrong][1] + 1
    assert card.due > before[wrong][0]
    assert _cards(learner)[partial].reps == before[partial][1]  # not answered yet: unchanged
    assert start_review(learner, later).id == attempt.id  # the session in progress goes on


def test_a_review_slot_has_its_passage_and_neighbours(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    attempt = start_review(learner, utc_now() + LATER)
    assert attempt is not None
    view = load_attempt(attempt.public_id, learner)

    extras = review_slots(view)

    for slot in view.slots:
        found = extras[slot.position].passage
        assert found is not None and found.quoted
        assert found.before is not None or found.after is not None
        assert extras[slot.position].question_set.slug == ARTICLE_BANK


def test_nothing_due_says_when_the_next_one_is(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    fill_queue(learner)

    status = queue_status(learner, utc_now() - LATER)

    assert status.due == 0
    assert status.first_due is not None
    assert start_review(learner, utc_now() - LATER) is None


def test_the_queue_survives_a_restart(ctx: Flask, learner: LearnerRow, make_test_app, tmp_path: Path) -> None:
    _mixed_quiz(learner)
    fill_queue(learner)
    url = str(db.engine.url)
    token = learner.token

    again = (
        make_test_app(url) if not url.startswith("sqlite") else make_test_app(Path(db.engine.url.database))
    )
    with again.app_context():
        same = find_learner(token)
        assert same is not None
        assert queue_status(same, utc_now() + LATER).due == 2


def test_progress_per_topic_and_passage(ctx: Flask, learner: LearnerRow) -> None:
    wrong, _, _ = _mixed_quiz(learner)
    _ = get_set(ARTICLE_BANK)
    finished_quiz(learner, {wrong: "wrong"})

    progress = review_progress(learner)

    assert progress.topics and all(days for _, days in progress.topics)
    assert len(progress.passages) >= 2
    assert [p.misses for p in progress.missed] and progress.missed[0].misses >= 2


def test_a_withdrawn_question_is_neither_counted_nor_asked(ctx: Flask, learner: LearnerRow) -> None:
    wrong, partial, _ = _mixed_quiz(learner)
    fill_queue(learner)
    with db.session.begin():
        db.session.scalar(db.select(Question).where(Question.key == wrong)).hidden = True

    assert queue_status(learner, utc_now() + LATER).due == 1
    attempt = start_review(learner, utc_now() + LATER)
    assert attempt is not None
    assert [s.question.id for s in load_attempt(attempt.public_id, learner).slots] == [partial]


def test_a_review_session_is_no_score_on_a_set(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    attempt = start_review(learner, utc_now() + LATER)
    assert attempt is not None
    view = load_attempt(attempt.public_id, learner)
    for slot in view.slots:
        answer(view, slot.position, "right")
    finish_attempt(view.attempt)

    history = learner_history(learner)

    assert [p.attempts for p in history.progress] == [1]  # the quiz, not the review
    assert len(history.attempts) == 2


def _class_answered_wrongly(new_session: NewSession, **options: object) -> tuple[ClassSession, LearnerRow]:
    """A student-paced class session of 2 single-choice questions, started, one student answering both
    wrongly and finishing; the session and the student."""
    session = new_session(2, frozenset({QuestionType.SINGLE_CHOICE}), pacing=Pacing.STUDENT, **options)
    assert start_session(session)
    ((participant, student),) = join_class(session, "Bo")
    for position in (1, 2):
        class_answer(participant, student, position, form_for(question(participant, position), "wrong"))
    assert finish_attempt(participant.attempt)
    return session, LearnerRow(student.id, student.token, None)


def test_a_class_quiz_fills_the_queue_once_the_session_is_closed(ctx: Flask, new_session: NewSession) -> None:
    session, student = _class_answered_wrongly(new_session)

    assert review_status(student, utc_now() + LATER).due == 0  # classmates may still be answering

    assert close_session(session)
    assert review_status(student, utc_now() + LATER).due == 2


def test_a_class_quiz_whose_answers_stay_hidden_fills_nothing(ctx: Flask, new_session: NewSession) -> None:
    session, student = _class_answered_wrongly(new_session, show_answers=False)
    assert close_session(session)

    assert review_status(student, utc_now() + LATER).due == 0


def test_a_right_answer_in_a_later_quiz_moves_a_card_on(ctx: Flask, learner: LearnerRow) -> None:
    wrong, _, right = _mixed_quiz(learner)
    fill_queue(learner)
    before = _cards(learner)[wrong]
    before_due, before_reps = before.due, before.reps

    finished_quiz(learner, {wrong: "right", right: "right"})
    fill_queue(learner)
    db.session.expire_all()

    cards = _cards(learner)
    assert cards[wrong].reps == before_reps + 1 and cards[wrong].due > before_due
    assert right not in cards  # a right answer opens no card


def test_the_count_is_one_query_and_an_up_to_date_queue_one_more(ctx: Flask, learner: LearnerRow) -> None:
    _mixed_quiz(learner)
    fill_queue(learner)
    db.session.expire_all()

    with counted_statements() as counting:
        assert queue_status(learner, utc_now() + LATER).due == 2
    with counted_statements() as filling:
        fill_queue(learner)

    assert [s.split()[0] for s in counting if s != "BEGIN"] == ["SELECT"]
    assert [s.split()[0] for s in filling if s != "BEGIN"] == ["SELECT"]  # new answers or review answers?
