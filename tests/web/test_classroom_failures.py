"""Class sessions that never break (issue 11 §1): a removed student, an empty set, idle sessions, tied scores,
a school behind one address, and the teacher's destructive buttons, through the test client.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession
from tests.web.classroom_steps import (
    answer,
    join,
    open_session,
    session_fields,
    step,
    students,
    text_of,
    token,
    where,
)
from tests.web.taking import attempt_slots, fields_for, submit
from tests.web.teachers import ADA, make_set, sign_in_teacher


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


# ---- a removed student (student-paced)


def test_a_removed_student_paced_student_is_told_so_not_an_error(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, pacing="student", count=3)
    (ana,) = students(app, run, "Ana")
    step(teacher, run, "start")
    slot = attempt_slots(app, ana.attempt_id)[0]
    remove = f"{run.board}/participants/{ana.participant_id}/remove"
    teacher.post(remove, data={"csrf_token": token(teacher), "confirmed": "yes"})

    sent = submit(ana.client, ana.attempt_id, 1, fields_for(slot, "right"))
    shown = ana.client.get(sent.headers["Location"]) if sent.status_code in (302, 303) else sent
    assert shown.status_code == 403 and "You are no longer in this session" in text_of(shown)
    for path in ("", "/1", "/finish", "/results"):
        page = ana.client.get(f"/attempts/{ana.attempt_id}{path}", follow_redirects=True)
        assert page.status_code == 403 and "You are no longer in this session" in text_of(page)
    mine = text_of(ana.client.get("/my-results"))
    assert f"/attempts/{ana.attempt_id}" not in mine and "in progress" not in mine


# ---- the leaderboard


def test_tied_scores_share_a_rank_on_the_leaderboard(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, leaderboard=True)
    people = students(app, run, "Ana", "Ben", "Cai", "Dev")
    step(teacher, run, "start")
    for student, how in zip(people, ("right", "right", "wrong", "right"), strict=True):
        answer(app, student, how)
    step(teacher, run, "reveal", 1)
    step(teacher, run, "next", 1)
    for student, how in zip(people, ("right", "wrong", "wrong", "wrong"), strict=True):
        answer(app, student, how)
    step(teacher, run, "reveal", 2)
    board = text_of(teacher.get(run.board))
    ranks = re.findall(r'<li value="(\d+)"><span class="who">(\w+)</span>', board)
    assert ranks == [("1", "Ana"), ("2", "Ben"), ("2", "Dev"), ("4", "Cai")]


# ---- a set with no questions


def test_a_session_on_an_empty_set_offers_to_add_questions(app: Flask, teacher: FlaskClient) -> None:
    set_id = make_set(app, ADA, "Empty set", questions=[])
    set_page = text_of(teacher.get(f"/teacher/sets/{set_id}"))
    main = re.search(r'<a class="btn small" href="([^"]+)">([^<]+)</a>', set_page)
    assert main is None or main.group(2) != "Run with a class"
    path = f"/teacher/sessions/new?set={set_id}"
    fields = {**session_fields(), "csrf_token": token(teacher)}
    for response in (teacher.get(path), teacher.post(path, data=fields)):
        page = text_of(response)
        assert "This set has no questions yet" in page
        assert f"/teacher/sets/{set_id}/questions/new?type=" in page
        assert f"/teacher/sets/{set_id}/copy" in page
        assert "Open the session" not in page
    assert response.status_code == 400
    assert session_count(app) == 0


def session_count(app: Flask) -> int:
    """How many class sessions are stored."""
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(ClassSession.id)))


# ---- sessions left open


def age(app: Flask, public_id: str, hours: float, answers: bool = True) -> None:
    """Pretend everything in the session (its answers too, when `answers`) happened `hours` earlier."""
    back = timedelta(hours=hours)
    with app.app_context():
        session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == public_id))
        assert session is not None
        for column in ("created_at", "started_at", "question_opened_at"):
            if getattr(session, column) is not None:
                setattr(session, column, getattr(session, column) - back)
        for participant in session.participants:
            participant.joined_at -= back
            if answers:
                for slot in participant.attempt.slots:
                    if slot.response is not None:
                        slot.response.answered_at -= back
        db.session.commit()


def test_a_session_left_open_closes_after_the_idle_hours(app: Flask, teacher: FlaskClient) -> None:
    idle, busy = open_session(teacher), open_session(teacher)
    for run in (idle, busy):
        (ana,) = students(app, run, f"Ana {run.code}")
        step(teacher, run, "start")
        answer(app, ana, "right")
    age(app, idle.public_id, 13)
    age(app, busy.public_id, 13, answers=False)  # an answer a moment ago: still in use
    listing = text_of(teacher.get("/teacher/sessions/"))
    assert listing.count("Closed after 12 hours without activity") == 1
    assert where(app, idle.public_id)[0] == "closed" and where(app, busy.public_id)[0] == "running"
    assert attempt_states(app, idle.public_id) == ["finished"]
    assert join(app.test_client(), idle.code, "Late").status_code == 404


def test_a_session_page_and_the_command_close_idle_sessions(app: Flask, teacher: FlaskClient) -> None:
    page_read, by_command = open_session(teacher), open_session(teacher)
    for run in (page_read, by_command):
        age(app, run.public_id, 12.5)
    assert "Closed" in text_of(teacher.get(page_read.board))
    assert where(app, page_read.public_id)[0] == "closed"
    result = app.test_cli_runner().invoke(args=["sessions", "close-idle"])
    assert result.exit_code == 0 and "Closed 1 idle session." in result.output
    assert where(app, by_command.public_id)[0] == "closed"
    app.config["SESSION_IDLE_HOURS"] = 0  # 0: never
    kept = open_session(teacher)
    age(app, kept.public_id, 1000)
    teacher.get("/teacher/sessions/")
    assert where(app, kept.public_id)[0] == "lobby"


def attempt_states(app: Flask, public_id: str) -> list[str]:
    """The states of the session's students' attempts."""
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Attempt.state)
                .join(ClassSession, ClassSession.id == Attempt.session_id)
                .where(ClassSession.public_id == public_id)
            )
        )


# ---- buttons that cannot be undone ask first; a removal can be undone


def test_closing_asks_first(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    students(app, run, "Ana")
    step(teacher, run, "start")
    asked = teacher.post(f"{run.board}/close", data={"csrf_token": token(teacher), "position": "1"})
    page = text_of(asked)
    assert asked.status_code == 200 and "Yes, close the session" in page
    assert "Questions 2 to 3 will not be asked" in page and f'href="{run.board}">No, go back</a>' in page
    assert where(app, run.public_id)[0] == "running"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    # the form's own CSRF token (signed with the time, so not the string read earlier), the step, the question
    assert fields.keys() == {"csrf_token", "confirmed", "position"}
    assert (fields["confirmed"], fields["position"]) == ("yes", "1")
    assert teacher.post(f"{run.board}/close", data=fields).headers["Location"] == run.board
    assert where(app, run.public_id)[0] == "closed"


def test_removing_asks_first_and_the_teacher_can_let_the_student_back_in(
    app: Flask, teacher: FlaskClient
) -> None:
    run = open_session(teacher)
    ana, _ = students(app, run, "Ana", "Ben")
    step(teacher, run, "start")
    answer(app, ana, "right")
    remove = f"{run.board}/participants/{ana.participant_id}/remove"
    asked = teacher.post(remove, data={"csrf_token": token(teacher), "next_page": "live"})
    assert asked.status_code == 200 and "Yes, remove Ana" in text_of(asked)
    assert ana.client.get(ana.play).status_code == 200  # not yet
    teacher.post(remove, data={"csrf_token": token(teacher), "next_page": "live", "confirmed": "yes"})
    assert ana.client.get(ana.play).status_code == 403
    assert join(ana.client, run.code, "Ana again").status_code == 403

    live = text_of(teacher.get(f"{run.board}/live"))
    readmit = re.search(r'action="([^"]+)">\s*<input[^>]+>\s*<button[^>]+aria-label="Let Ana back in"', live)
    assert readmit and readmit.group(1) == f"{run.board}/participants/{ana.participant_id}/readmit"
    back = teacher.post(readmit.group(1), data={"csrf_token": token(teacher)})
    assert back.headers["Location"] == f"{run.board}/live"
    live = text_of(teacher.get(f"{run.board}/live"))
    assert "Ana is back in the session." in live and "Let Ana back in" not in live
    assert "Question 1 of 3" in text_of(ana.client.get(ana.play))
    assert attempt_states(app, run.public_id) == ["in_progress", "in_progress"]
    assert join(ana.client, run.code, "Ana").headers["Location"] == ana.play  # her place, her answer
    assert teacher.post(readmit.group(1), data={"csrf_token": token(teacher)}).status_code == 404


def test_a_student_cannot_come_back_under_a_name_now_taken(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher)
    (ana,) = students(app, run, "Ana")
    remove = f"{run.board}/participants/{ana.participant_id}/remove"
    teacher.post(remove, data={"csrf_token": token(teacher), "confirmed": "yes"})
    students(app, run, "ana")
    back = teacher.post(
        f"{run.board}/participants/{ana.participant_id}/readmit", data={"csrf_token": token(teacher)}
    )
    assert "Someone else now uses the name “Ana”." in text_of(teacher.get(back.headers["Location"]))
    assert ana.client.get(ana.play).status_code == 403
