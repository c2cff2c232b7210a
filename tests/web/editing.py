"""The question editor's tests' helpers and fixtures (test_editor.py, test_sanitising.py and
test_evidence_web.py): one app and database per module with Ada signed in, a new set of Ada's per test, forms
sent as a browser would send them, and every type's editor fields (CASES).

`app`, `ada_browser` and `ada` replace conftest.py's fixtures of those names, so they are not in conftest.py:
a module that wants them imports them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Question, QuestionSet, Teacher
from quizapp.services.accounts import create_teacher
from quizapp.services.teacher_sets import create_set, share
from tests.conftest import csrf_token, get_token, make_app
from tests.databases import close_connections, loaded_copy
from tests.web.taking import choice_value

PASSWORD = "correct horse battery"


SOURCE_TEXT = (
    "The cat sat on the mat. The dog barked at the “postman”.\n"
    "Birds sing at dawn. Fish swim in the sea. Frogs jump."
)


Fields = dict[str, Any]


SET_PAGE = "/teacher/password"  # any page of the teacher's with a form: its token is the session's


@dataclass(frozen=True)
class Owned:
    """A teacher's set (by id) and the browser signed in as that teacher."""

    set_id: int
    client: FlaskClient


def sign_in(app: Flask, email: str) -> FlaskClient:
    """A new browser signed in as the teacher `email` (created on the spot)."""
    with app.app_context():
        create_teacher(email, email.split("@")[0].title(), PASSWORD)
    client = app.test_client()
    data = {"email": email, "password": PASSWORD, "csrf_token": get_token(client, "/teacher/login")}
    assert client.post("/teacher/login", data=data).status_code == 302
    return client


def add_set(app: Flask, email: str, source_text: str = SOURCE_TEXT) -> int:
    """A new set of the teacher `email`; its id."""
    with app.app_context():
        teacher = db.session.scalar(db.select(Teacher).where(Teacher.email == email))
        return create_set(teacher, "Animals", "", source_text).id


@pytest.fixture(scope="module")
def app(loaded_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on this module's own copy of the loaded database."""
    shared = make_app(loaded_copy(loaded_database, tmp_path_factory.mktemp("editor"), "editor"))
    yield shared
    with shared.app_context():
        close_connections()


@pytest.fixture(scope="module")
def ada_browser(app: Flask) -> FlaskClient:
    """Ada's browser, signed in once for the module."""
    return sign_in(app, "ada@school.org")


@pytest.fixture
def ada(app: Flask, ada_browser: FlaskClient) -> Owned:
    """Ada with a new set 'Animals' (which has a source text); messages of earlier tests already read."""
    ada_browser.get(SET_PAGE)
    return Owned(add_set(app, "ada@school.org"), ada_browser)


def new_url(set_id: int, qtype: str) -> str:
    """The editor's address for a new question of `qtype`."""
    return f"/teacher/sets/{set_id}/questions/new?type={qtype}"


def question_url(set_id: int, question_id: int, action: str) -> str:
    """The address of an editor action (edit, preview, delete, move) on one question."""
    return f"/teacher/sets/{set_id}/questions/{question_id}/{action}"


def send(
    client: FlaskClient,
    url: str,
    fields: Mapping[str, Any] | MultiDict,
    action: str = "save",
    page: str | None = None,
) -> TestResponse:
    """Send `fields` to `url` with the button `action` pressed, and the token of `page` (default: `url`)."""
    data = MultiDict(fields)
    data.setlist("csrf_token", [get_token(client, page or url)])
    data.setlist("action", [action])
    return client.post(url, data=data)


def versions(app: Flask, set_id: int) -> list[list[dict[str, Any]]]:
    """Every question of the set in its order (withdrawn ones too), each as its versions' contents."""
    with app.app_context():
        query = db.select(Question).where(Question.set_id == set_id).order_by(Question.position)
        rows = db.session.scalars(query)
        return [[v.content for v in row.versions] for row in rows]


def question_ids(app: Flask, set_id: int) -> list[int]:
    """The ids of the set's questions, in order."""
    with app.app_context():
        query = db.select(Question.id).where(Question.set_id == set_id, Question.hidden.is_(False))
        return list(db.session.scalars(query.order_by(Question.position)))


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown beside a field (or above a list of rows)."""
    found = re.findall(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    return [message.replace("&#39;", "'") for message in found]


class EditorFields(HTMLParser):
    """The fields a browser sends from the editor's form as it is shown (checked boxes, textareas...)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: MultiDict = MultiDict()
        self._in_form = False
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "form" and "editor" in (attr.get("class") or ""):
            self._in_form = True
        if not self._in_form or "name" not in attr or tag not in ("input", "textarea"):
            return
        if tag == "textarea":
            self._textarea = [attr["name"] or "", ""]
        elif attr.get("type") not in ("radio", "checkbox") or "checked" in attr:
            self.fields.add(attr["name"], attr.get("value") or "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.add(name, text.removeprefix("\r\n").removeprefix("\n"))  # a browser drops it
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def shown_fields(html: str) -> MultiDict:
    """The editor form's fields as a browser would send them, without the token and the buttons."""
    parser = EditorFields()
    parser.feed(html)
    parser.fields.poplist("csrf_token")
    parser.fields.poplist("action")
    return parser.fields


def browser_fields(client: FlaskClient, url: str, changes: Mapping[str, Any]) -> MultiDict:
    """What a browser sends from the form at `url` after the changes typed in (every row, even empty ones)."""
    fields = shown_fields(client.get(url).get_data(as_text=True))
    for name, value in changes.items():
        fields.setlist(name, value if isinstance(value, list) else [value])
    return fields


def student_pages(app: Flask, set_id: int) -> list[str]:
    """A student takes the set (one question) through its share link: the question page, the page with
    the feedback after answering the first choice, and the results page."""
    with app.app_context():
        token = share(db.session.get(QuestionSet, set_id))
    student = app.test_client()
    start = f"/s/{token}"
    started = student.post(
        start,
        data={
            "count": 1,
            "mode": "practice",
            "csrf_token": csrf_token(student.get(start).get_data(as_text=True)),
        },
    )
    question = started.headers["Location"]
    pages = [student.get(question).get_data(as_text=True)]
    token = csrf_token(pages[0])
    cat = choice_value(pages[0], "cat")
    student.post(question, data={"answer": cat, "go": "check", "csrf_token": token})
    pages.append(student.get(question).get_data(as_text=True))
    finished = student.post(question.rsplit("/", 1)[0] + "/finish", data={"csrf_token": token})
    pages.append(student.get(finished.headers["Location"]).get_data(as_text=True))
    assert "Your score" in pages[-1]
    return pages


def stored(**fields: Any) -> dict[str, Any]:
    """The stored form of the set's first question (question_to_dict's keys), with `fields` changed."""
    base = {"id": "q1", "choices": None, "explanation": "", "source": "", "topics": [], "difficulty": 2}
    return {**base, **fields}


CASES: dict[str, tuple[Fields, dict[str, Any]]] = {
    "single_choice": (
        {
            "title": "Who sat",
            "prompt": "Which animal sat on the mat?",
            "choices-0-text": "cat",
            "choices-0-feedback": "Yes: the first sentence says so.",
            "choices-1-text": "dog",
            "choices-1-weight": "50",
            "choices-1-feedback": "The dog barked.",
            "choices-2-text": "bird",
            "choices-3-text": "",
            "correct": "0",
            "explanation": "The text says the cat sat.",
            "topics": "cats, mats, cats",
            "difficulty": "1",
            "source": "The cat sat on the mat.",
        },
        stored(
            type="single_choice",
            prompt="Which animal sat on the mat?",
            choices=["cat", "dog", "bird"],
            answer="cat",
            explanation="The text says the cat sat.",
            source="The cat sat on the mat.",
            topics=["cats", "mats"],
            difficulty=1,
            title="Who sat",
            feedback=["Yes: the first sentence says so.", "The dog barked.", ""],
            weights=[1, 0.5, 0],
        ),
    ),
    "multiple_choice": (
        {
            "prompt": "Which animals are in <b>the first</b> paragraph?",
            "format": "html",
            "choices-0-text": "cat",
            "choices-1-text": "fish",
            "choices-2-text": "dog",
            "choices-3-text": "bird",
            "correct": ["0", "2"],
        },
        stored(
            type="multiple_choice",
            prompt="Which animals are in <b>the first</b> paragraph?",
            choices=["cat", "fish", "dog", "bird"],
            answer=["cat", "dog"],
            format="html",
        ),
    ),
    "true_false": (
        {
            "prompt": "Fish swim in the sea.",
            "truth": "true",
            "feedback_true": "Right.",
            "feedback_false": "The last sentence says they do.",
            "source": "Fish swim in the sea.",
        },
        stored(
            type="true_false",
            prompt="Fish swim in the sea.",
            answer=True,
            source="Fish swim in the sea.",
            feedback=["Right.", "The last sentence says they do."],
        ),
    ),
    "fill_blank": (
        {
            "prompt": "The ___ sat on the mat.",
            "answers-0-text": "cat",
            "answers-1-text": "kitten",
            "answers-1-weight": "50",
            "answers-1-feedback": "A young cat: half right.",
        },
        stored(
            type="fill_blank",
            prompt="The ___ sat on the mat.",
            answer=["cat", "kitten"],
            weights=[1, 0.5],
            feedback=["", "A young cat: half right."],
        ),
    ),
    "numeric": (
        {
            "prompt": "How many kinds of animal does the text name?",
            "number": "4,5",
            "tolerance": "0.5",
            "alternatives-0-value": "3",
            "alternatives-0-weight": "50 %",
        },
        stored(
            type="numeric",
            prompt="How many kinds of animal does the text name?",
            answer=4.5,
            tolerance=0.5,
            alternatives=[[3, 0, 0.5]],
        ),
    ),
    "ordering": (
        {
            "prompt": "Put them in the order of the text.",
            "items-0": "cat",
            "items-1": "dog",
            "items-2": "",
            "items-3": "birds",
        },
        stored(type="ordering", prompt="Put them in the order of the text.", answer=["cat", "dog", "birds"]),
    ),
    "matching": (
        {
            "prompt": "Match each animal with what it does.",
            "pairs-0-left": "cat",
            "pairs-0-right": "sat",
            "pairs-1-left": "dog",
            "pairs-1-right": "barked",
            "pairs-2-left": "birds",
            "pairs-2-right": "sing",
            "distractors-0": "fly to the moon",
        },
        stored(
            type="matching",
            prompt="Match each animal with what it does.",
            answer=[["cat", "sat"], ["dog", "barked"], ["birds", "sing"]],
            extra_options=["fly to the moon"],
        ),
    ),
    "description": (
        {"prompt": "Read the text first.\nThen answer."},
        stored(type="description", prompt="Read the text first.\nThen answer.", answer=None),
    ),
}
