"""After the teacher reveals a question, each phone shows the student's own points and, when the teacher
allowed a leaderboard, their place in the class (tied scores share a place, as on the projector). The place is
read in one aggregate query, and only once the answer is shown: not while the class is answering."""

from __future__ import annotations

import re

from flask import Flask, before_render_template
from flask.testing import FlaskClient

from quizapp.extensions import db
from tests.conftest import counted_statements
from tests.web.classroom_steps import (
    ClassRun,
    Student,
    answer,
    join_student,
    open_session,
    step,
    text_of,
    token,
)
from tests.web.teachers import ADA, sign_in_teacher


def standing(student: Student) -> str | None:
    """What the student's page says of their points and place, in plain text (None: nothing)."""
    response = student.client.get(student.play)
    assert response.status_code == 200, response.status_code
    page = re.sub(r"<[^>]+>", "", text_of(response))
    found = re.search(r"You have [^\n]*", page)
    return " ".join(found.group(0).split()) if found else None


def class_of(
    app: Flask, teacher: FlaskClient, *names: str, **options: object
) -> tuple[ClassRun, list[Student]]:
    """A teacher-paced session of 3 questions with these students joined, started."""
    run = open_session(teacher, count=3, **options)
    joined = [join_student(app, app.test_client(), run.code, name) for name in names]
    step(teacher, run, "start")
    return run, joined


def test_each_phone_shows_its_points_and_shared_place_after_a_reveal(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    run, (ana, ben, cai, dan) = class_of(app, teacher, "Ana", "Ben", "Cai", "Dan", leaderboard=True)
    answer(app, ana, "right")
    answer(app, ben, "right")
    answer(app, cai, "wrong")
    answer(app, dan, "right")
    assert standing(ana) is None  # while the class answers, no place
    removed = teacher.post(
        f"{run.board}/participants/{dan.participant_id}/remove",
        data={"csrf_token": token(teacher), "confirmed": "yes"},
    )
    assert removed.status_code == 302  # Dan's right answer no longer counts, nor Dan

    step(teacher, run, "reveal", 1)
    assert standing(ana) == "You have 1 point · place 1 of 3"
    assert standing(ben) == "You have 1 point · place 1 of 3"  # a tie shares the place
    assert standing(cai) == "You have 0 points · place 3 of 3"  # 1, 1, 3: as on the projector

    step(teacher, run, "next", 1)
    answer(app, ana, "right")
    answer(app, ben, "wrong")
    answer(app, cai, "right")
    assert standing(cai) is None
    step(teacher, run, "reveal", 2)
    assert standing(ana) == "You have 2 points · place 1 of 3"
    assert standing(ben) == "You have 1 point · place 2 of 3"
    assert standing(cai) == "You have 1 point · place 2 of 3"


def test_without_the_leaderboard_a_phone_shows_only_its_points(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    run, (ana, ben) = class_of(app, teacher, "Ana", "Ben", leaderboard=False)
    answer(app, ana, "right")
    answer(app, ben, "wrong")
    step(teacher, run, "reveal", 1)
    assert standing(ana) == "You have 1 point"
    assert standing(ben) == "You have 0 points"
    assert "place" not in text_of(ana.client.get(ana.play))


def statements_of(app: Flask, student: Student) -> int:
    """How many SQL statements the student's page runs."""
    with app.app_context():
        engine = db.engine
    with counted_statements(engine) as statements:
        assert student.client.get(student.play).status_code == 200
    return len(statements)


def test_the_place_is_one_query_and_only_once_the_answer_is_shown(app: Flask, client: FlaskClient) -> None:
    teacher = sign_in_teacher(app, client, ADA)
    small_run, (ana,) = class_of(app, teacher, "Ana", leaderboard=True)
    big_run, (bea, *others) = class_of(app, teacher, *[f"Student {n}" for n in range(8)], leaderboard=True)
    for student in (ana, bea, *others):
        answer(app, student, "right")
    answering = statements_of(app, ana)
    for run in (small_run, big_run):
        step(teacher, run, "reveal", 1)
    assert statements_of(app, ana) == statements_of(app, bea) == answering + 1
    assert standing(bea) == "You have 1 point · place 1 of 8"


def test_the_play_page_gives_its_connection_back_before_it_is_drawn(app: Flask, client: FlaskClient) -> None:
    """Its reads are done (read models): under a burst the answers waiting for a connection get it sooner."""
    teacher = sign_in_teacher(app, client, ADA)
    run, (ana,) = class_of(app, teacher, "Ana", leaderboard=True)
    answer(app, ana, "right")
    step(teacher, run, "reveal", 1)  # the page with the most reads: the answer, the points and the place
    with app.app_context():
        pool = db.engine.pool
    held: list[int] = []

    def drawing(_app: Flask, template: object, **_context: object) -> None:
        held.append(pool.checkedout())  # type: ignore[attr-defined]

    before_render_template.connect(drawing, app)
    try:
        assert standing(ana) == "You have 1 point · place 1 of 1"
    finally:
        before_render_template.disconnect(drawing, app)
    assert held == [0]
