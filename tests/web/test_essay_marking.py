"""Essays through a share link (homework) and a class session: the student writes, the answer awaits
marking (results, My results, gradebook, CSV, item analysis say so), the set's owner marks it on the marking
page (CSRF, bad points refused beside the field, another teacher 404) and the score follows everywhere."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import QuestionSet, Response
from quizapp.services import teacher_sets
from tests.unit.factories import make_question
from tests.web.classroom_steps import join_student, open_session, session_row, slot_at, step
from tests.web.classroom_steps import token as class_token
from tests.web.homework import start
from tests.web.taking import attempt_row, attempt_slots, fields_for, submit
from tests.web.teachers import ADA, GRACE, SECOND, make_set, share_set, sign_in_teacher

GUIDE = "Full marks: the far side, and the first samples from there."
ESSAY = make_question(
    "essay",
    id="e1",
    prompt="Why did the flag on the far side matter?",
    word_limit=12,
    marking_guide=GUIDE,
    source=SECOND,
)
CHOICE = make_question("single_choice", id="q2", source="The samples came back to Earth in June.")
ANN_TEXT = "It was the first flag\nshown on the far side."


def text(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def homework(app: Flask, client: FlaskClient, other_client: FlaskClient) -> dict[str, object]:
    """Ada's shared set (an essay and a choice question) asking names; Ann answers both in a test. Ada is
    signed in in `other_client`."""
    sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA, "Flag essays", questions=[ESSAY, CHOICE])
    token = share_set(app, set_id)
    with app.app_context():
        teacher_sets.ask_names(db.session.get(QuestionSet, set_id), True)
    ann = start(client, token, mode="test", count=2, student_name="Ann")
    return {"set_id": set_id, "ann": ann, "base": f"/teacher/sets/{set_id}/homework/marking"}


def essay_position(app: Flask, public_id: str) -> int:
    return next(s.position for s in attempt_slots(app, public_id) if s.question.id == "e1")


def answer_and_finish(app: Flask, client: FlaskClient, public_id: str, essay: str = ANN_TEXT) -> None:
    for slot in attempt_slots(app, public_id):
        fields = {"answer": essay} if slot.question.id == "e1" else fields_for(slot, "right")
        assert submit(client, public_id, slot.position, fields, go="review").status_code == 302
    finish = client.post(f"/attempts/{public_id}/finish", data={"csrf_token": csrf_of(client, public_id)})
    assert finish.status_code == 302


def csrf_of(client: FlaskClient, public_id: str) -> str:
    page = client.get(f"/attempts/{public_id}/finish").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def marking_page(client: FlaskClient, homework: dict[str, object]) -> tuple[str, str, str]:
    """(path of the first answer's page, its HTML, its CSRF token), reached from the list of questions."""
    index = text(client, str(homework["base"]))
    path = re.search(r'href="([^"]+/marking/\d+/1)"', index).group(1)  # type: ignore[union-attr]
    page = text(client, path)
    return path, page, re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def response_id(page: str) -> str:
    return re.search(r'name="response_id"[^>]*value="(\d+)"', page).group(1)  # type: ignore[union-attr]


def test_the_essay_page_is_a_labelled_box_with_its_limit_and_no_marking_guide(
    app: Flask, client: FlaskClient, homework: dict[str, object]
) -> None:
    position = essay_position(app, str(homework["ann"]))
    page = text(client, f"/attempts/{homework['ann']}/{position}")
    assert '<label for="answer">Your answer</label>' in page
    assert re.search(r'<textarea id="answer" name="answer"[^>]*maxlength="20000"', page)
    assert "At most 12 words." in page and "Your teacher marks this answer" in page
    assert GUIDE not in page and "Full marks" not in page


def test_an_answer_over_the_word_limit_is_refused_beside_the_box_and_kept(
    app: Flask, client: FlaskClient, homework: dict[str, object]
) -> None:
    position = essay_position(app, str(homework["ann"]))
    long = "word " * 13
    response = submit(client, str(homework["ann"]), position, {"answer": long})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Your answer has 13 words; the limit is 12. Remove 1 word, then send it again." in page
    assert 'aria-invalid="true"' in page and f">{long}</textarea>" in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_results_say_awaiting_marking_then_show_the_points_and_comment(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    ann = str(homework["ann"])
    answer_and_finish(app, client, ann)
    results = text(client, f"/attempts/{ann}/results")
    assert "Awaiting marking" in results and "1 / 2" in results and "50% so far" in results
    assert "your teacher has 1 answer" in results and GUIDE not in results
    assert "It was the first flag<br>" in results  # the student's own words, line breaks kept
    assert "awaiting marking" in text(client, "/my-results")
    assert attempt_row(app, ann).unmarked == 1

    path, page, csrf = marking_page(other_client, homework)
    assert "0 of 1 marked" in page and GUIDE in page and "Why did the flag" in page
    assert "It was the first flag<br>" in page and "(10 words)" in page
    assert re.search(r'<input[^>]*autofocus[^>]*name="points"|name="points"[^>]*autofocus', page)
    saved = other_client.post(
        path,
        data={
            "csrf_token": csrf,
            "response_id": response_id(page),
            "points": "0,5",
            "comment": "Good start.",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/homework/marking")
    assert "1 of 1 marked" in text(other_client, str(homework["base"]))

    results = text(client, f"/attempts/{ann}/results")
    assert "Awaiting marking" not in results and "0.5 of 1 point" in results
    assert "Your teacher's comment" in results and "Good start." in results
    assert "1.5 / 2" in results and "so far" not in results
    row = attempt_row(app, ann)
    assert (row.score, row.unmarked) == (1.5, 0)
    assert "awaiting marking" not in text(client, "/my-results")


def seen(page: str) -> str:
    return re.search(r'name="seen"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_a_mark_is_refused_when_the_student_changed_the_answer_after_the_page_showed_it(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    ann = str(homework["ann"])
    position = essay_position(app, ann)
    assert submit(client, ann, position, {"answer": "First draft."}, go="review").status_code == 302
    path, page, csrf = marking_page(other_client, homework)  # Ann's quiz is still open
    assert "First draft." in page
    assert submit(client, ann, position, {"answer": "A better answer."}, go="review").status_code == 302
    data = {"csrf_token": csrf, "response_id": response_id(page), "seen": seen(page)}
    refused = other_client.post(path, data={**data, "points": "0.5", "comment": "Too short."})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Ann changed this answer after you opened it, so the mark was not saved." in page
    assert "A better answer." in page and "First draft." not in page  # the new text, to read
    assert 'value="0.5"' in page and "Too short.</textarea>" in page  # what the teacher typed stays
    with app.app_context():
        assert db.session.scalar(db.select(Response.points).where(Response.given.is_not(None))) is None
    saved = other_client.post(path, data={**data, "seen": seen(page), "points": "1", "comment": ""})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Response.points).where(Response.given.is_not(None))) == 1.0


def test_the_marking_page_refuses_bad_points_beside_the_field_and_posts_without_csrf(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    answer_and_finish(app, client, str(homework["ann"]))
    path, page, csrf = marking_page(other_client, homework)
    data = {"csrf_token": csrf, "response_id": response_id(page), "comment": "Kept"}
    for points, message in (
        ("2", "Points go from 0 to 1 (1 is full marks); 2 is outside that."),
        ("half", "“half” is not a number. Type points from 0 to 1, like 0.5 or 1."),
        ("", "Type the points for this answer: a number from 0 to 1, like 0.5."),
    ):
        refused = other_client.post(path, data={**data, "points": points})
        page = html.unescape(refused.get_data(as_text=True))
        assert refused.status_code == 400 and f'<p class="error" id="points-error">{message}</p>' in page
        assert "Kept</textarea>" in page
    no_csrf = other_client.post(path, data={**data, "csrf_token": "", "points": "1"})
    assert no_csrf.status_code == 400
    assert attempt_row(app, str(homework["ann"])).unmarked == 1  # nothing was marked


def test_another_teacher_gets_404_everywhere(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    answer_and_finish(app, client, str(homework["ann"]))
    path, page, _ = marking_page(other_client, homework)
    grace = sign_in_teacher(app, app.test_client(), GRACE, "Grace Hopper")
    assert grace.get(str(homework["base"])).status_code == 404
    assert grace.get(path).status_code == 404
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text(grace, "/teacher/")).group(1)  # type: ignore[union-attr]
    posted = grace.post(path, data={"csrf_token": csrf, "response_id": response_id(page), "points": "1"})
    assert posted.status_code == 404
    assert attempt_row(app, str(homework["ann"])).unmarked == 1


def test_a_page_number_or_question_outside_the_list_is_404(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    answer_and_finish(app, client, str(homework["ann"]))
    path, _, _ = marking_page(other_client, homework)
    assert other_client.get(path[:-1] + "2").status_code == 404
    version = int(path.split("/")[-2])
    assert other_client.get(f"{homework['base']}/{version + 1000}/1").status_code == 404


def test_gradebook_csv_and_item_analysis_wait_for_the_mark(
    app: Flask, client: FlaskClient, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    answer_and_finish(app, client, str(homework["ann"]))
    set_id = homework["set_id"]
    book = text(other_client, f"/teacher/sets/{set_id}/homework/gradebook")
    assert "… awaiting your marking" in book and "1 to mark" in book and "mark-awaiting" in book
    rows = list(csv.reader(io.StringIO(text(other_client, f"/teacher/sets/{set_id}/homework/gradebook.csv"))))
    header, ann = rows[0], rows[1]
    assert header[-1] == "Awaiting marking (empty cells, not in the total)"
    essay_column = next(i for i, h in enumerate(header) if h.startswith("Q") and "Why did the flag" in h)
    assert ann[essay_column] == "" and ann[-1] == "1" and ann[header.index("Total")] == "1"
    items = text(other_client, f"/teacher/sets/{set_id}/homework/items")
    assert "Awaiting marking" in items and "left out of these figures until marked" in items

    path, page, csrf = marking_page(other_client, homework)
    assert (
        other_client.post(
            path, data={"csrf_token": csrf, "response_id": response_id(page), "points": "1"}
        ).status_code
        == 302
    )
    rows = list(csv.reader(io.StringIO(text(other_client, f"/teacher/sets/{set_id}/homework/gradebook.csv"))))
    assert rows[1][essay_column] == "1" and rows[1][-1] == "0" and rows[1][header.index("Total")] == "2"
    assert "left out of these figures" not in text(other_client, f"/teacher/sets/{set_id}/homework/items")


def test_an_essay_in_a_class_session_counts_answered_reveals_no_key_and_counts_only_marked_points(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    teacher = sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA, "Class essays", questions=[ESSAY])
    run = open_session(teacher, set_id, count=1, leaderboard=True)
    student = join_student(app, client, run.code, "Ann")
    assert step(teacher, run, "start").status_code == 302
    slot = slot_at(app, student, 1)
    sent = student.client.post(
        f"{student.play}/answer",
        data={"answer": "The far side, first.", "position": "1", "csrf_token": class_token(student.client)},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    live = text(teacher, f"{run.board}/live")
    assert "1 answered · answer: Marked by the teacher" in live and "% right" not in live
    board = text(teacher, run.board)
    assert "<strong>1</strong> of 1 answered" in board
    assert step(teacher, run, "reveal", 1).status_code == 302
    play = text(client, student.play)
    assert "Awaiting marking" in play and "Marked by the teacher" in play
    assert "You have 0 points" in play and GUIDE not in play
    assert slot.question.id == "e1"

    marking = f"/teacher/sessions/{run.public_id}/marking"
    index = text(teacher, marking)
    assert "0 of 1 marked" in index
    path = re.search(r'href="([^"]+/marking/\d+/1)"', index).group(1)  # type: ignore[union-attr]
    page = text(teacher, path)
    data = {"csrf_token": class_token(teacher), "response_id": response_id(page), "points": "0.75"}
    assert teacher.post(path, data=data).status_code == 302
    play = text(client, student.play)
    assert "You have 0.75 points" in play and "Awaiting marking" not in play
    assert step(teacher, run, "close", 1).status_code == 302
    row = attempt_row(app, student.attempt_id)
    assert (row.score, row.unmarked) == (0.75, 0)
    assert session_row(app, run.public_id).state == "closed"


def test_the_export_page_of_a_set_with_an_essay_says_what_moodle_formats_leave_out(
    other_client: FlaskClient, homework: dict[str, object]
) -> None:
    """Moodle XML keeps the essay (its limits and guide too); GIFT holds only a bare essay, Aiken no essay."""
    page = text(other_client, f"/teacher/sets/{homework['set_id']}/export")
    section = {
        name: page[page.index(f'id="export-{name}"') :].split("</li>\n")[0]
        for name in ("moodle-xml", "gift", "aiken")
    }
    assert "leaves out" not in section["moodle-xml"]
    assert "GIFT leaves out 1 question of this set" in section["gift"]
    assert "essay settings (word limits" in section["gift"] and "marking guide" in section["gift"]
    assert "Aiken leaves out 1 question of this set" in section["aiken"]
    assert "not 'essay (marked by the teacher)'" in section["aiken"]
