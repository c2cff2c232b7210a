"""Certainty-based marking in a class session (docs/hints.md): a teacher who opens a student-paced session
with "Certainty-based marking" has each student say how sure they are of each answer, as a set's CBM quiz
does; the points are stored as always, the student sees Moodle's CBM summary once the answers are shown, and
the gradebook (page and CSV) adds each student's average CBM mark. Without the switch, and in a
teacher-paced session, nothing asks for a certainty. Homework on a set with CBM on gets the same column."""

from __future__ import annotations

import csv as csv_module
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.certainty import cbm_bonus
from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.services.hints import set_switches
from tests.web.classroom_steps import Student, open_session, page_at, started_with, step, students
from tests.web.homework import QUESTIONS, start
from tests.web.taking import attempt_slots, fields_for, submit
from tests.web.teachers import ADA, make_set, share_set, sign_in_teacher

RADIO = '<input type="radio" name="certainty" value="3">'


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


def answer_all(app: Flask, student: Student, hows: list[str], certainties: list[str]) -> None:
    """Answer the student's questions in order, each as `hows` says, with the certainty given ('': none)."""
    slots = attempt_slots(app, student.attempt_id)
    for slot, how, certainty in zip(slots, hows, certainties, strict=True):
        fields = {**fields_for(slot, how), **({"certainty": certainty} if certainty else {})}
        go = "finish" if slot.position == len(slots) else "next"
        assert submit(student.client, student.attempt_id, slot.position, fields, go=go).status_code == 302


def test_a_student_paced_session_with_cbm_asks_certainty_and_the_gradebook_shows_the_marks(
    app: Flask, teacher: FlaskClient
) -> None:
    run, ana, ben = started_with(teacher, app, pacing="student", certainty=True)
    assert RADIO in page_at(ana.client, f"/attempts/{ana.attempt_id}/1")
    answer_all(app, ana, ["right", "wrong"], ["3", "3"])  # sure both times: +3 and -6
    answer_all(app, ben, ["right", "right"], ["", ""])  # no certainty chosen: C=1, +1 each
    assert [s.certainty for s in attempt_slots(app, ana.attempt_id)] == [3, 3]
    assert [s.points for s in attempt_slots(app, ana.attempt_id)] == [1.0, 0.0]  # points as always

    book = page_at(teacher, f"/teacher/sessions/{run.public_id}/gradebook")
    assert 'title="Average certainty-based mark per question, −6 to 3">CBM</abbr>' in book
    cbm_cells = re.findall(r'<td class="num">([^<]*)</td>\s*</tr>', book)
    assert cbm_cells == ["−1.5", "1"]  # Ana (-6 + 3) / 2, Ben (1 + 1) / 2
    assert re.search(r"Q\d+, Ana: [^<]*\(C=3\)", book)
    assert re.search(r"Q\d+, Ben: [^<]*\(C=1, none chosen\)", book)
    assert "CBM: certainty-based marking." in book

    csv = teacher.get(f"/teacher/sessions/{run.public_id}/gradebook.csv").get_data(as_text=True)
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.endswith(",Average CBM mark (-6 to 3),Accuracy + CBM bonus (%)")
    # Moodle's 'CB accuracy': accuracy + a tenth of (average CBM - the best mark expected at that accuracy)
    assert (cbm_bonus(-1.5, 0.5), cbm_bonus(1.0, 1.0)) == (pytest.approx(-0.2), pytest.approx(-0.2))
    assert rows[0].startswith("Ana,") and rows[0].endswith(",-1.5,30")  # 50 % right, -20 % bonus
    assert rows[1].startswith("Ben,") and rows[1].endswith(",1,80")  # all right but never sure: -20 %

    items = " ".join(page_at(teacher, f"/teacher/sessions/{run.public_id}/items").split())
    assert items.count("Sure and wrong:") == 1  # Ana's second question only
    assert "1 student (Ana) said they were very sure (C=3) of a wrong answer." in items
    items_csv = teacher.get(f"/teacher/sessions/{run.public_id}/items.csv").get_data(as_text=True)
    item_rows = list(csv_module.reader(io.StringIO(items_csv.lstrip("\ufeff"))))
    assert item_rows[0][-1] == "Sure and wrong (C=3)"
    assert sorted(r[-1] for r in item_rows[1:]) == ["", "Ana"]

    step(teacher, run, "close")
    results = page_at(ana.client, f"/attempts/{ana.attempt_id}/results")
    assert "Certainty-based marking" in results and "Average CBM mark (−6 to 3)" in results
    assert "CBM mark −6" in results  # the wrong answer given sure, in its feedback


@pytest.mark.parametrize(
    ("pacing", "certainty"),
    [("student", False), ("teacher", True)],
    ids=["student-paced without the switch", "teacher-paced with it"],
)
def test_no_certainty_without_the_switch_nor_in_a_teacher_paced_session(
    app: Flask, teacher: FlaskClient, pacing: str, certainty: bool
) -> None:
    run, ana, _ = started_with(teacher, app, pacing=pacing, certainty=certainty)
    page = page_at(ana.client, f"/attempts/{ana.attempt_id}/1" if pacing == "student" else ana.play)
    assert 'name="certainty"' not in page
    if pacing == "student":  # a certainty sent anyway is not kept
        answer_all(app, ana, ["right", "right"], ["3", "3"])
        assert [s.certainty for s in attempt_slots(app, ana.attempt_id)] == [None, None]
    book = page_at(teacher, f"/teacher/sessions/{run.public_id}/gradebook")
    assert ">CBM</abbr>" not in book and "certainty-based marking" not in book
    assert "CBM" not in teacher.get(f"/teacher/sessions/{run.public_id}/gradebook.csv").get_data(as_text=True)
    assert "Sure and wrong" not in page_at(teacher, f"/teacher/sessions/{run.public_id}/items")
    assert "Sure and wrong" not in teacher.get(f"/teacher/sessions/{run.public_id}/items.csv").get_data(
        as_text=True
    )


def test_the_session_form_offers_the_switch_off_by_default(teacher: FlaskClient) -> None:
    form = page_at(teacher, "/teacher/sessions/new?set=bank")
    assert "Certainty-based marking (student-paced; students say how sure they are of each answer" in form
    box = re.search(r'<input[^>]*name="certainty"[^>]*>', form)
    assert box and 'type="checkbox"' in box.group(0) and "checked" not in box.group(0)


def test_homework_on_a_set_with_cbm_shows_the_marks(app: Flask, teacher: FlaskClient) -> None:
    set_id = make_set(app, ADA, "Sure of it", questions=QUESTIONS[:1])
    token = share_set(app, set_id)
    with app.app_context():
        set_switches(db.session.get(QuestionSet, set_id), certainty_marking=True)
    student = app.test_client()
    public_id = start(student, token, mode="test", count=1)
    (slot,) = attempt_slots(app, public_id)
    fields = {**fields_for(slot, "right"), "certainty": "2"}
    assert submit(student, public_id, 1, fields, go="finish").status_code == 302
    book = page_at(teacher, f"/teacher/sets/{set_id}/homework/gradebook")
    assert ">CBM</abbr>" in book and re.findall(r'<td class="num">([^<]*)</td>\s*</tr>', book) == ["2"]


def test_the_lobby_tells_students_what_the_quiz_asks(app: Flask, teacher: FlaskClient) -> None:
    """Before the start, a phone says that hints are offered and that each answer asks how sure they are."""
    both = {"count": 2, "types": "single_choice", "hints": True, "certainty": True}
    (ana,) = students(app, open_session(teacher, pacing="student", **both), "Ana")
    lobby = " ".join(page_at(ana.client, ana.play).split())
    assert "Each question offers hints from the text if you are stuck" in lobby
    assert "With each answer you say how sure you are (C=1, 2 or 3)." in lobby
    (ben,) = students(app, open_session(teacher, pacing="teacher", **both), "Ben")
    lobby = page_at(ben.client, ben.play)
    assert "hints from the text" not in lobby and "how sure" not in lobby  # teacher-paced: neither
