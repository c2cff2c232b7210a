"""Every route of the URL map, walked with ids no row can have: beyond SQLite's 64-bit integers, negative, not
numbers. As the owning teacher, as a student of the session and as a stranger, by GET and POST (with a valid
CSRF token): never a server error, and nothing written. Then the same routes with their real ids and such
values in every form field and query parameter a page reads: never a server error.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.services.question_sets import current_questions
from tests.conftest import make_app
from tests.web.classroom_steps import classroom_state, join_student, open_session, step, token
from tests.web.teachers import ADA, make_set, share_set, sign_in_teacher

HUGE = ["9223372036854775808", "99999999999999999999", "-9223372036854775809"]
BAD_IDS = [*HUGE, "-1", "abc", "1.5"]
# Every form field and query parameter a page reads as a number (or a path), each given a bad value.
FIELDS = ("position", "set", "into", "into_set", "count", "question_seconds", "quiz_minutes", "back")
_PART = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def walked_rules() -> list[Rule]:
    """The routes with a variable part, read from a freshly built app (never connected)."""
    app = make_app(Path(tempfile.gettempdir()) / "quizapp-walk-routes.sqlite3")
    return sorted((r for r in app.url_map.iter_rules() if r.arguments), key=lambda r: r.rule)


RULES = {rule.endpoint: rule for rule in walked_rules() if rule.endpoint != "static"}


@dataclass
class World:
    """A teacher with a set and a running session, a student in it, and a stranger; the ids of their rows."""

    teacher: FlaskClient
    student: FlaskClient
    stranger: FlaskClient
    ids: dict[str, dict[str, str]]  # per blueprint (or "*"), per URL part: a real value

    def browsers(self) -> list[tuple[str, FlaskClient]]:
        """Who sends the requests."""
        return [("teacher", self.teacher), ("student", self.student), ("stranger", self.stranger)]

    def value(self, endpoint: str, name: str) -> str:
        """A real value for URL part `name` of `endpoint`."""
        blueprint = endpoint.split(".")[0]
        return self.ids.get(blueprint, {}).get(name) or self.ids["*"].get(name, "x")


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> World:
    teacher = sign_in_teacher(app, client, ADA)
    set_id = make_set(app, ADA)
    share = share_set(app, set_id)
    with app.app_context():
        question_id = current_questions(db.session.get(QuestionSet, set_id))[0][0].id
    run = open_session(teacher)
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "start")
    stranger = app.test_client()
    ids = {
        "*": {
            "set_id": str(set_id),
            "question_id": str(question_id),
            "public_id": run.public_id,
            "participant_id": str(ana.participant_id),
            "position": "1",
            "code": run.code,
            "anchor": "p1s1",
            "fmt": "json",
        },
        "attempts": {"public_id": ana.attempt_id},
        "share": {"token": share},
    }
    return World(teacher, ana.client, stranger, ids)


def url(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with these values put in as they are (even where its converter would refuse them)."""
    return _PART.sub(lambda part: values[part.group(1)], rule.rule)


def row_counts(app: Flask) -> dict[str, int]:
    """How many rows each table holds."""
    with app.app_context():
        return {
            table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def send(client: FlaskClient, method: str, path: str, bad: str) -> int:
    """A request with `bad` in every numeric field and query parameter, and the browser's CSRF token."""
    fields = dict.fromkeys(FIELDS, bad)
    if method == "GET":
        return client.get(path, query_string=fields).status_code
    data = {**fields, "csrf_token": token(client), "comment": "x", "back": "/\n/evil.example"}
    return client.open(path, method=method, data=data).status_code


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_ids_no_row_can_have_are_not_found_and_write_nothing(app: Flask, world: World, endpoint: str) -> None:
    rule = RULES[endpoint]
    real = {name: world.value(endpoint, name) for name in rule.arguments}
    before = row_counts(app)
    for name in sorted(rule.arguments):
        # A number in the route: not found. A text (a code, a token): what the page says of unknown ones.
        expected = {404} if re.search(rf"<int:{name}>", rule.rule) else {200, 302, 400, 403, 404, 405}
        for bad in BAD_IDS:
            path = url(rule, {**real, name: bad})
            for method in methods(rule):
                for who, browser in world.browsers():
                    status = send(browser, method, path, "1")
                    assert status in expected, (who, method, path, status)
    assert row_counts(app) == before


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_bad_numbers_in_forms_and_queries_are_refused_plainly(
    app: Flask, world: World, endpoint: str
) -> None:
    rule = RULES[endpoint]
    path = url(rule, {name: world.value(endpoint, name) for name in rule.arguments})
    for bad in BAD_IDS:
        for method in methods(rule):
            for who, browser in world.browsers():
                status = send(browser, method, path, bad)
                assert status < 500, (who, method, path, bad, status)


@pytest.mark.parametrize("position", [*HUGE, "²", "1.0", "-1"])
def test_a_control_button_with_a_bad_question_number_moves_nothing(
    app: Flask, world: World, position: str
) -> None:
    """The projector's buttons send the question's number: with anything but one, nothing moves and the
    teacher is shown where the session is (as after a double click)."""
    board = f"/teacher/sessions/{world.ids['*']['public_id']}"
    before = classroom_state(app)
    for action in ("reveal", "next"):
        data = {"csrf_token": token(world.teacher), "position": position}
        sent = world.teacher.post(f"{board}/{action}", data=data)
        assert (sent.status_code, sent.headers["Location"]) == (302, board)
    assert classroom_state(app) == before


@pytest.mark.parametrize("position", [*HUGE, "²", "1.0", "-1", ""])
def test_an_answer_to_a_question_number_that_cannot_be_is_refused(
    app: Flask, world: World, position: str
) -> None:
    play = f"/play/{world.ids['*']['public_id']}"
    before = classroom_state(app)
    data = {"csrf_token": token(world.student), "position": position, "answer": "0"}
    assert world.student.post(f"{play}/answer", data=data).status_code == 400
    assert classroom_state(app) == before
