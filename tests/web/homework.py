"""A student on a set's share link, for the web tests: starting a quiz, answering every question,
finishing."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import get_token
from tests.unit.factories import make_question
from tests.web.taking import How, attempt_id_from, attempt_slots, fields_for, submit
from tests.web.teachers import FIRST, page_text

# Each on a sentence of its own: a drawn quiz never asks two questions on one sentence.
QUESTIONS = [
    make_question("single_choice", id="q1"),
    make_question("true_false", id="q2", source="The samples came back to Earth in June."),
    make_question("numeric", id="q3", source=FIRST, topics=["dates"]),
    make_question("multiple_choice", id="q4", source="Scientists are studying them now."),
]


def start(client: FlaskClient, token: str, mode: str = "practice", count: int = 10, **fields: Any) -> str:
    """Start a quiz from the share page's form; returns the attempt's public id."""
    data = {"count": count, "mode": mode, **fields, "csrf_token": get_token(client, f"/s/{token}")}
    return attempt_id_from(client.post(f"/s/{token}", data=data))


def answer_all(app: Flask, client: FlaskClient, public_id: str, how: dict[str, How], go: str) -> None:
    """Answer every question of the attempt as `how` says (by question id), sending `go`."""
    for slot in attempt_slots(app, public_id):
        fields = fields_for(slot, how.get(slot.question.id, "right"))
        response = submit(client, public_id, slot.position, fields, go=go)
        assert response.status_code == 302, response.get_data(as_text=True)


def finish(client: FlaskClient, public_id: str) -> str:
    """Finish the attempt from its finish page; returns the results page's HTML."""
    data = {"csrf_token": get_token(client, f"/attempts/{public_id}/finish")}
    assert client.post(f"/attempts/{public_id}/finish", data=data).status_code == 302
    response = client.get(f"/attempts/{public_id}/results")
    assert response.status_code == 200
    return page_text(response)
