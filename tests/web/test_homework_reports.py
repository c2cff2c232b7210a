"""Homework through a share link, for the set's owner: every attempt made through the link (finished and in
progress, with its name, time, mode and score) with a read-only view of its answers, and a gradebook, item
analysis, shaded text and CSV files over those attempts like a class session's. A class session's attempts and
other sets' attempts are not homework; another teacher gets 404."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.services import teacher_sets
from tests.conftest import get_token
from tests.web.homework import QUESTIONS, answer_all, finish, start
from tests.web.taking import attempt_row, attempt_slots, fields_for, submit
from tests.web.teachers import ADA, GRACE, make_set, row_names, share_set, sign_in_teacher

PAGES = ["", "/gradebook", "/gradebook?sort=score", "/items", "/passage", "/gradebook.csv", "/items.csv"]


@pytest.fixture
def homework(app: Flask, client: FlaskClient, other_client: FlaskClient) -> dict[str, object]:
    """Ada's shared set asking for names: Ann finished a test with every answer right, Bob is half way
    through a practice quiz of two questions; someone else's set has an attempt too. Ada signs in in
    `other_client`."""
    sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA, "Flag homework", questions=QUESTIONS)
    token = share_set(app, set_id)
    with app.app_context():
        teacher_sets.ask_names(db.session.get(QuestionSet, set_id), True)
    ann = start(client, token, mode="test", count=4, student_name="Ann")
    answer_all(app, client, ann, {}, go="next")  # the last save finishes the quiz
    bob_browser = app.test_client()
    bob = start(bob_browser, token, mode="practice", count=2, student_name="Bob")
    slot = attempt_slots(app, bob)[0]
    assert submit(bob_browser, bob, 1, fields_for(slot, "wrong"), go="check").status_code == 302
    other = share_set(app, make_set(app, ADA, "Another set"))
    start(app.test_client(), other, mode="test", count=1)
    return {"set_id": set_id, "ann": ann, "bob": bob}


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def base(homework: dict[str, object]) -> str:
    return f"/teacher/sets/{homework['set_id']}/homework"


def test_the_list_shows_every_attempt_through_the_link_with_its_answers(
    other_client: FlaskClient, homework: dict[str, object]
) -> None:
    html = page(other_client, base(homework))
    assert row_names(html) == ["Bob", "Ann"]  # newest first
    assert "Practice" in html and "Test" in html and "still answering" in html
    assert "4 / 4 (100 %)" in html
    for who in ("ann", "bob"):
        assert f'href="{base(homework)}/attempts/{homework[who]}"' in html
    ann = page(other_client, f"{base(homework)}/attempts/{homework['ann']}")
    assert "Answers of Ann" in ann and ann.count('class="mark-right"') == 4
    bob = page(other_client, f"{base(homework)}/attempts/{homework['bob']}")
    assert "still answering" in bob and bob.count('class="mark-wrong"') == 1 and "not answered" in bob


def test_the_gradebook_leaves_questions_not_asked_blank(
    other_client: FlaskClient, homework: dict[str, object]
) -> None:
    html = page(other_client, f"{base(homework)}/gradebook?sort=score")
    assert row_names(html) == ["Ann", "Bob"]
    assert "<strong>4</strong> / 4" in html and "<strong>0</strong> / 2" in html
    assert html.count('class="num mark-not-asked"') == 2  # Bob was asked 2 of the 4


def test_the_item_analysis_passage_and_csvs_cover_the_homework(
    other_client: FlaskClient, homework: dict[str, object]
) -> None:
    assert "Facility index per question" in page(other_client, f"{base(homework)}/items")
    assert 'class="shade shade-' in page(other_client, f"{base(homework)}/passage")
    response = other_client.get(f"{base(homework)}/gradebook.csv")
    assert response.headers["Content-Disposition"].endswith("flag-homework-homework-gradebook.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["Ann", "Bob"] and rows[1][-3:] == ["4", "4", "100"]
    items = list(csv.reader(io.StringIO(page(other_client, f"{base(homework)}/items.csv").lstrip("\ufeff"))))
    assert len(items) == 1 + 4
    students = items[0].index("Students")
    assert sorted(int(r[students]) for r in items[1:]) == [1, 1, 2, 2]  # a question counts those it asked


def test_the_set_page_links_to_the_homework(other_client: FlaskClient, homework: dict[str, object]) -> None:
    html = page(other_client, f"/teacher/sets/{homework['set_id']}")
    assert f'href="{base(homework)}">Homework (share link)</a>' in html


def test_another_teacher_gets_404(app: Flask, homework: dict[str, object]) -> None:
    grace = sign_in_teacher(app, app.test_client(), GRACE, "Grace Hopper")
    for path in [*PAGES, f"/attempts/{homework['ann']}"]:
        assert grace.get(base(homework) + path).status_code == 404, path


def test_an_attempt_of_another_set_is_not_found_here(
    app: Flask, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    other_set = make_set(app, ADA, "Third")
    assert (
        other_client.get(f"/teacher/sets/{other_set}/homework/attempts/{homework['ann']}").status_code == 404
    )


def test_the_owners_own_tries_through_the_link_are_not_homework(
    app: Flask, other_client: FlaskClient, homework: dict[str, object]
) -> None:
    """Ada trying her own link (and practising its mistakes) sees a note that it is not homework; neither try
    is listed or counted. Grace, another teacher, on Ada's link is a student like any other."""
    with app.app_context():
        token = db.session.get(QuestionSet, homework["set_id"]).share_token
    share_page = page(other_client, f"/s/{token}")
    assert "This is your set: your own tries through the link are not listed" in share_page
    mine = start(other_client, token, mode="test", count=4, student_name="Ada trying")
    finish(other_client, mine)
    retry = other_client.post(
        "/quiz/selection",
        data={
            "question_ids": ",".join(q["id"] for q in QUESTIONS),
            "mode": "practice",
            "from_attempt": mine,
            "csrf_token": get_token(other_client, f"/s/{token}"),
        },
    )
    assert retry.status_code == 302
    assert attempt_row(app, retry.headers["Location"].split("/")[2]).settings["owner_try"] is True
    grace = app.test_client()
    sign_in_teacher(app, grace, GRACE)
    assert "This is your set" not in page(grace, f"/s/{token}")
    start(grace, token, mode="test", count=1, student_name="Grace")
    assert row_names(page(other_client, base(homework))) == ["Grace", "Bob", "Ann"]
    assert row_names(page(other_client, f"{base(homework)}/gradebook")) == ["Ann", "Bob", "Grace"]
    assert "Ada trying" not in page(other_client, f"{base(homework)}/gradebook.csv")
    assert other_client.get(f"{base(homework)}/attempts/{mine}").status_code == 404
