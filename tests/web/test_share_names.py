"""A share link that asks for a name: the teacher turns it on or off on the set page ("Ask students for their
name"); while it is on, the share page's start form has a required "Your name" field, cleaned like a class
session's display names and kept with the attempt."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.models import Attempt
from tests.conftest import get_token
from tests.web.homework import start
from tests.web.taking import attempt_row, count_rows
from tests.web.teachers import field_errors, page_text, set_row


def ask_names(teacher: FlaskClient, set_id: int, on: bool) -> str:
    """Tick or untick "Ask students for their name" on the set page and save; returns the set page."""
    data = {"action": "name", "csrf_token": get_token(teacher, f"/teacher/sets/{set_id}")}
    if on:
        data["asks_name"] = "y"
    response = teacher.post(f"/teacher/sets/{set_id}/share", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("#sharing")
    return page_text(teacher.get(f"/teacher/sets/{set_id}"))


def test_the_teacher_turns_asking_for_names_on_and_off(
    app: Flask, client: FlaskClient, other_client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id, token = shared
    assert set_row(app, set_id).asks_name is False
    page = ask_names(other_client, set_id, on=True)
    assert set_row(app, set_id).asks_name is True
    assert "Students are asked for their name" in page
    assert 'name="asks_name" type="checkbox" value="y" checked' in page
    page = ask_names(other_client, set_id, on=False)
    assert set_row(app, set_id).asks_name is False
    assert 'name="asks_name" type="checkbox" value="y" aria-describedby' in page
    assert "Your name" not in page_text(client.get(f"/s/{token}"))
    assert attempt_row(app, start(client, token)).settings.get("student_name") is None


def test_a_name_is_asked_required_and_kept_with_the_attempt_cleaned(
    app: Flask, client: FlaskClient, other_client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id, token = shared
    ask_names(other_client, set_id, on=True)
    html = page_text(client.get(f"/s/{token}"))
    field = re.search(r'<input [^>]*id="student_name"[^>]*>', html)
    assert field is not None and 'maxlength="30"' in field.group(0) and " required " in field.group(0)
    assert '<label for="student_name">Your name</label>' in html
    public_id = start(client, token, student_name="  Ada\u200b   Lovelace\n")
    assert attempt_row(app, public_id).settings["student_name"] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Type your name: your teacher sees it with your answers."),
        (" \u200b ", "Type a name with at least one letter or digit."),
        ("x" * 31, "Use at most 30 characters."),
    ],
)
def test_a_missing_or_unreadable_name_is_refused_beside_its_field(
    app: Flask, client: FlaskClient, other_client: FlaskClient, shared: tuple[int, str], name: str, error: str
) -> None:
    set_id, token = shared
    ask_names(other_client, set_id, on=True)
    before = count_rows(app, Attempt)
    data = {"count": 3, "mode": "test", "student_name": name, "csrf_token": get_token(client, f"/s/{token}")}
    response = client.post(f"/s/{token}", data=data)
    assert response.status_code == 400
    assert field_errors(page_text(response), "student_name") == [error]
    assert count_rows(app, Attempt) == before


def test_practising_the_mistakes_keeps_the_name(
    app: Flask, client: FlaskClient, other_client: FlaskClient, shared: tuple[int, str]
) -> None:
    """'Practise my mistakes' after a named attempt starts a quiz the teacher sees under the same name."""
    set_id, token = shared
    ask_names(other_client, set_id, on=True)
    public_id = start(client, token, mode="test", student_name="Ada")
    client.post(f"/attempts/{public_id}/finish", data={"csrf_token": get_token(client, f"/s/{token}")})
    results = page_text(client.get(f"/attempts/{public_id}/results"))
    ids = re.search(r'name="question_ids" type="hidden" value="([^"]+)"', results)
    assert ids, "no 'Practise my mistakes' form"
    data = {
        "question_ids": ids.group(1),
        "mode": "practice",
        "from_attempt": public_id,
        "csrf_token": get_token(client, f"/s/{token}"),
    }
    retry = client.post("/quiz/selection", data=data)
    retry_id = retry.headers["Location"].split("/")[2]
    assert attempt_row(app, retry_id).settings["student_name"] == "Ada"
