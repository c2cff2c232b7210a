"""Hints from the text in a class session (docs/hints.md): a teacher who opens a student-paced session with
"Offer hints from the text" gives each student's quiz pages the hint ladder of practice quizzes; the hint's
price is taken from the points by the server, and the gradebook marks the answers given after a hint. Without
the switch, and in a teacher-paced session (the class answers the board's question together, against its
clock), nothing offers a hint and the hint address is not found."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.hints import hint_ladder
from tests.web.classroom_steps import Student, page_at, started_with
from tests.web.taking import attempt_row, attempt_slots, fields_for, submit, token
from tests.web.teachers import ADA, sign_in_teacher


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


def take_hint(student: Student, position: int, number: int) -> tuple[int, str]:
    """Press the hint button `number` of question `position` (its form, with its CSRF token)."""
    data = {"hint": str(number), "csrf_token": token(student.client)}
    response = student.client.post(f"/attempts/{student.attempt_id}/{position}/hint", data=data)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_a_student_paced_session_with_hints_offers_them_and_the_gradebook_marks_them(
    app: Flask, teacher: FlaskClient, bank: QuestionBank
) -> None:
    run, ana, ben = started_with(teacher, app, pacing="student", hints=True)
    assert attempt_row(app, ana.attempt_id).settings["hints"] is True
    (first, second) = attempt_slots(app, ana.attempt_id)
    ladder = hint_ladder(first.question, bank.article)
    assert ladder, "a bank question quotes its sentence: it has hints"

    page = page_at(ana.client, f"/attempts/{ana.attempt_id}/1")
    assert "Hints from the text" in page and "Show hint 1:" in page
    status, page = take_hint(ana, 1, 1)
    assert status == 200
    assert ladder[0].label in page and "Hint used: this question is worth 75% of its points." in page

    assert submit(ana.client, ana.attempt_id, 1, fields_for(first, "right")).status_code == 302
    assert submit(ana.client, ana.attempt_id, 2, fields_for(second, "right"), go="finish").status_code == 302
    assert [slot.points for slot in attempt_slots(app, ana.attempt_id)] == [0.75, 1.0]  # the server's price
    assert attempt_row(app, ana.attempt_id).score == 1.75
    for slot in attempt_slots(app, ben.attempt_id):  # Ben takes no hint
        submit(ben.client, ben.attempt_id, slot.position, fields_for(slot, "right"))

    book = page_at(teacher, f"/teacher/sessions/{run.public_id}/gradebook")
    assert book.count('<sup class="hint-mark" aria-hidden="true">h</sup>') == 1  # Ana's question 1 only
    tip = re.search(r"Q(\d+), Ana: [^<]*\(1 hint taken\)", book)
    assert tip, "the cell's tip counts the hints"
    assert "The student took hints from the text on this question, which lowered its points." in book
    assert "1.75" in book
    csv = teacher.get(f"/teacher/sessions/{run.public_id}/gradebook.csv").get_data(as_text=True)
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.endswith(",Hints taken (question: hints)")
    assert rows[0].startswith("Ana,") and rows[0].endswith(f",Q{tip.group(1)}: 1")  # Ben took none
    assert rows[1].startswith("Ben,") and rows[1].endswith(",")


@pytest.mark.parametrize(
    ("pacing", "hints"),
    [("student", False), ("teacher", True)],
    ids=["student-paced without the switch", "teacher-paced with it"],
)
def test_no_hint_without_the_switch_nor_in_a_teacher_paced_session(
    app: Flask, teacher: FlaskClient, pacing: str, hints: bool
) -> None:
    run, ana, _ = started_with(teacher, app, pacing=pacing, hints=hints)
    assert attempt_row(app, ana.attempt_id).settings["hints"] is False
    page = page_at(ana.client, f"/attempts/{ana.attempt_id}/1" if pacing == "student" else ana.play)
    assert "Hints from the text" not in page and "Show hint" not in page
    assert take_hint(ana, 1, 1)[0] == 404
    assert attempt_slots(app, ana.attempt_id)[0].hints_taken == 0
    book = page_at(teacher, f"/teacher/sessions/{run.public_id}/gradebook")
    assert "hint-mark" not in book and "took hints" not in book
    csv = teacher.get(f"/teacher/sessions/{run.public_id}/gradebook.csv").get_data(as_text=True)
    assert "Hints taken" not in csv


def test_the_session_form_offers_the_switch_off_by_default(teacher: FlaskClient) -> None:
    form = page_at(teacher, "/teacher/sessions/new?set=bank")
    assert "Offer hints from the text (student-paced; each hint taken lowers that question's points)" in form
    box = re.search(r'<input[^>]*name="hints"[^>]*>', form)
    assert box and 'type="checkbox"' in box.group(0) and "checked" not in box.group(0)
