"""The report pages of a classroom session through the test client: each page for the teacher who ran it,
404 for another teacher, sign-in for a signed-out browser; CSV downloads; the printable page; the set page's
flags; and a number of queries per page that does not grow with the class.

The class is the hand-computed one of tests/services/test_class_reports.py, run through the services.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.services import teacher_sets
from quizapp.services.accounts import find_teacher
from quizapp.services.classroom import SessionOptions, create_session
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from tests.conftest import counted_statements
from tests.services.reported_class import CLASS, QUESTIONS, RIGHT, TEXT, run_session
from tests.web.teachers import ADA, GRACE, row_names, sign_in_teacher

PAGES = ["gradebook", "gradebook?sort=score", "items", "passage", "report", "gradebook.csv", "items.csv"]


@pytest.fixture
def ada(app: Flask, client: FlaskClient) -> dict[str, object]:
    """Ada signed in; her set and a closed session with the hand-computed class (Eli flagged question 2)."""
    sign_in_teacher(app, client, ADA)
    with app.app_context():
        teacher = find_teacher(ADA)
        question_set = teacher_sets.create_set(teacher, "Chang’e 6 reading", "", TEXT)
        teacher_sets.add_questions(question_set, QUESTIONS)
        session = run_session(
            teacher, question_set, CLASS, flags={"Eli": (2, "I think the answer is wrong")}, title="Year 9"
        )
        small = run_session(teacher, question_set, {"Zoe": RIGHT}, title="Small")
        return {"session": session.public_id, "small": small.public_id, "set_id": question_set.id}


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return unescape(response.get_data(as_text=True))


def base(ada: dict[str, object], key: str = "session") -> str:
    return f"/teacher/sessions/{ada[key]}"


HOMEWORK_PAGES = ["", "/gradebook", "/items", "/passage", "/gradebook.csv", "/items.csv"]


def urls(ada: dict[str, object]) -> list[str]:
    homework = [f"/teacher/sets/{ada['set_id']}/homework{p}" for p in HOMEWORK_PAGES]
    return [f"{base(ada)}/{p}" for p in PAGES] + [f"/teacher/sets/{ada['set_id']}/gradebook", *homework]


# ---- who may see the reports


def test_the_teacher_who_ran_the_session_opens_every_report(
    client: FlaskClient, ada: dict[str, object]
) -> None:
    for url in urls(ada):
        assert client.get(url).status_code == 200, url


def test_another_teacher_gets_404_on_every_report(
    app: Flask, other_client: FlaskClient, ada: dict[str, object]
) -> None:
    sign_in_teacher(app, other_client, GRACE, "Grace Hopper")
    for url in [*urls(ada), "/teacher/sessions/no-such-session/gradebook"]:
        assert other_client.get(url).status_code == 404, url


def test_a_signed_out_browser_is_sent_to_sign_in(
    app: Flask, other_client: FlaskClient, ada: dict[str, object]
) -> None:
    for url in urls(ada):
        response = other_client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/teacher/login?next=" + quote(url, safe="")


# ---- the pages


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Ana", "Ben", "Cai", "Dev", "Eli", "Fay"]),
        ("score", ["Cai", "Ana", "Ben", "Dev", "Eli", "Fay"]),
    ],
)
def test_the_gradebook_sorts_by_name_or_score(
    client: FlaskClient, ada: dict[str, object], sort: str, order: list[str]
) -> None:
    html = page(client, f"{base(ada)}/gradebook?sort={sort}")
    assert row_names(html) == order
    assert re.search(r'<th scope="col"[^>]*aria-sort', html)


def test_each_answer_shows_on_hover_and_on_focus(client: FlaskClient, ada: dict[str, object]) -> None:
    html = page(client, f"{base(ada)}/gradebook")
    assert '<span class="answer-cell" tabindex="0" title="Q3: Flag; Probe">1' in html
    assert '<span class="answer-tip">Q3, Cai: Flag</span>' in html  # read by screen readers, shown on focus
    assert '<span class="answer-cell" tabindex="0" title="Q1: No answer">–' in html  # Fay skipped Q1
    assert "<caption" in html and '<th scope="col" class="num"><abbr title="Which outlet' in html


def test_the_item_analysis_shows_the_statistics_flags_and_an_edit_link(
    client: FlaskClient, ada: dict[str, object]
) -> None:
    html = page(client, f"{base(ada)}/items")
    assert "Discriminates negatively (-0.5)" in html
    assert "<strong>Too easy:</strong> the class earned 100 % of the points." in html
    assert "Eli: “I think the answer is wrong”" in html
    assert html.count("Edit this question") == 4
    edit = re.search(rf'href="(/teacher/sets/{ada["set_id"]}/questions/\d+/edit)"', html)
    assert edit and client.get(edit.group(1)).status_code == 200  # the editor's page of that question
    assert re.search(
        r'role="img"\s+aria-label="Facility index per question[^"]*: question 1 50 %; question 2 66.7 %', html
    )
    assert "“This significant event was shared by China Daily.”" in html  # the quoted source


def test_the_passage_is_shaded_with_a_label_per_sentence(client: FlaskClient, ada: dict[str, object]) -> None:
    html = page(client, f"{base(ada)}/passage")
    assert re.search(r'class="sentence shade shade-2" id="p1s1"', html)  # Q3: 50 %
    assert re.search(r'class="sentence shade shade-3" id="p1s2"', html)  # Q1 and Q4: 75 %
    assert "(75 % right · Q1, Q4)" in html
    assert re.search(r'class="sentence shade uncovered" id="p2s3"', html)
    assert html.count("(no question)") == 2
    assert "shade-legend" in html


def test_the_printable_report_has_every_part_and_print_rules(
    client: FlaskClient, ada: dict[str, object]
) -> None:
    html = page(client, f"{base(ada)}/report")
    assert 'class="print-report"' in html
    assert html.count("report-section") == 4
    assert re.search(
        r'role="img"\s+aria-label="How many students scored in each band of 10 %: 2 students at 50 to 59 %',
        html,
    )
    assert 'class="report-nav no-print"' in html
    with client.get("/static/css/app.css") as response:  # a file response: closed after reading
        css = response.get_data(as_text=True)
    assert ".print-report .report-section + .report-section { break-before: page; }" in css


def test_a_bank_session_nobody_joined_has_every_page_and_no_editor_link(
    client: FlaskClient, app: Flask, ada: dict[str, object]
) -> None:
    with app.app_context():
        session, _ = create_session(
            find_teacher(ADA), get_set(ARTICLE_BANK), QuizSpec(count=3), SessionOptions()
        )
        public_id = session.public_id
    for path in PAGES:
        assert client.get(f"/teacher/sessions/{public_id}/{path}").status_code == 200, path
    html = page(client, f"/teacher/sessions/{public_id}/items")
    assert "Edit this question" not in html
    assert "Questions of the built-in bank cannot be edited" in html
    assert "Nobody has joined this session yet." in page(client, f"/teacher/sessions/{public_id}/gradebook")
    assert "no students yet" in page(client, f"/teacher/sessions/{public_id}/report")


def test_the_set_gradebook_lists_best_and_latest(client: FlaskClient, ada: dict[str, object]) -> None:
    html = page(client, f"/teacher/sets/{ada['set_id']}/gradebook")
    assert row_names(html) == ["Ana", "Ben", "Cai", "Dev", "Eli", "Fay", "Zoe"]
    assert (
        '<th scope="row">Cai</th><td class="num">1</td><td class="num">87.5</td><td class="num">87.5</td>'
        in html
    )


# ---- CSV


@pytest.mark.parametrize(
    ("path", "filename", "first"),
    [
        ("gradebook.csv", "year-9-gradebook.csv", "Student"),
        ("items.csv", "year-9-item-analysis.csv", "Question"),
    ],
)
def test_csv_downloads(
    client: FlaskClient, ada: dict[str, object], path: str, filename: str, first: str
) -> None:
    response = client.get(f"{base(ada)}/{path}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == first and len(rows) > 1


# ---- the set page


def test_flags_show_beside_the_question_on_the_set_page(client: FlaskClient, ada: dict[str, object]) -> None:
    html = page(client, f"/teacher/sets/{ada['set_id']}")
    assert html.count('class="flag-notes"') == 1
    assert "1 flag</span>" in html and "“I think the answer is wrong” · Eli" in html
    assert re.search(rf'href="/teacher/sessions/{ada["session"]}/items#q-\d+">Year 9</a>', html)


# ---- a fixed number of queries


@pytest.mark.parametrize("path", [*PAGES, "set"])
def test_queries_per_page_do_not_grow_with_the_class(
    app: Flask, client: FlaskClient, ada: dict[str, object], path: str
) -> None:
    counts = []
    for key in ("small", "session"):
        url = f"/teacher/sets/{ada['set_id']}" if path == "set" else f"{base(ada, key)}/{path}"
        with app.app_context():
            engine = db.engine
        with counted_statements(engine) as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10, counts


def test_a_sessions_attempts_are_not_homework(client: FlaskClient, ada: dict[str, object]) -> None:
    homework = f"/teacher/sets/{ada['set_id']}/homework"
    assert "Nobody has taken a quiz through the share link yet." in page(client, homework)
    assert "Nobody has taken a quiz through the share link yet." in page(client, f"{homework}/gradebook")
