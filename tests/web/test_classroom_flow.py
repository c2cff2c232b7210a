"""A classroom session through the test client: every change of state, answers on time and too late, what a
student's page shows before and after the reveal, the student-paced flow, resuming, removal, flags and the
stamps the live pages watch.

Teacher-paced sessions come from the article's bank (3 questions unless a test asks for more); the right and
wrong answers are built from the key read in the database (tests/web/classroom_steps.py).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.answers import correct_answer_in_words
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, QuestionFlag
from tests.web.answer_keys import assert_no_key
from tests.web.classroom_steps import (
    ClassRun,
    Student,
    answer,
    flashes,
    join,
    join_student,
    move_clock,
    open_session,
    question_at,
    session_fields,
    session_row,
    slot_at,
    step,
    stored,
    students,
    text_of,
    token,
    where,
)
from tests.web.taking import attempt_slots, fields_for, submit
from tests.web.teachers import ADA, make_set, sign_in_teacher

MOVED_ON = "The session had already moved on"


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


def play_page(student: Student) -> str:
    """The student's page (it must be there, not a redirect)."""
    response = student.client.get(student.play)
    assert response.status_code == 200, response.status_code
    return text_of(response)


def attempt_of(app: Flask, student: Student) -> Attempt:
    """The student's attempt as stored now."""
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.public_id == student.attempt_id))
        assert attempt is not None
        db.session.expunge(attempt)
        return attempt


# ---- each change of state, once


def test_a_teacher_paced_session_from_the_lobby_to_the_close(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    ana, ben = students(app, run, "Ana", "Ben")
    assert "Wait for your teacher to start" in play_page(ana)
    assert 'http-equiv="refresh"' in play_page(ana)  # the lobby moves on by itself without JavaScript
    board = text_of(teacher.get(run.board))
    assert "Ana" in board and "Ben" in board and "Waiting for students" in board

    assert step(teacher, run, "start").status_code == 302
    assert where(app, run.public_id) == ("running", 1, "open")
    assert "Question 1 of 3" in play_page(ana) and "Send my answer" in play_page(ana)
    assert 'http-equiv="refresh"' not in play_page(ana)  # no limit: never refreshed under a student typing
    assert answer(app, ana, "right").status_code == 303
    assert answer(app, ben, "wrong").status_code == 303
    assert "Answer saved" in play_page(ana) and "Send my answer" not in play_page(ana)

    step(teacher, run, "reveal", 1)
    assert where(app, run.public_id) == ("running", 1, "revealed")
    assert "Right!" in play_page(ana) and "Not right this time" in play_page(ben)
    assert "Question 1 of 3, answer shown" in text_of(teacher.get(run.board))

    step(teacher, run, "next", 1)
    assert where(app, run.public_id) == ("running", 2, "open")
    assert "Question 2 of 3" in play_page(ben) and "Send my answer" in play_page(ben)
    answer(app, ben, "right")
    step(teacher, run, "next", 2)  # straight on, without revealing
    assert where(app, run.public_id) == ("running", 3, "open")

    step(teacher, run, "close")
    assert where(app, run.public_id)[0] == "closed"
    assert (attempt_of(app, ana).state, attempt_of(app, ana).score) == ("finished", 1.0)
    assert (attempt_of(app, ben).state, attempt_of(app, ben).score) == ("finished", 1.0)
    result = ana.client.get(ana.play)
    assert result.headers["Location"] == f"/attempts/{ana.attempt_id}/results"
    assert "This session is closed" in text_of(teacher.get(run.board))


# (steps before, the click, the question number on the teacher's page, where the session ends up)
STEPS = [
    pytest.param([], "start", 0, ("running", 1, "open"), id="start"),
    pytest.param([("start", 0)], "reveal", 1, ("running", 1, "revealed"), id="reveal"),
    pytest.param([("start", 0)], "next", 1, ("running", 2, "open"), id="next-from-open"),
    pytest.param([("start", 0), ("reveal", 1)], "next", 1, ("running", 2, "open"), id="next-from-revealed"),
    pytest.param([("start", 0)], "close", 0, ("closed", 1, "open"), id="close"),
    pytest.param([], "close", 0, ("closed", 0, None), id="cancel-in-lobby"),
]


@pytest.mark.parametrize(("before", "action", "position", "after"), STEPS)
def test_a_double_click_moves_the_session_once(
    app: Flask,
    teacher: FlaskClient,
    before: list[tuple[str, int]],
    action: str,
    position: int,
    after: tuple[str, int, str | None],
) -> None:
    """Two POSTs of the same button (a double click, or two tabs) apply once; the second says so."""
    run = open_session(teacher)
    for done, seen in before:
        step(teacher, run, done, seen)
    revision = session_row(app, run.public_id).revision
    step(teacher, run, action, position)
    assert where(app, run.public_id) == after
    assert session_row(app, run.public_id).revision == revision + 1
    again = step(teacher, run, action, position)
    assert again.status_code == 302 and again.headers["Location"] == run.board
    assert where(app, run.public_id) == after
    assert session_row(app, run.public_id).revision == revision + 1
    assert any(MOVED_ON in m for m in flashes(text_of(teacher.get(run.board))))


# (steps before, a click that no longer matches the session, where the session stays)
STALE = [
    pytest.param([], "reveal", 0, id="reveal-in-the-lobby"),
    pytest.param([], "next", 0, id="next-in-the-lobby"),
    pytest.param([("start", 0), ("next", 1)], "reveal", 1, id="reveal-an-old-question"),
    pytest.param([("start", 0), ("next", 1)], "next", 1, id="next-from-an-old-question"),
    pytest.param([("start", 0), ("next", 1), ("next", 2)], "next", 3, id="next-after-the-last"),
    pytest.param([("start", 0)], "next", 0, id="next-without-a-number"),
    pytest.param([("start", 0), ("close", 0)], "start", 0, id="start-a-closed-session"),
    pytest.param([("start", 0), ("close", 0)], "next", 1, id="next-in-a-closed-session"),
]


@pytest.mark.parametrize(("before", "action", "position"), STALE)
def test_a_stale_click_changes_nothing(
    app: Flask, teacher: FlaskClient, before: list[tuple[str, int]], action: str, position: int
) -> None:
    run = open_session(teacher)
    for done, seen in before:
        step(teacher, run, done, seen)
    row = session_row(app, run.public_id)
    assert step(teacher, run, action, position).status_code == 302
    after = session_row(app, run.public_id)
    assert (after.state, after.position, after.question_state, after.revision) == (
        row.state,
        row.position,
        row.question_state,
        row.revision,
    )
    assert any(MOVED_ON in m for m in flashes(text_of(teacher.get(run.board))))


def test_a_position_that_is_not_a_number_moves_nothing(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    step(teacher, run, "start")
    for position in ("1.0", "-1", "one", ""):
        data = {"csrf_token": token(teacher), "position": position}
        assert teacher.post(f"{run.board}/next", data=data).status_code == 302
    assert where(app, run.public_id) == ("running", 1, "open")


# ---- answers: on time, too late


def test_a_student_may_change_an_open_answer(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    answer(app, ana, "wrong")
    assert "Change my answer" in play_page(ana)
    assert "Send my answer" not in play_page(ana)
    changing = text_of(ana.client.get(f"{ana.play}?change=1"))
    assert "Change my answer" in changing and 'name="position" value="1"' in changing
    answer(app, ana, "right")
    assert stored(app, ana) == {1: 1.0}


def test_an_empty_answer_is_not_stored(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    data = {"csrf_token": token(ana.client), "position": "1"}
    sent = ana.client.post(f"{ana.play}/answer", data=data, follow_redirects=True)
    assert "Choose or type an answer first." in flashes(text_of(sent))
    assert stored(app, ana) == {}


# (what happens after the student's page showed question 1, the flash the late answer gets)
LATE = [
    pytest.param([("reveal", 1)], "This question is closed", id="question-revealed"),
    pytest.param([("next", 1)], "This question is closed", id="next-question-opened"),
    pytest.param([("reveal", 1), ("next", 1)], "This question is closed", id="revealed-then-next"),
    pytest.param([("close", 0)], "This session is over", id="session-closed"),
]


@pytest.mark.parametrize(("then", "message"), LATE)
def test_a_late_answer_is_refused_and_not_stored(
    app: Flask, teacher: FlaskClient, then: list[tuple[str, int]], message: str
) -> None:
    run = open_session(teacher)
    ana, ben = students(app, run, "Ana", "Ben")
    step(teacher, run, "start")
    answer(app, ben, "right")  # Ben's answer, in time, stays as it was
    for action, position in then:
        step(teacher, run, action, position)
    late = answer(app, ana, "right", position=1)
    assert late.status_code == 303 and late.headers["Location"] == ana.play
    followed = ana.client.get(ana.play, follow_redirects=True)
    assert any(message in m for m in flashes(text_of(followed)))
    assert stored(app, ana) == {}
    changed = answer(app, ben, "wrong", position=1)
    assert changed.status_code == 303
    assert stored(app, ben) == {1: 1.0}


def test_an_answer_before_the_start_is_refused(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    answer(app, ana, "right", position=1)
    followed = ana.client.get(ana.play)
    assert any("has not started yet" in m for m in flashes(text_of(followed)))
    assert stored(app, ana) == {}


@pytest.mark.parametrize(
    ("seconds_ago", "accepted"),
    [
        pytest.param(5, True, id="in-time"),
        pytest.param(11, True, id="within-the-grace"),
        pytest.param(14, False, id="after-the-grace"),
        pytest.param(600, False, id="long-after"),
    ],
)
def test_the_time_limit_of_a_question(
    app: Flask, teacher: FlaskClient, seconds_ago: int, accepted: bool
) -> None:
    """10 seconds per question and 3 seconds' grace for the network: the clock is moved, not waited for."""
    run = open_session(teacher, question_seconds=10)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    move_clock(app, run.public_id, seconds_ago)
    answer(app, ana, "right")
    page = text_of(ana.client.get(ana.play))
    shown = flashes(page)
    assert stored(app, ana) == ({1: 1.0} if accepted else {})
    assert ("<strong>Answer saved</strong>" in page) is accepted
    assert any("Time is up" in m for m in shown) is not accepted


def test_once_the_time_is_up_the_page_says_so_instead_of_the_form(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, question_seconds=10)
    ana, ben = students(app, run, "Ana", "Ben")
    step(teacher, run, "start")
    answer(app, ana, "right")
    assert "time left 0:" in play_page(ben)
    # without JavaScript, the form refreshes only once the 10 s and the 3 s grace are over
    assert re.search(r'<meta http-equiv="refresh" content="1[34]">', play_page(ben))
    move_clock(app, run.public_id, 11)
    assert 'data-countdown="0">time is up</strong>' in play_page(ben)
    for student in (ana, ben):
        page = play_page(student)
        assert "Send my answer" not in page and "Change my answer" not in page
        assert 'http-equiv="refresh"' in page  # without JavaScript it moves on with the teacher
    assert "<strong>Answer saved</strong>" in play_page(ana)
    assert "<strong>Time is up</strong> for this question" in play_page(ben)
    assert "Send my answer" not in play_page(ben) and "Change my answer" not in play_page(ana)
    assert "Send my answer" not in text_of(ben.client.get(f"{ben.play}?change=1"))


# ---- the answer key stays on the server until the reveal


@pytest.mark.parametrize("kind", [t.value for t in SCORED_TYPES])
def test_the_key_reaches_the_student_only_with_the_reveal(
    app: Flask, teacher: FlaskClient, kind: str
) -> None:
    run = open_session(teacher, count=1, types=kind)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    question = question_at(app, ana, 1)
    assert question.type is QuestionType(kind)
    key = f"<strong>Answer:</strong> {correct_answer_in_words(question)}"
    for page in (play_page(ana), text_of(ana.client.get(f"{ana.play}?change=1"))):
        assert_no_key(page, question)
        assert key not in page and 'class="verdict' not in page and "✓" not in page and " checked" not in page
    answer(app, ana, "wrong")
    saved = play_page(ana)
    assert "Answer saved" in saved
    assert question.explanation not in saved and question.source not in saved and key not in saved
    step(teacher, run, "reveal", 1)
    revealed = play_page(ana)
    assert key in revealed and "Not right this time" in revealed
    assert question.explanation in revealed and question.source in revealed


@pytest.mark.parametrize("show_answers", [True, False])
def test_the_result_page_shows_the_answers_only_if_the_teacher_allows(
    app: Flask, teacher: FlaskClient, show_answers: bool
) -> None:
    run = open_session(teacher, count=2, show_answers=show_answers)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    answer(app, ana, "wrong")
    question = question_at(app, ana, 1)
    step(teacher, run, "close")
    result = ana.client.get(ana.play, follow_redirects=True)
    assert result.status_code == 200
    page = text_of(result)
    assert "Your score" in page and "0 / 1" in page  # closed on question 1: scored out of the one asked
    assert ("Question by question" in page) is show_answers
    assert (question.explanation in page) is show_answers
    assert ("Your teacher chose not to show the answers" in page) is not show_answers


# ---- student-paced: the foundation's quiz pages inside the session


def test_a_student_paced_session_through_the_quiz_pages(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, pacing="student", count=4)
    ana, ben = students(app, run, "Ana", "Ben")
    assert "Wait for your teacher to start" in play_page(ana)
    step(teacher, run, "start")
    assert where(app, run.public_id) == ("running", 0, None)
    attempt = f"/attempts/{ana.attempt_id}"
    assert ana.client.get(ana.play).headers["Location"] == attempt
    assert ana.client.get(attempt).headers["Location"] == f"{attempt}/1"
    for slot in attempt_slots(app, ana.attempt_id):
        sent = submit(ana.client, ana.attempt_id, slot.position, fields_for(slot, "right"))
        assert sent.status_code == 302
    assert sent.headers["Location"] == f"/attempts/{ana.attempt_id}/results"
    assert (attempt_of(app, ana).state, attempt_of(app, ana).score) == ("finished", 4.0)
    waiting = text_of(ana.client.get(f"/attempts/{ana.attempt_id}/results"))
    assert "4 / 4" in waiting and "appear here when your teacher closes the session" in waiting
    question = question_at(app, ana, 1)
    assert question.explanation not in waiting
    submit(ben.client, ben.attempt_id, 1, fields_for(slot_at(app, ben, 1), "wrong"))
    step(teacher, run, "close")
    assert (attempt_of(app, ben).state, attempt_of(app, ben).score) == ("finished", 0.0)
    assert question.explanation in text_of(ana.client.get(f"/attempts/{ana.attempt_id}/results"))


@pytest.mark.parametrize("shuffle", [True, False])
def test_each_student_has_their_own_order_only_when_shuffled(
    app: Flask, teacher: FlaskClient, shuffle: bool
) -> None:
    run = open_session(teacher, pacing="student", count=8, shuffle=shuffle, types="single_choice")
    orders = []
    for student in students(app, run, "Ana", "Ben", "Cai"):
        slots = attempt_slots(app, student.attempt_id)
        orders.append(tuple((s.version_id, s.item_order) for s in slots))
    questions = [tuple(v for v, _ in order) for order in orders]
    assert len({frozenset(q) for q in questions}) == 1  # the same questions for everyone
    plan = tuple(p["version_id"] for p in session_row(app, run.public_id).plan)
    if shuffle:
        assert len(set(questions)) > 1 and len(set(orders)) == 3
    else:
        assert set(questions) == {plan} and len(set(orders)) == 1


def test_a_student_paced_quiz_waits_for_the_start(app: Flask, teacher: FlaskClient) -> None:
    """Its questions are not shown before the start, and an early answer or finish does not end the quiz."""
    run = open_session(teacher, pacing="student")
    (ana,) = students(app, run, "Ana")
    attempt = f"/attempts/{ana.attempt_id}"
    assert f'href="{ana.play}"' in text_of(ana.client.get("/"))  # 'continue where you left off' offers it
    for path in (attempt, f"{attempt}/1", f"{attempt}/finish"):
        assert ana.client.get(path, follow_redirects=True).request.path == ana.play, path
    early = submit(ana.client, ana.attempt_id, 1, fields_for(slot_at(app, ana, 1), "right"))
    assert early.headers["Location"] == ana.play
    finished = ana.client.post(f"{attempt}/finish", data={"csrf_token": token(ana.client)})
    assert finished.headers["Location"] == ana.play
    assert stored(app, ana) == {} and attempt_of(app, ana).state == "in_progress"
    step(teacher, run, "start")
    assert ana.client.get(f"{attempt}/1").status_code == 200


def test_teacher_paced_quizzes_are_not_taken_on_the_quiz_pages(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    for path in (f"/attempts/{ana.attempt_id}/1", f"/attempts/{ana.attempt_id}/finish"):
        assert ana.client.get(path).headers["Location"] == ana.play
    sent = submit(ana.client, ana.attempt_id, 2, fields_for(slot_at(app, ana, 2), "right"))
    assert sent.headers["Location"] == ana.play and stored(app, ana) == {}


@pytest.mark.parametrize(("seconds_ago", "accepted"), [(30, True), (61, True), (120, False)])
def test_the_time_limit_of_a_student_paced_quiz(
    app: Flask, teacher: FlaskClient, seconds_ago: int, accepted: bool
) -> None:
    """One minute for the whole quiz, 3 seconds' grace: a late answer ends the quiz with what was saved."""
    run = open_session(teacher, pacing="student", quiz_minutes=1)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    submit(ana.client, ana.attempt_id, 1, fields_for(slot_at(app, ana, 1), "right"))
    move_clock(app, run.public_id, seconds_ago)
    sent = submit(ana.client, ana.attempt_id, 2, fields_for(slot_at(app, ana, 2), "right"))
    if accepted:
        assert sent.headers["Location"] == f"/attempts/{ana.attempt_id}/3"
        assert stored(app, ana) == {1: 1.0, 2: 1.0}
    else:
        assert sent.headers["Location"] == f"/attempts/{ana.attempt_id}/results"
        assert stored(app, ana) == {1: 1.0}
        assert (attempt_of(app, ana).state, attempt_of(app, ana).score) == ("finished", 1.0)
        assert any("Time is up" in m for m in flashes(text_of(ana.client.get(sent.headers["Location"]))))


# ---- the same browser comes back; a removed student does not


def test_the_home_page_leads_back_to_a_class_quiz_until_it_closes(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, title="Moon quiz, class 4B")
    (ana,) = students(app, run, "Ana")
    home = text_of(ana.client.get("/"))
    assert "Continue where you left off" in home
    assert f'<a href="{ana.play}">Class quiz “Moon quiz, class 4B”</a>' in home
    step(teacher, run, "start")
    step(teacher, run, "close")
    assert "Moon quiz, class 4B" not in text_of(ana.client.get("/"))  # finished: under My results now


def test_a_student_who_comes_back_keeps_their_place_and_answers(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    answer(app, ana, "right")
    assert "Answer saved" in play_page(ana)  # a reload
    again = join(ana.client, run.code.lower(), "Someone Else")
    assert again.status_code == 302 and again.headers["Location"] == ana.play
    phone = app.test_client()  # the phone switched off and on: a new connection, the same cookie
    cookie = ana.client.get_cookie("session")
    assert cookie is not None
    phone.set_cookie("session", cookie.value)
    page = play_page(Student(phone, ana.name, ana.session_id, ana.participant_id, ana.attempt_id))
    assert "You are <strong>Ana</strong>" in page and "Answer saved" in page
    step(teacher, run, "next", 1)
    answer(app, Student(phone, ana.name, ana.session_id, ana.participant_id, ana.attempt_id), "wrong")
    assert stored(app, ana) == {1: 1.0, 2: 0.0}
    with app.app_context():
        names = db.session.scalars(db.select(Participant.display_name)).all()
    assert names == ["Ana"]


def test_a_removed_student_sees_so_and_their_name_is_free_again(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    rude, ana = students(app, run, "Rude Name", "Ana")
    board = text_of(teacher.get(run.board))
    assert "Remove Rude Name" in board
    path = f"{run.board}/participants/{rude.participant_id}/remove"
    removed = teacher.post(path, data={"csrf_token": token(teacher), "confirmed": "yes"})
    assert removed.status_code == 302 and removed.headers["Location"] == run.board
    board = text_of(teacher.get(run.board))
    assert "Rude Name was removed from the session." in flashes(board)
    assert "Remove Rude Name" not in board and "Remove Ana" in board
    assert attempt_of(app, rude).state == "abandoned"

    gone = rude.client.get(rude.play)
    assert gone.status_code == 403 and "You are no longer in this session" in text_of(gone)
    assert join(rude.client, run.code, "Rude Name").status_code == 403
    assert rude.client.post(f"{rude.play}/answer", data={"csrf_token": token(rude.client)}).status_code == 403
    assert rude.client.get(f"{rude.play}/flag/1").status_code == 404
    assert teacher.post(path, data={"csrf_token": token(teacher)}).status_code == 404  # already removed

    join_student(app, app.test_client(), run.code, "rude name")  # someone else may now use the name
    step(teacher, run, "start")
    assert "Question 1 of 3" in play_page(ana)


def test_removing_from_the_live_page_goes_back_there(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    ana, _ = students(app, run, "Ana", "Ben")
    page = text_of(teacher.get(f"{run.board}/live"))
    # What the browser sends when Ana's row's button is pressed: the table's form, to the button's formaction.
    button = re.search(r'formaction="([^"]+)" aria-label="Remove Ana"', page)
    assert button and button.group(1) == f"{run.board}/participants/{ana.participant_id}/remove"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert fields.keys() == {"csrf_token", "next_page"}
    asked = text_of(teacher.post(button.group(1), data=fields))  # the page that asks first
    assert (
        "Remove Ana from the session?" in asked
        and '<a class="btn secondary" href="' + run.board + '/live"' in asked
    )
    removed = teacher.post(button.group(1), data={**fields, "confirmed": "yes"})
    assert removed.headers["Location"] == f"{run.board}/live"
    live = text_of(teacher.get(f"{run.board}/live"))
    assert "Ana was removed from the session." in flashes(live)
    assert "Students (1)" in live and '<th scope="row">Ana</th>' not in live
    assert '<th scope="row">Ben</th>' in live


# ---- flags


@pytest.mark.parametrize(
    ("back", "lands_on"),
    [
        pytest.param("{play}", "{play}", id="the-play-page"),
        pytest.param("{play}?change=1", "{play}?change=1", id="with-a-query"),
        pytest.param("", "{play}", id="none"),
        pytest.param("https://evil.example/", "{play}", id="another-site"),
        pytest.param("//evil.example/", "{play}", id="scheme-relative"),
        pytest.param("/\\evil.example/", "{play}", id="backslash"),
        pytest.param("javascript:alert(1)", "{play}", id="script"),
    ],
)
def test_a_student_flags_a_question(app: Flask, teacher: FlaskClient, back: str, lands_on: str) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    form = ana.client.get(f"{ana.play}/flag/1?back={ana.play}")
    assert form.status_code == 200 and f'name="back" value="{ana.play}"' in text_of(form)
    data = {"csrf_token": token(ana.client), "comment": "  Two answers   could be right. ", "back": back}
    sent = ana.client.post(f"{ana.play}/flag/1", data={**data, "back": back.format(play=ana.play)})
    assert sent.status_code == 302 and sent.headers["Location"] == lands_on.format(play=ana.play)
    with app.app_context():
        flag = db.session.scalars(db.select(QuestionFlag)).one()
        session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == run.public_id))
        assert (flag.comment, flag.participant_id, flag.session_id) == (
            "Two answers could be right.",
            ana.participant_id,
            session.id,
        )
        assert flag.question_version_id == attempt_slots(app, ana.attempt_id)[0].version_id


@pytest.mark.parametrize(
    ("position", "comment", "status"),
    [(0, "", 404), (4, "", 404), (1, "x" * 301, 400)],
)
def test_a_flag_that_cannot_be_taken(
    app: Flask, teacher: FlaskClient, position: int, comment: str, status: int
) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    data = {"csrf_token": token(ana.client), "comment": comment}
    assert ana.client.post(f"{ana.play}/flag/{position}", data=data).status_code == status
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionFlag.id))) == 0


# ---- the stamps the live pages watch


def stamps(teacher: FlaskClient, run: ClassRun, student: Student) -> tuple[str, str]:
    """(the teacher's stamp, the student's stamp) now."""
    ours = teacher.get(f"{run.board}/stamp")
    theirs = student.client.get(f"{student.play}/stamp")
    assert ours.status_code == theirs.status_code == 200
    return ours.json["stamp"], theirs.json["stamp"]


def test_the_stamps_change_when_the_pages_would(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    before = stamps(teacher, run, ana)
    assert before == stamps(teacher, run, ana)  # nothing happened: nothing changes
    students(app, run, "Ben")
    joined = stamps(teacher, run, ana)
    assert joined[0] != before[0] and joined[1] == before[1]  # another student's joining: not Ana's business
    step(teacher, run, "start")
    started = stamps(teacher, run, ana)
    assert started[0] != joined[0] and started[1] != joined[1]
    answer(app, ana, "right")
    answered = stamps(teacher, run, ana)
    assert answered[0] != started[0] and answered[1] == started[1]
    seen = {answered[1]}
    for action, position in (("reveal", 1), ("next", 1), ("close", 0)):
        step(teacher, run, action, position)
        now = stamps(teacher, run, ana)
        assert now[1] not in seen
        seen.add(now[1])
    assert app.test_client().get("/play/no-such-session/stamp").status_code == 404


def page_stamp(teacher: FlaskClient, path: str) -> str:
    """The stamp a teacher's page was made with (its script compares it with the stamp URL's)."""
    page = text_of(teacher.get(path))
    found = re.search(r'<div id="live" data-stamp-url="[^"]+" data-stamp="([^"]*)">', page)
    assert found, path
    return found.group(1)


def test_the_teachers_pages_carry_the_stamp_the_stamp_url_gives(app: Flask, teacher: FlaskClient) -> None:
    """Made from what the live view read; it must equal the stamp URL's, or the script reloads forever."""
    run = open_session(teacher)
    ana, ben = students(app, run, "Ana", "Ben")

    def agree() -> str:
        stamp = stamps(teacher, run, ana)[0]
        assert page_stamp(teacher, f"{run.board}/live") == page_stamp(teacher, run.board) == stamp
        return stamp

    seen = {agree()}
    step(teacher, run, "start")
    for student, how in ((ana, "right"), (ben, "wrong"), (ana, "wrong")):  # the last one changes an answer
        answer(app, student, how)
        seen.add(agree())
    fields = {"csrf_token": token(teacher), "next_page": "live", "confirmed": "yes"}
    removed = teacher.post(f"{run.board}/participants/{ben.participant_id}/remove", data=fields)
    assert removed.status_code == 302
    seen.add(agree())  # Ben's answer no longer counts
    assert len(seen) == 5  # before the start, then after each answer and the removal


def test_a_session_that_cannot_ask_every_question_says_why(app: Flask, teacher: FlaskClient) -> None:
    """Ada's two questions quote one sentence (each would give the other away): a session asking for both
    gets one, and its lobby page says so and why."""
    set_id = make_set(app, ADA, "One sentence")
    data = {**session_fields(count=2), "csrf_token": token(teacher)}
    created = teacher.post(f"/teacher/sessions/new?set={set_id}", data=data)
    assert created.status_code == 302
    board = text_of(teacher.get(created.headers["Location"]))
    assert "This session has 1 question, not 2: the others would give away their answers" in board
