"""50 students answering the same teacher-paced question at the same instant, over real HTTP, against gunicorn
on a SQLite file: with `make run`'s workers and threads, and with 2 workers of 8 threads (writers of one
process racing each other as well as the other process's).

A teacher made on the command line signs in and opens a session; the 50 students join (a few at a time), the
teacher starts it, then every student's answer POST waits at a barrier and all are sent at once. Every student
must get the "Answer saved" redirect, the database must hold exactly 50 answers to that question with the
points the key gives, and no response or server log line may say "database is locked" or show a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.web.gunicorn_class import (
    BAD,
    EMAIL,
    PASSWORD,
    answer_at_once,
    answer_forms,
    first_questions,
    join,
    open_class,
    stored_answers,
)
from tests.web.live_gunicorn import MAKE_RUN, THREADED, Server, flask_command, gunicorn
from tests.web.taking import How, expected_points

STUDENTS = 50


@pytest.fixture(scope="module", params=[MAKE_RUN, THREADED], ids=["make-run", "2x8"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn serving quizapp on a fresh database file, with Ada's account made on the command line."""
    folder = tmp_path_factory.mktemp("classroom-concurrency")
    settings = {"SECRET_KEY": "classroom-concurrency", "ARGON2_MEMORY_KIB": "1024"}
    with gunicorn(folder, shape=request.param, **settings) as running:
        made = flask_command(running.env, "users", "create-teacher", EMAIL, "--password", PASSWORD)
        assert made.returncode == 0, made.stderr
        yield running


def test_fifty_students_answer_the_same_question_at_once(server: Server) -> None:
    ada, public_id, code = open_class(server)
    names = [f"Student {n:02d}" for n in range(STUDENTS)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        students = dict(zip(names, pool.map(lambda name: join(server, code, name), names), strict=True))
    ada.call("POST", f"/teacher/sessions/{public_id}/start", 302, position=0, csrf_token=ada.token)

    questions = first_questions(server.database, public_id)
    assert sorted(questions) == names
    how: dict[str, How] = {name: "right" if n % 2 else "wrong" for n, name in enumerate(names)}
    forms = answer_forms(questions, how, server.env["SECRET_KEY"])
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
