"""The teacher's switch "Hints from the text" on a set's form: on by default, saved off and on again (CSRF,
another teacher's set 404), and the students of a shared set see hints only while it is on; on a teacher's
set, step 1 links to the paragraph in the shared text."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from quizapp.services.question_sets import set_article
from tests.conftest import get_token
from tests.unit.factories import make_question
from tests.web.homework import start
from tests.web.taking import token
from tests.web.teachers import ADA, GRACE, TEXT, make_set, set_row, share_set, sign_in_teacher


def save_set(client: FlaskClient, set_id: int, hints: bool, certainty_marking: bool = False) -> int:
    """POST the set's form as a browser does (an unticked box sends nothing); the status."""
    ticked = {"hints": hints, "certainty_marking": certainty_marking}
    data = {"title": "Flag set", "description": "", "source_text": TEXT}
    data |= {name: "y" for name, on in ticked.items() if on}
    data["csrf_token"] = get_token(client, f"/teacher/sets/{set_id}/edit")
    return client.post(f"/teacher/sets/{set_id}/edit", data=data).status_code


def shared_set(app: Flask, client: FlaskClient) -> tuple[FlaskClient, int, str]:
    """Ada signed in on `client`, her set (with a source text and two questions) and its share token."""
    ada = sign_in_teacher(app, client, ADA)
    set_id = make_set(app, ADA)
    return ada, set_id, share_set(app, set_id)


def hints_box(page: str) -> str:
    """The hints checkbox of the set's form."""
    match = re.search(r'<input[^>]*name="hints"[^>]*>', page)
    assert match, "no hints checkbox"
    return match.group(0)


def test_a_new_set_has_hints_on_and_the_teacher_turns_them_off_and_on(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    ada = sign_in_teacher(app, client, ADA)
    new_form = ada.get("/teacher/sets/new").get_data(as_text=True)
    assert "checked" in hints_box(new_form) and "Hints from the text" in new_form
    set_id = make_set(app, ADA)
    assert set_row(app, set_id).hints is True
    edit = html.unescape(ada.get(f"/teacher/sets/{set_id}/edit").get_data(as_text=True))
    assert "checked" in hints_box(edit) and 'aria-describedby="hints-hint"' in hints_box(edit)
    assert "Each step lowers what the question can earn (to 75%, 50%, 25%)" in edit

    assert save_set(ada, set_id, hints=False) == 302
    assert set_row(app, set_id).hints is False
    assert "checked" not in hints_box(ada.get(f"/teacher/sets/{set_id}/edit").get_data(as_text=True))
    no_csrf = ada.post(f"/teacher/sets/{set_id}/edit", data={"title": "Flag set", "hints": "y"})
    assert no_csrf.status_code == 400 and set_row(app, set_id).hints is False

    grace = sign_in_teacher(app, other_client, GRACE)
    theirs = {"title": "x", "hints": "y", "csrf_token": get_token(grace, "/teacher/sets/new")}
    assert grace.post(f"/teacher/sets/{set_id}/edit", data=theirs).status_code == 404
    assert set_row(app, set_id).hints is False
    assert save_set(ada, set_id, hints=True) == 302
    assert set_row(app, set_id).hints is True


def test_a_shared_sets_students_see_hints_only_while_they_are_on(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    ada, set_id, share = shared_set(app, client)
    student = other_client
    public_id = start(student, share, count=1)
    page = html.unescape(student.get(f"/attempts/{public_id}/1").get_data(as_text=True))
    assert "Show hint 1: Where to look (the question is then worth 75%)" in page
    taken = student.post(
        f"/attempts/{public_id}/1/hint", data={"hint": "1", "csrf_token": token(student)}
    ).get_data(as_text=True)
    with app.app_context():
        article = set_article(set_row(app, set_id))
    assert article is not None
    anchors = [s.anchor for s in article.paragraphs[0]]
    assert f'href="/s/{share}/text#{anchors[0]}"' in taken  # the paragraph in the shared text

    assert save_set(ada, set_id, hints=False) == 302
    page = student.get(f"/attempts/{public_id}/1").get_data(as_text=True)
    assert "Hints from the text" not in page
    refused = student.post(f"/attempts/{public_id}/1/hint", data={"hint": "2", "csrf_token": token(student)})
    assert refused.status_code == 404


def test_a_question_imported_with_moodle_hints_offers_its_authors_hints(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    sign_in_teacher(app, client, ADA)
    hints = [
        {"text": "<p>Look at the <b>newspaper</b> named.</p><script>alert(1)</script>", "format": "html"},
        {"text": "It is a daily.", "format": "moodle"},
    ]
    set_id = make_set(app, ADA, questions=[make_question("single_choice", id="q1", moodle={"hint": hints})])
    share = share_set(app, set_id)
    public_id = start(other_client, share, count=1)
    page = html.unescape(other_client.get(f"/attempts/{public_id}/1").get_data(as_text=True))
    assert "Show hint 1: Hint 1 of 2 (the question is then worth 75%)" in page
    assert "Hint 2. Hint 2 of 2: after this hint the question is worth 50% of its points." in page
    assert "newspaper" not in page and "It is a daily." not in page
    data = {"hint": "1", "csrf_token": token(other_client)}
    taken = other_client.post(f"/attempts/{public_id}/1/hint", data=data).get_data(as_text=True)
    assert "Look at the <b>newspaper</b> named." in taken  # the author's HTML, cleaned
    assert "<script>alert(1)</script>" not in taken
    assert "It is a daily." not in taken and "Read this paragraph" not in taken
