"""A teacher's set pages through the test client: the dashboard (only their sets, counts per type), creating
and editing a set (errors beside the fields), duplicating, copying from the article's bank with filters,
turning the share link on, renewing and off, the source text page, and CSRF on every POST.

The helpers shared with other web tests (signing a teacher in, making a set through the services, reading a
set back) are in teachers.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import segno
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.domain.bank import QuestionBank
from quizapp.domain.question_types import TYPE_LABELS
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.services import teacher_sets
from quizapp.services.accounts import find_teacher
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set
from tests.conftest import get_token
from tests.unit.factories import make_question
from tests.web.teachers import (
    ADA,
    BANK_QUESTION,
    FIRST,
    GRACE,
    SECOND,
    TEXT,
    database_state,
    field_errors,
    make_set,
    page_text,
    set_keys,
    set_row,
    share_set,
    sign_in_teacher,
    two_questions,
)

# ---- helpers


def post(client: FlaskClient, path: str, **data: Any) -> TestResponse:
    """POST a form to `path` with this browser's CSRF token."""
    return client.post(path, data={**data, "csrf_token": get_token(client, "/teacher/sets/new")})


def set_id_from(response: TestResponse) -> int:
    """The set id of a redirect to a set's page."""
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/teacher/sets/(\d+)(#sharing)?", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


# ---- fixtures


@pytest.fixture
def ada(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada's browser, signed in."""
    return sign_in_teacher(app, client, ADA)


@pytest.fixture
def flag_set(app: Flask, ada: FlaskClient) -> int:
    """Ada's set with a source text and two questions."""
    return make_set(app, ADA)


# ---- dashboard


def dashboard_row(html: str, title: str) -> str:
    """The dashboard's table row of the set titled `title`."""
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f">{title}<" in row]
    assert len(rows) == 1, f"{title!r} is listed {len(rows)} times"
    return re.sub(r"\s+", " ", rows[0])


def test_dashboard_lists_only_the_teachers_sets_with_counts_per_type(
    app: Flask, ada: FlaskClient, other_client: FlaskClient, bank: QuestionBank
) -> None:
    make_set(app, ADA, "Flag set", questions=[*two_questions(), make_question("single_choice", id="q3")])
    make_set(app, ADA, "Empty set", questions=[])
    sign_in_teacher(app, other_client, GRACE, "Grace Hopper")
    make_set(app, GRACE, "Grace only")
    html = page_text(ada.get("/teacher/"))
    labels = TYPE_LABELS[QuestionType.SINGLE_CHOICE], TYPE_LABELS[QuestionType.TRUE_FALSE]
    assert f'<td class="num">3</td> <td class="small">{labels[0]}: 2, {labels[1]}: 1</td>' in dashboard_row(
        html, "Flag set"
    )
    assert "No questions yet" in dashboard_row(html, "Empty set")
    assert "Grace only" not in html
    assert f'<td class="num">{len(bank.questions)}</td>' in dashboard_row(html, get_title(app))


def get_title(app: Flask) -> str:
    """The built-in bank's title."""
    with app.app_context():
        return get_set(ARTICLE_BANK).title


def test_dashboard_marks_shared_sets(app: Flask, ada: FlaskClient, flag_set: int) -> None:
    assert "shared" not in dashboard_row(page_text(ada.get("/teacher/")), "Flag set")
    share_set(app, flag_set)
    badge = '<span class="badge good">shared</span>'
    assert badge in dashboard_row(page_text(ada.get("/teacher/")), "Flag set")


# ---- create and edit


def test_create_makes_an_empty_set_and_opens_it(app: Flask, ada: FlaskClient) -> None:
    assert ada.get("/teacher/sets/new").status_code == 200
    response = post(ada, "/teacher/sets/new", title="Moon", description="About it", source_text=TEXT)
    set_id = set_id_from(response)
    row = set_row(app, set_id)
    assert (row.title, row.description, row.source_text) == ("Moon", "About it", TEXT)
    with app.app_context():
        assert row.owner_id == find_teacher(ADA).id
    html = page_text(ada.get(f"/teacher/sets/{set_id}"))
    assert "Your set is created." in html and "No questions yet." in html


@pytest.mark.parametrize(
    ("title", "error"),
    [("", "Give the set a title."), ("x" * 301, "Field cannot be longer than 300 characters.")],
)
@pytest.mark.parametrize("path", ["/teacher/sets/new", "/teacher/sets/{set_id}/edit"])
def test_a_bad_title_is_refused_beside_its_field(
    app: Flask, ada: FlaskClient, flag_set: int, path: str, title: str, error: str
) -> None:
    before = database_state(app)
    response = post(ada, path.format(set_id=flag_set), title=title, description="", source_text="")
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "title") == [error]
    assert database_state(app) == before


def test_edit_shows_the_set_and_saves_changes(app: Flask, ada: FlaskClient, flag_set: int) -> None:
    form = page_text(ada.get(f"/teacher/sets/{flag_set}/edit"))
    assert 'value="Flag set"' in form and FIRST in form
    response = post(
        ada, f"/teacher/sets/{flag_set}/edit", title="Renamed", description="New", source_text=TEXT
    )
    assert set_id_from(response) == flag_set
    row = set_row(app, flag_set)
    assert (row.title, row.description, row.source_text) == ("Renamed", "New", TEXT)
    assert "The set is saved." in page_text(ada.get(f"/teacher/sets/{flag_set}"))


def test_an_edit_that_drops_quoted_sentences_names_the_questions_to_fix(
    app: Flask, ada: FlaskClient, flag_set: int
) -> None:
    post(ada, f"/teacher/sets/{flag_set}/edit", title="Flag set", description="", source_text=FIRST)
    html = page_text(ada.get(f"/teacher/sets/{flag_set}"))
    for key in ("q1", "q2"):
        assert f"Question '{key}': its quoted source is not in the new text. Edit it." in html
    assert "Quotes to fix" in html
    assert set_row(app, flag_set).source_text == FIRST  # saved all the same


def test_the_set_page_lists_questions_in_order_with_their_version(
    app: Flask, ada: FlaskClient, flag_set: int
) -> None:
    with app.app_context():
        question_set = db.session.get(QuestionSet, flag_set)
        row = teacher_sets.owned_question(question_set, current_questions(question_set)[1][0].id)
        teacher_sets.update_question(question_set, row, make_question("true_false", prompt="Edited prompt"))
    html = page_text(ada.get(f"/teacher/sets/{flag_set}"))
    first, second = html.index("Which outlet shared the flag event?"), html.index("Edited prompt")
    assert first < second and "version 2" in html[first : second + 100]
    assert "Quotes to fix" not in html and "2 questions" in html


# ---- duplicate


def test_duplicate_opens_a_copy_with_the_same_questions(app: Flask, ada: FlaskClient, flag_set: int) -> None:
    copy_id = set_id_from(post(ada, f"/teacher/sets/{flag_set}/duplicate"))
    assert copy_id != flag_set
    assert set_keys(app, copy_id) == set_keys(app, flag_set) == ["q1", "q2"]
    html = page_text(ada.get(f"/teacher/sets/{copy_id}"))
    assert "“Flag set (copy)” is a copy you can change freely." in html
    assert set_row(app, copy_id).share_token is None


# ---- copy from the article's bank


def listed_ids(response: TestResponse) -> set[str]:
    """The question ids the copy page offers to tick."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return set(re.findall(r'name="question_ids" type="checkbox" value="([^"]+)"', html))


def bank_ids(
    bank: QuestionBank,
    types: set[str] = frozenset(),
    topics: set[str] = frozenset(),
    difficulties: set[int] = frozenset(),
) -> set[str]:
    """The bank's scored questions passing the filters (empty: any)."""
    return {
        q.id
        for q in bank.questions
        if q.scored
        and (not types or q.type.value in types)
        and (not topics or topics & set(q.topics))
        and (not difficulties or q.difficulty in difficulties)
    }


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"types": ["numeric"]},
        {"types": ["numeric", "ordering"]},
        {"topics": ["chang-e-3"]},
        {"difficulties": ["3"]},
        {"types": ["single_choice"], "topics": ["quotes", "chang-e-8"], "difficulties": ["1"]},
    ],
    ids=["all", "one type", "two types", "one topic", "hard", "combined"],
)
def test_copy_page_filters_the_bank(ada: FlaskClient, flag_set: int, bank: QuestionBank, query: dict) -> None:
    shown = listed_ids(ada.get(f"/teacher/sets/{flag_set}/copy", query_string=query))
    expected = bank_ids(
        bank,
        set(query.get("types", ())),
        set(query.get("topics", ())),
        {int(d) for d in query.get("difficulties", ())},
    )
    assert shown == expected and shown


def test_copy_adds_the_ticked_questions(
    app: Flask, ada: FlaskClient, flag_set: int, bank: QuestionBank
) -> None:
    ticked = sorted(bank_ids(bank, {"numeric"}))[:2]
    response = post(ada, f"/teacher/sets/{flag_set}/copy", question_ids=ticked)
    assert set_id_from(response) == flag_set
    assert set_keys(app, flag_set) == ["q1", "q2", *sorted(ticked, key=[q.id for q in bank.questions].index)]
    assert "2 questions copied." in page_text(ada.get(f"/teacher/sets/{flag_set}"))


@pytest.mark.parametrize(
    ("ticked", "error"),
    [([], "Tick at least one question to copy."), (["no-such-question"], "is not a valid choice")],
)
def test_copy_with_nothing_valid_ticked_says_so_and_copies_nothing(
    app: Flask, ada: FlaskClient, flag_set: int, ticked: list[str], error: str
) -> None:
    before = database_state(app)
    response = post(ada, f"/teacher/sets/{flag_set}/copy", question_ids=ticked)
    assert response.status_code == 400
    assert error in page_text(response)
    assert database_state(app) == before


def test_copy_refuses_a_question_outside_the_filter_it_was_posted_with(
    app: Flask, ada: FlaskClient, flag_set: int, bank: QuestionBank
) -> None:
    not_numeric = sorted(bank_ids(bank, {"single_choice"}))[0]
    response = ada.post(
        f"/teacher/sets/{flag_set}/copy?types=numeric",
        data={"question_ids": not_numeric, "csrf_token": get_token(ada, "/teacher/sets/new")},
    )
    assert response.status_code == 400
    assert set_keys(app, flag_set) == ["q1", "q2"]


# ---- share on, renew, off


def shown_link(client: FlaskClient, set_id: int) -> str | None:
    """The share link the set page shows, if any."""
    match = re.search(
        r'id="share-link" type="text" readonly value="([^"]+)"',
        client.get(f"/teacher/sets/{set_id}").get_data(as_text=True),
    )
    return match.group(1) if match else None


def test_share_on_renew_and_off(
    app: Flask, ada: FlaskClient, flag_set: int, other_client: FlaskClient
) -> None:
    assert shown_link(ada, flag_set) is None
    location = post(ada, f"/teacher/sets/{flag_set}/share").headers["Location"]
    assert location == f"/teacher/sets/{flag_set}#sharing"
    first = set_row(app, flag_set).share_token
    assert shown_link(ada, flag_set) == f"http://localhost/s/{first}"
    assert other_client.get(f"/s/{first}").status_code == 200
    post(ada, f"/teacher/sets/{flag_set}/share")
    second = set_row(app, flag_set).share_token
    assert second != first and shown_link(ada, flag_set) == f"http://localhost/s/{second}"
    assert [other_client.get(f"/s/{t}").status_code for t in (first, second)] == [404, 200]
    post(ada, f"/teacher/sets/{flag_set}/share", action="stop")
    assert "The share link is turned off" in page_text(ada.get(f"/teacher/sets/{flag_set}"))
    assert set_row(app, flag_set).share_token is None and shown_link(ada, flag_set) is None
    assert other_client.get(f"/s/{second}").status_code == 404


def test_the_share_link_has_a_qr_code_of_itself_and_a_copy_button_shown_by_script(
    app: Flask, ada: FlaskClient, flag_set: int
) -> None:
    post(ada, f"/teacher/sets/{flag_set}/share")
    html = ada.get(f"/teacher/sets/{flag_set}").get_data(as_text=True)
    link = shown_link(ada, flag_set)
    assert link is not None
    drawn = re.search(r'<path [^>]*class="qrline"[^>]* d="([^"]+)"', html)
    assert drawn is not None and f'd="{drawn.group(1)}"' in segno.make(link, error="m").svg_inline()
    assert "<title>QR code of the share link</title>" in html
    assert re.search(r'<p class="copy-line" data-copy="share-link" hidden><button[^>]*>Copy the link<', html)
    assert "js/copy_link.js" in html


# ---- source text


def test_source_text_page_gives_every_sentence_an_anchor(ada: FlaskClient, flag_set: int) -> None:
    html = page_text(ada.get(f"/teacher/sets/{flag_set}/text"))
    sentences = re.findall(r'<span class="sentence" id="(p\d+s\d+)">([^<]*)</span>', html)
    assert sentences == [
        ("p1s1", FIRST),
        ("p1s2", SECOND),
        ("p2s1", "The samples came back to Earth in June."),
        ("p2s2", "Scientists are studying them now."),
    ]


def test_a_set_without_text_says_so(app: Flask, ada: FlaskClient) -> None:
    set_id = make_set(app, ADA, text="", questions=[])
    assert "This set has no source text." in page_text(ada.get(f"/teacher/sets/{set_id}/text"))
    assert "no source text" in page_text(ada.get(f"/teacher/sets/{set_id}"))
    edit = page_text(ada.get(f"/teacher/sets/{set_id}/edit"))
    assert re.search(r'<textarea[^>]*name="source_text"[^>]*>\s*</textarea>', edit)  # empty, not "None"


# ---- CSRF on every POST


POSTS = [
    ("/teacher/sets/new", {"title": "New", "description": "", "source_text": ""}),
    ("/teacher/sets/{set_id}/edit", {"title": "Changed", "description": "", "source_text": ""}),
    ("/teacher/sets/{set_id}/duplicate", {}),
    ("/teacher/sets/{set_id}/share", {}),
    ("/teacher/sets/{set_id}/share", {"action": "stop"}),
    ("/teacher/sets/{set_id}/copy", {"question_ids": BANK_QUESTION}),
]
POST_IDS = ["create", "edit", "duplicate", "renew link", "stop sharing", "copy"]


@pytest.fixture
def shared_flag_set(app: Flask, flag_set: int) -> int:
    """Ada's flag set, shared (so that both renewing and stopping the link would change it)."""
    share_set(app, flag_set)
    return flag_set


@pytest.mark.parametrize(("path", "data"), POSTS, ids=POST_IDS)
@pytest.mark.parametrize("sent_token", ["missing", "forged"])
def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(
    app: Flask, ada: FlaskClient, shared_flag_set: int, path: str, data: dict, sent_token: str
) -> None:
    before = database_state(app)
    if sent_token == "forged":
        data = {**data, "csrf_token": "forged-token"}
    response = ada.post(path.format(set_id=shared_flag_set), data=data)
    assert response.status_code == 400
    assert "nothing was saved" in page_text(response)
    assert database_state(app) == before


@pytest.mark.parametrize(("path", "data"), POSTS, ids=POST_IDS)
def test_the_same_posts_with_the_token_do_change_things(
    app: Flask, ada: FlaskClient, shared_flag_set: int, path: str, data: dict
) -> None:
    before = database_state(app)
    response = post(ada, path.format(set_id=shared_flag_set), **data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert database_state(app) != before
