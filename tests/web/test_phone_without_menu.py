"""Students' phones during a class session show the session only: no site menu to wander off to (the play
page, and the question pages of a student-paced session); a quiz taken alone keeps the menu."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.classroom_steps import join_student, open_session, step, text_of
from tests.web.teachers import ADA, sign_in_teacher

MENU = 'aria-label="Main"'


def test_the_play_page_has_no_site_menu(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher, pacing="teacher")
    student = join_student(app, app.test_client(), run.code, "Li Wei")
    assert MENU not in text_of(student.client.get(student.play))
    assert MENU in text_of(student.client.get("/join"))  # before joining, the menu is there


def test_a_student_paced_class_quiz_has_no_site_menu(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher, pacing="student")
    student = join_student(app, app.test_client(), run.code, "Li Wei")
    step(teacher, run, "start")
    page = student.client.get(student.play, follow_redirects=True)
    assert page.status_code == 200 and "Question 1 of" in text_of(page)
    assert MENU not in text_of(page)
