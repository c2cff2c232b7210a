"""Accommodations through the browser's requests (issue 14 §3): a teacher sets a student's extra time, the
phone shows their own time, a question waits for them; reading options kept in a cookie."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.conftest import counted_statements
from tests.web.classroom_steps import (
    ClassRun,
    Student,
    answer,
    flashes,
    join_student,
    move_clock,
    open_session,
    session_row,
    step,
    stored,
    text_of,
    token,
)
from tests.web.teachers import ADA, GRACE, sign_in_teacher

_TIME_LEFT = re.compile(r"time left (?:<strong[^>]*>)?(\d+):(\d\d)")


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


@pytest.fixture
def run(teacher: FlaskClient) -> ClassRun:
    """Ada's teacher-paced session, 20 s per question, in its lobby."""
    return open_session(teacher, question_seconds=20)


def extra_time_url(run: ClassRun, student: Student) -> str:
    return f"/teacher/sessions/{run.public_id}/participants/{student.participant_id}/extra-time"


def give_extra_time(teacher: FlaskClient, run: ClassRun, student: Student, value: str):  # type: ignore[no-untyped-def]
    """POST the extra-time form as the teacher's browser does."""
    return teacher.post(
        extra_time_url(run, student), data={"csrf_token": token(teacher), "extra_time": value}
    )


def settings_of(app: Flask, student: Student) -> dict[str, object]:
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.public_id == student.attempt_id))
        assert attempt is not None
        return dict(attempt.settings)


def seconds_shown(page: str) -> int:
    """The time left a phone's page shows, in seconds."""
    found = _TIME_LEFT.search(page)
    assert found is not None, page
    return int(found[1]) * 60 + int(found[2])


def test_the_teacher_sets_extra_time_from_the_live_page(
    app: Flask, teacher: FlaskClient, run: ClassRun
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    live = text_of(teacher.get(f"{run.board}/live"))
    assert f'href="{extra_time_url(run, ana)}"' in live
    assert 'aria-label="Change the extra time of Ana"' in live
    form = text_of(teacher.get(extra_time_url(run, ana)))
    assert "Extra time for Ana" in form and "20 seconds per question" in form
    assert 'value="none" checked' in form
    for value, words in (("2", "×2"), ("1.5", "×1.5"), ("no-limit", "no time limit")):
        saved = give_extra_time(teacher, run, ana, value)
        assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{run.board}/live")
        assert settings_of(app, ana)["extra_time"] == value
        page = text_of(teacher.get(f"{run.board}/live"))
        assert f"Extra time for Ana: {words}." in flashes(page)
        assert f"<td>{words} <a" in page
    assert give_extra_time(teacher, run, ana, "none").status_code == 302
    assert "extra_time" not in settings_of(app, ana)


@pytest.mark.parametrize("value", ["3", "", "none; drop table", "x2"])
def test_a_bad_value_is_refused_with_a_message(
    app: Flask, teacher: FlaskClient, run: ClassRun, value: str
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    give_extra_time(teacher, run, ana, "2")
    refused = give_extra_time(teacher, run, ana, value)
    assert refused.status_code == 400
    assert 'class="error"' in text_of(refused)
    assert settings_of(app, ana)["extra_time"] == "2"  # unchanged


def test_the_form_needs_its_csrf_token(app: Flask, teacher: FlaskClient, run: ClassRun) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    refused = teacher.post(extra_time_url(run, ana), data={"extra_time": "2"})
    assert refused.status_code == 400
    assert "extra_time" not in settings_of(app, ana)


def test_another_teachers_student_is_404(app: Flask, teacher: FlaskClient, run: ClassRun) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    grace = sign_in_teacher(app, app.test_client(), GRACE, "Grace Hopper")
    assert grace.get(extra_time_url(run, ana)).status_code == 404
    assert (
        grace.post(extra_time_url(run, ana), data={"csrf_token": token(grace), "extra_time": "2"}).status_code
        == 404
    )
    # Grace's own session, Ada's student's id: not hers either
    mine = open_session(grace)
    other = f"/teacher/sessions/{mine.public_id}/participants/{ana.participant_id}/extra-time"
    assert grace.get(other).status_code == 404
    assert "extra_time" not in settings_of(app, ana)


def test_the_phone_shows_the_longer_time_and_takes_a_late_answer(
    app: Flask, teacher: FlaskClient, run: ClassRun
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    ben = join_student(app, app.test_client(), run.code, "Ben")
    give_extra_time(teacher, run, ana, "2")
    step(teacher, run, "start")
    assert 38 <= seconds_shown(text_of(ana.client.get(ana.play))) <= 40
    assert "(with your extra time)" in text_of(ana.client.get(ana.play))
    assert 18 <= seconds_shown(text_of(ben.client.get(ben.play))) <= 20
    assert "extra time" not in text_of(ben.client.get(ben.play))
    move_clock(app, run.public_id, 30)  # after the normal 20 s and its grace
    assert "Time is up" in text_of(ben.client.get(ben.play))
    phone = text_of(ana.client.get(ana.play))
    assert 8 <= seconds_shown(phone) <= 10 and "Send my answer" in phone
    answer(app, ben)
    assert stored(app, ben) == {}  # refused
    # the projector's Reveal waits for Ana
    held = step(teacher, run, "reveal", 1)
    assert held.status_code == 302
    board = text_of(teacher.get(run.board))
    assert any("1 student with extra time is still answering" in m for m in flashes(board))
    assert session_row(app, run.public_id).question_state == "open"
    live = text_of(teacher.get(f"{run.board}/live"))
    assert "Still answering with extra time (1)" in live and "Ana (×2)" in live
    assert "Reveal anyway" in text_of(teacher.get(held.headers["Location"]))  # the board's next update
    answer(app, ana)
    assert list(stored(app, ana)) == [1]
    board = text_of(teacher.get(held.headers["Location"]))  # nobody holds it now: no "anyway", no note
    assert "Reveal anyway" not in board and "still answering" not in board and "Reveal the answer" in board
    step(teacher, run, "reveal", 1)
    assert session_row(app, run.public_id).question_state == "revealed"


def test_the_play_page_reads_no_more_with_extra_time(app: Flask, teacher: FlaskClient, run: ClassRun) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    ben = join_student(app, app.test_client(), run.code, "Ben")
    give_extra_time(teacher, run, ana, "1.5")
    step(teacher, run, "start")
    counts = []
    for student in (ana, ben):
        student.client.get(student.play)  # warm
        with app.app_context(), counted_statements() as statements:
            assert student.client.get(student.play).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_student_paced_quiz_shows_the_extended_time(app: Flask, teacher: FlaskClient) -> None:
    run = open_session(teacher, pacing="student", quiz_minutes=2)
    ana = join_student(app, app.test_client(), run.code, "Ana")
    give_extra_time(teacher, run, ana, "1.5")
    step(teacher, run, "start")
    quiz = ana.client.get(ana.play, follow_redirects=True)
    assert 178 <= seconds_shown(text_of(quiz)) <= 180
    assert "(with your extra time)" in text_of(quiz)


# ---- reading options


def test_reading_options_are_kept_in_a_cookie_and_shown_on_every_page(
    app: Flask, client: FlaskClient
) -> None:
    home = text_of(client.get("/"))
    assert "<body>" in home and 'href="/reading-options?next=/"' in home
    form = text_of(client.get("/reading-options?next=/article"))
    assert 'value="normal" checked' in form and 'value="standard" checked' in form
    with app.app_context(), counted_statements() as statements:
        saved = client.post(
            "/reading-options",
            data={
                "csrf_token": token(client),
                "text_size": "larger",
                "style": "dyslexia",
                "next": "/article",
            },
        )
    assert statements == []  # no database
    assert saved.status_code == 303 and saved.headers["Location"] == "/article"
    cookie = saved.headers["Set-Cookie"]
    assert cookie.startswith("reading=larger.dyslexia;")
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Max-Age=34560000" in cookie
    assert "Secure" not in cookie  # plain HTTP in the tests; HTTPS sets it like the session cookie
    for path in ("/", "/article", "/join", "/reading-options"):
        assert '<body class="text-larger reading-dyslexia">' in text_of(client.get(path)), path
    again = text_of(client.get("/reading-options"))
    assert 'value="larger" checked' in again and 'value="dyslexia" checked' in again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text_size": "huge", "style": "standard"}, "Choose a text size: normal, large or larger."),
        ({"text_size": "large", "style": "comic"}, "Choose a reading style: standard or dyslexia-friendly."),
        ({"style": "standard"}, "Choose a text size: normal, large or larger."),
    ],
)
def test_bad_reading_options_are_refused_with_a_message(
    client: FlaskClient, fields: dict[str, str], message: str
) -> None:
    refused = client.post(
        "/reading-options", data={"csrf_token": token(client), **fields, "next": "javascript:x"}
    )
    assert refused.status_code == 400
    page = text_of(refused)
    assert message in page and "javascript:" not in page
    assert "Set-Cookie" not in refused.headers or "reading=" not in refused.headers["Set-Cookie"]


def test_reading_options_need_the_csrf_token(client: FlaskClient) -> None:
    refused = client.post("/reading-options", data={"text_size": "large", "style": "standard"})
    assert refused.status_code == 400 and "reading=" not in refused.headers.get("Set-Cookie", "")


def test_an_odd_cookie_reads_as_the_defaults(client: FlaskClient) -> None:
    client.set_cookie("reading", '"><script>.dyslexia')
    page = text_of(client.get("/"))
    assert '<body class="reading-dyslexia">' in page and "<script>." not in page


def test_a_secure_site_sets_a_secure_cookie(client: FlaskClient, app: Flask) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    saved = client.post(
        "/reading-options",
        data={"csrf_token": token(client), "text_size": "large", "style": "standard"},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/reading-options"},  # Flask-WTF checks it under HTTPS
    )
    assert saved.status_code == 303 and "Secure" in saved.headers["Set-Cookie"]


def test_the_phone_and_the_quiz_page_have_reading_options_and_read_aloud(
    app: Flask, teacher: FlaskClient, run: ClassRun
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "start")
    phone = text_of(ana.client.get(ana.play))
    assert f'href="/reading-options?next={ana.play}"' in phone
    assert "data-read-aloud" in phone and "js/read_aloud.js" in phone
    assert "Read aloud" not in phone  # the script adds the buttons, only where the browser can speak
    quiz = app.test_client()
    started = quiz.post("/quiz", data={"csrf_token": token(quiz), "mode": "practice", "count": 3})
    page = text_of(quiz.get(started.headers["Location"], follow_redirects=True))
    assert "data-read-aloud" in page and "js/read_aloud.js" in page


def test_closing_while_a_student_is_in_extra_time_says_so_first(
    app: Flask, teacher: FlaskClient, run: ClassRun
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    give_extra_time(teacher, run, ana, "2")
    step(teacher, run, "start")
    move_clock(app, run.public_id, 30)
    asked = teacher.post(f"{run.board}/close", data={"csrf_token": token(teacher), "position": "1"})
    assert asked.status_code == 200
    assert "1 student with extra time is still answering question 1: closing now ends their time." in text_of(
        asked
    )
    assert session_row(app, run.public_id).state == "running"  # nothing closed before the Yes


@pytest.mark.parametrize(
    ("action", "button"), [("reveal", "Reveal anyway"), ("next", "Next question anyway")]
)
def test_the_teacher_can_go_on_anyway_and_the_extra_time_ends(
    app: Flask, teacher: FlaskClient, run: ClassRun, action: str, button: str
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    give_extra_time(teacher, run, ana, "no-limit")
    step(teacher, run, "start")
    assert "anyway" not in text_of(teacher.get(run.board))  # offered only once a step was held
    held = step(teacher, run, action, 1)
    assert held.headers["Location"].endswith(f"{run.board}?held={action}")
    board = text_of(teacher.get(held.headers["Location"]))
    assert f"{button} (their extra time ends)" in board and "choose “anyway” below" in board
    assert "Students with extra time are still answering this question." not in board  # said once
    # the board's next update (live.js fetches it again) has no flash, but still says why "anyway" is there
    again = text_of(teacher.get(held.headers["Location"]))
    assert "choose “anyway” below" not in again and f"{button} (their extra time ends)" in again
    assert "Students with extra time are still answering this question." in again
    assert session_row(app, run.public_id).position == 1
    data = {"csrf_token": token(teacher), "position": "1", "anyway": "yes"}
    teacher.post(f"{run.board}/{action}", data=data)
    row = session_row(app, run.public_id)
    assert (row.position, row.question_state) == ((1, "revealed") if action == "reveal" else (2, "open"))
    answer(app, ana, position=1)
    assert stored(app, ana) == {}  # her time ended with the teacher's step
