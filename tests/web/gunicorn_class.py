"""A class on gunicorn servers, for the concurrency tests: a teacher made on the command line opens a session,
students join over HTTP and send their answers at once; what the database stored."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import requests

from quizapp.domain.questions import Question, question_from_dict
from quizapp.services.attempt_views import slot_tokens
from tests.conftest import csrf_token
from tests.databases import json_value, query
from tests.web.live_gunicorn import Server
from tests.web.taking import How, answer_fields, intended_answer

TIMEOUT = 30


EMAIL, PASSWORD = "ada@school.org", "correct horse battery"


BAD = ("database is locked", "Traceback")


@dataclass
class Browser:
    """A browser (cookies kept) and what went wrong in it."""

    server: Server
    http: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    problems: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, expected: int, **data: object) -> requests.Response:
        """One request; an unexpected status or an error in the body is recorded as a problem."""
        response = self.http.request(
            method, self.server.url + path, data=data or None, allow_redirects=False, timeout=TIMEOUT
        )
        if response.status_code != expected:
            self.problems.append(f"{method} {path}: {response.status_code}, expected {expected}")
        self.problems.extend(f"{method} {path}: {bad}" for bad in BAD if bad in response.text)
        return response

    def open_form(self, path: str) -> str:
        """GET a page with a form and keep its CSRF token; returns the page."""
        page = self.call("GET", path, 200).text
        self.token = csrf_token(page)
        return page


def open_class(server: Server) -> tuple[Browser, str, str]:
    """Ada signs in and opens a teacher-paced session of 2 questions: (her browser, session id, join code)."""
    ada = Browser(server)
    ada.open_form("/teacher/login")
    ada.call("POST", "/teacher/login", 302, email=EMAIL, password=PASSWORD, csrf_token=ada.token)
    ada.open_form("/teacher/sessions/new?set=bank")
    fields = {"count": 2, "pacing": "teacher", "shuffle": "y", "late_join": "y", "csrf_token": ada.token}
    created = ada.call("POST", "/teacher/sessions/new?set=bank", 302, **fields)
    public_id = created.headers["Location"].rsplit("/", 1)[1]
    board = ada.open_form(f"/teacher/sessions/{public_id}")
    code = re.search(r'aria-label="Join code: ([^"]+)"', board)
    assert code, board
    return ada, public_id, code.group(1).replace(" ", "")


def join(server: Server, code: str, name: str) -> Browser:
    """A student's phone opens the join page and joins as `name`."""
    student = Browser(server)
    student.open_form(f"/join/{code}")
    joined = student.call("POST", "/join", 302, code=code, name=name, csrf_token=student.token)
    if not joined.headers.get("Location", "").startswith("/play/"):
        student.problems.append(f"{name}: joining led to {joined.headers.get('Location')}")
    return student


def first_questions(database: str, public_id: str) -> dict[str, tuple[int, Question, int]]:
    """Per student's name: the version id, the question and the slot id of their question 1, read from the
    database."""
    rows = query(
        database,
        "SELECT p.display_name, qv.id, qv.content, aq.id FROM participant p "
        "JOIN class_session s ON s.id = p.session_id "
        "JOIN attempt_question aq ON aq.attempt_id = p.attempt_id AND aq.position = 1 "
        "JOIN question_version qv ON qv.id = aq.question_version_id WHERE s.public_id = :public_id",
        public_id=public_id,
    )
    return {
        name: (version, question_from_dict(json_value(content)), slot_id)
        for name, version, content, slot_id in rows
    }


def answer_forms(
    questions: dict[str, tuple[int, Question, int]], how: dict[str, How], secret_key: str
) -> dict[str, dict[str, object]]:
    """Per student's name: the form fields answering their question 1 as `how` says, valued by the answer
    tokens the server (of `secret_key`) put on their page."""
    return {
        name: answer_fields(
            question, intended_answer(question, how[name]), slot_tokens(secret_key, slot_id, question)
        )
        for name, (_, question, slot_id) in questions.items()
    }


def stored_answers(database: str, public_id: str) -> list[tuple[str, int, float]]:
    """Every stored answer of the session: (student's name, question version, points)."""
    return query(
        database,
        "SELECT p.display_name, r.question_version_id, r.points FROM response r "
        "JOIN participant p ON p.attempt_id = r.attempt_id "
        "JOIN class_session s ON s.id = p.session_id WHERE s.public_id = :public_id",
        public_id=public_id,
    )


def answer_at_once(student: Browser, play: str, fields: dict[str, object], barrier: threading.Barrier) -> str:
    """Wait for the whole class, then send the answer; returns the page the redirect leads to."""
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        student.problems.append("the barrier broke")
        raise
    sent = student.call("POST", f"{play}/answer", 303, **fields, position=1, csrf_token=student.token)
    if sent.headers.get("Location") != play:
        student.problems.append(f"the answer led to {sent.headers.get('Location')}")
    return student.call("GET", play, 200).text
