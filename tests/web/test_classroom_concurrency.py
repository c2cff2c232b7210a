"""50 students answering the same teacher-paced question at the same instant, over real HTTP, against gunicorn
on a SQLite file: with `make run`'s workers and threads, and with 2 workers of 8 threads (writers of one
process racing each other as well as the other process's).

A teacher made on the command line signs in and opens a session; the 50 students join (a few at a time), the
teacher starts it, then every student's answer POST waits at a barrier and all are sent at once. Every student
must get the "Answer saved" redirect, the database must hold exactly 50 answers to that question with the
points the key gives, and no response or server log line may say "database is locked" or show a traceback.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests

from quizapp.domain.questions import Question, question_from_dict
from quizapp.services.attempt_views import slot_tokens
from tests.conftest import csrf_token
from tests.databases import json_value, query
from tests.web.live_gunicorn import MAKE_RUN, THREADED, Server, flask_command, gunicorn
from tests.web.taking import How, answer_fields, expected_points, intended_answer

STUDENTS = 50
TIMEOUT = 30
EMAIL, PASSWORD = "ada@school.org", "correct horse battery"
BAD = ("database is locked", "Traceback")


@pytest.fixture(scope="module", params=[MAKE_RUN, THREADED], ids=["make-run", "2x8"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn serving quizapp on a fresh database file, with Ada's account made on the command line."""
    folder = tmp_path_factory.mktemp("classroom-concurrency")
    settings = {"SECRET_KEY": "classroom-concurrency", "ARGON2_MEMORY_KIB": "1024"}
    with gunicorn(folder, shape=request.param, **settings) as running:
        made = flask_command(running.env, "users", "create-teacher", EMAIL, "--password", PASSWORD)
        assert made.returncode == 0, made.stderr
        yield running


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


def test_fifty_students_answer_the_same_question_at_once(server: Server) -> None:
    ada, public_id, code = open_class(server)
    names = [f"Student {n:02d}" for n in range(STUDENTS)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        students = dict(zip(names, pool.map(lambda name: join(server, code, name), names), strict=True))
    ada.call("POST", f"/teacher/sessions/{public_id}/start", 302, position=0, csrf_token=ada.token)

    questions = first_questions(server.database, public_id)
    assert sorted(questions) == names
    how: dict[str, How] = {name: "right" if n % 2 else "wrong" for n, name in enumerate(names)}
    forms = {
        name: answer_fields(
            questions[name][1],
            intended_answer(questions[name][1], how[name]),
            slot_tokens(server.env["SECRET_KEY"], questions[name][2], questions[name][1]),
        )
        for name in names
    }
    barrier = threading.Barrier(STUDENTS)
    play = f"/play/{public_id}"
    with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
        futures = {
            name: pool.submit(answer_at_once, students[name], play, forms[name], barrier) for name in names
        }
        pages = {name: future.result() for name, future in futures.items()}

    assert [p for browser in (ada, *students.values()) for p in browser.problems] == []
    assert all("Answer saved" in page for page in pages.values())
    log = server.log.read_text()
    assert not any(bad in log for bad in BAD), log
    stored = stored_answers(server.database, public_id)
    assert len(stored) == STUDENTS and sorted(name for name, _, _ in stored) == names  # one each
    for name, version, points in stored:
        assert version == questions[name][0]
        assert points == pytest.approx(expected_points(questions[name][1], how[name]))
    board = ada.call("GET", f"/teacher/sessions/{public_id}", 200).text
    assert f"<strong>{STUDENTS}</strong> of {STUDENTS} answered" in board
