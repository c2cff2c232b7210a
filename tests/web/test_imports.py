"""Import through the browser's pages: upload -> preview -> confirm, and export downloads.

Covered: the preview lists every question, skipped question and located error, and offers one import button
only when nothing is wrong; nothing is saved before the confirmation, which lands on the new set's page; CSRF
on every POST; another teacher gets 404 on the preview, the confirmation and the exports; hostile files
(not UTF-8, binary, XML bomb, external entity, truncated, too large, 100,000 questions) get a clear message
and a 400 or 413, never a 500.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from quizapp.extensions import db
from quizapp.models import PendingImport, QuestionSet
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from tests.conftest import get_token
from tests.databases import close_connections
from tests.services.exchange_files import A_GIFT_QUESTION, GOOD_GIFT, HOSTILE_FILES
from tests.unit.factories import make_question
from tests.web.teachers import (
    ADA,
    GRACE,
    TEXT,
    database_state,
    make_set,
    page_text,
    set_keys,
    sign_in_teacher,
    two_questions,
)
from tests.web.uploads import UPLOAD, previewed, upload


def words(response: TestResponse) -> str:
    """The page's text without tags, spaces collapsed and entities decoded."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def pending_count(app: Flask) -> int:
    """How many uploads wait for confirmation."""
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(PendingImport.id)))


def sets_of(app: Flask) -> list[tuple[str, int | None]]:
    """(title, owner) of every teacher's set."""
    with app.app_context():
        return list(
            db.session.execute(
                db.select(QuestionSet.title, QuestionSet.owner_id).where(QuestionSet.owner_id.is_not(None))
            ).tuples()
        )


@pytest.fixture
def ada(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada's browser, signed in."""
    return sign_in_teacher(app, client, ADA)


@pytest.fixture
def grace(app: Flask, other_client: FlaskClient) -> FlaskClient:
    """Grace's browser, signed in (another teacher)."""
    return sign_in_teacher(app, other_client, GRACE, "Grace Hopper")


def test_upload_preview_and_confirm_make_the_set(app: Flask, ada: FlaskClient) -> None:
    form = ada.get(UPLOAD)
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.get_data(as_text=True)
    address = previewed(ada)
    assert sets_of(app) == [] and pending_count(app) == 1
    preview = ada.get(address)
    text = words(preview)
    assert preview.status_code == 200
    for shown in (
        "Read as GIFT",
        "3 questions to import, 0 skipped, 0 errors",
        "Lander",
        "Sky",
        "Essay",
        "into a new set, “moon quiz”",
    ):
        assert shown in text
    confirm = ada.post(address, data={"csrf_token": get_token(ada, address)})
    assert confirm.status_code == 303
    set_id = int(re.fullmatch(r"/teacher/sets/(\d+)", confirm.headers["Location"]).group(1))
    assert set_keys(app, set_id) == ["q1", "q2", "q3"] and pending_count(app) == 0
    assert "3 questions imported into “moon quiz”." in page_text(ada.get(confirm.headers["Location"]))
    assert ada.get(address).status_code == 404  # used up: a second confirmation imports nothing


def test_the_preview_shows_each_questions_text_and_answers(app: Flask, ada: FlaskClient) -> None:
    text = words(ada.get(previewed(ada)))
    for shown in (
        "Which probe landed on the far side?",
        "Chang'e 4 (correct) Apollo 11 Luna 9",
        "The moon has an atmosphere. Answer: False",
    ):
        assert shown in text


def test_a_file_can_go_into_one_of_the_teachers_sets(app: Flask, ada: FlaskClient) -> None:
    set_id = make_set(app, ADA)
    assert f'<option selected value="{set_id}">' in ada.get(f"{UPLOAD}?into={set_id}").get_data(as_text=True)
    address = previewed(ada, into_set=str(set_id))
    assert "at the end of “Flag set”" in page_text(ada.get(address))
    confirm = ada.post(address, data={"csrf_token": get_token(ada, address)})
    assert confirm.headers["Location"] == f"/teacher/sets/{set_id}"
    assert set_keys(app, set_id) == ["q1", "q2", "q1-2", "q2-2", "q3"]


def test_a_set_exported_as_json_comes_back_with_its_text_and_settings(app: Flask, ada: FlaskClient) -> None:
    set_id = make_set(app, ADA)
    assert ada.post(
        f"/teacher/sets/{set_id}/edit",
        data={
            "csrf_token": get_token(ada, f"/teacher/sets/{set_id}/edit"),
            "title": "Flag set",
            "description": "Year 9, week 3",
            "source_text": TEXT,
            "certainty_marking": "y",
        },
    ).status_code in (302, 303)
    exported = ada.get(f"/teacher/sets/{set_id}/export/json")
    assert exported.status_code == 200
    address = previewed(ada, exported.data, filename="flag-set.json")
    text = words(ada.get(address))
    assert "The new set also gets the file's description, source text, settings" in text
    into = words(ada.get(previewed(ada, exported.data, filename="flag-set.json", into_set=str(set_id))))
    assert "The file's description, source text and settings are not used" in into
    confirm = ada.post(address, data={"csrf_token": get_token(ada, address)})
    new_id = int(confirm.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        copy = db.session.get(QuestionSet, new_id)
        assert (copy.description, copy.source_text, copy.hints, copy.certainty_marking) == (
            "Year 9, week 3",
            TEXT,
            False,
            True,
        )


def test_a_file_with_errors_shows_them_and_offers_no_import(app: Flask, ada: FlaskClient) -> None:
    response = upload(ada, GOOD_GIFT + b"\n::Bad:: Q {=a ~%33.3%b ~c}\n")
    text = words(response)
    assert response.status_code == 400
    assert "Nothing can be imported until this error is fixed." in text
    assert "line 10, column 16" in text and "Bad" in text and "33.33333 rather than 33.3" in text
    assert 'action="/teacher/import/' not in text and "Import 3 questions" not in text
    assert pending_count(app) == 0 and sets_of(app) == []


@pytest.mark.parametrize(
    ("name", "data", "file_format", "words"), HOSTILE_FILES, ids=[h[0] for h in HOSTILE_FILES]
)
def test_hostile_and_broken_files_get_400_and_a_clear_message(
    app: Flask, ada: FlaskClient, name: str, data: bytes, file_format: str | None, words: str
) -> None:
    response = upload(ada, data, file_format=file_format or "")
    assert response.status_code == 400
    assert words in page_text(response)
    assert pending_count(app) == 0


def test_a_hundred_thousand_questions_get_the_limit_quickly(app: Flask, ada: FlaskClient) -> None:
    data = "".join(A_GIFT_QUESTION.format(n=n) for n in range(100_000)).encode()
    started = time.perf_counter()
    response = upload(ada, data)
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert "The file holds 100,000 questions; one import takes at most 5,000." in page_text(response)


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (10 * 1024 * 1024 + 1, "more than the limit of 10 MB"),  # reaches the import's own check
        (12 * 1024 * 1024, "an import takes files of at most 10 MB"),  # over the request limit: the app's 413
    ],
)
def test_a_file_over_the_limit_gets_413_with_the_limit(
    app: Flask, ada: FlaskClient, size: int, words: str
) -> None:
    response = upload(ada, b"Q? {=a ~b}\n" + b" " * (size - 11))
    assert response.status_code == 413
    assert words in page_text(response)
    assert pending_count(app) == 0


def test_the_limit_comes_from_the_configuration(database, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_app

    app = make_app(database, IMPORT_MAX_BYTES=1000)
    browser = sign_in_teacher(app, app.test_client(), ADA)
    response = upload(browser, GOOD_GIFT + b" " * 1000)
    assert response.status_code == 413 and "more than the limit of 1000 bytes" in page_text(response)
    with app.app_context():
        close_connections()


@pytest.mark.parametrize("fields", [{"csrf_token": ""}, {"file_format": "pdf"}])
def test_a_bad_upload_form_is_400_and_keeps_nothing(
    app: Flask, ada: FlaskClient, fields: dict[str, str]
) -> None:
    assert upload(ada, GOOD_GIFT, **fields).status_code == 400
    assert pending_count(app) == 0


def test_the_confirmation_needs_the_csrf_token(app: Flask, ada: FlaskClient) -> None:
    address = previewed(ada)
    assert ada.post(address, data={}).status_code == 400
    assert sets_of(app) == [] and pending_count(app) == 1


def test_another_teacher_gets_404_on_the_preview_and_its_confirmation(
    app: Flask, ada: FlaskClient, grace: FlaskClient
) -> None:
    address = previewed(ada)
    assert grace.get(address).status_code == 404
    assert grace.post(address, data={"csrf_token": get_token(grace, UPLOAD)}).status_code == 404
    assert sets_of(app) == [] and pending_count(app) == 1


def test_another_teachers_set_cannot_be_the_target(app: Flask, ada: FlaskClient, grace: FlaskClient) -> None:
    set_id = make_set(app, ADA)
    before = database_state(app)
    assert grace.get(f"{UPLOAD}?into={set_id}").status_code == 404
    assert upload(grace, GOOD_GIFT, into_set=str(set_id)).status_code == 400
    assert database_state(app) == before and pending_count(app) == 0


@pytest.mark.parametrize("path", ["/export", "/export/gift", "/export/json"])
def test_another_teacher_gets_404_on_the_exports(
    app: Flask, ada: FlaskClient, grace: FlaskClient, path: str
) -> None:
    set_id = make_set(app, ADA)
    assert ada.get(f"/teacher/sets/{set_id}{path}").status_code == 200
    assert grace.get(f"/teacher/sets/{set_id}{path}").status_code == 404


@pytest.mark.parametrize("path", [UPLOAD, "/teacher/import/some-token", "/teacher/sets/1/export/gift"])
def test_import_and_export_need_a_signed_in_teacher(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/teacher/login")


def test_only_a_signed_in_teacher_may_send_a_big_file(client: FlaskClient) -> None:
    file = FileStorage(io.BytesIO(b" " * (2 * 1024 * 1024)), filename="big.gift")
    boundary, body = encode_multipart(MultiDict({"csrf_token": get_token(client), "file": file}))
    response = client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413  # the app's own limit: the import's is for signed-in teachers


@pytest.mark.parametrize(
    ("fmt", "filename", "mimetype", "starts"),
    [
        ("gift", "flag-set-gift.txt", "text/plain", b"// [id:q1]"),
        ("aiken", "flag-set-aiken.txt", "text/plain", b"Which outlet shared the flag event?\nA) China Daily"),
        ("moodle-xml", "flag-set.xml", "application/xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'),
        ("json", "flag-set.json", "application/json", b'{\n  "title": "Flag set"'),
    ],
)
def test_export_downloads_a_named_file(
    app: Flask, ada: FlaskClient, fmt: str, filename: str, mimetype: str, starts: bytes
) -> None:
    response = ada.get(f"/teacher/sets/{make_set(app, ADA)}/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.mimetype == mimetype and response.data.startswith(starts)


def test_aiken_downloads_what_it_can_and_the_export_page_lists_the_rest(app: Flask, ada: FlaskClient) -> None:
    set_id = make_set(app, ADA)
    aiken = ada.get(f"/teacher/sets/{set_id}/export/aiken").get_data(as_text=True)
    assert aiken.count("ANSWER:") == 1  # the single-choice question; the true-or-false one is left out
    page = page_text(ada.get(f"/teacher/sets/{set_id}/export"))
    assert "Aiken leaves out 1 question of this set" in page
    assert "Aiken holds single-choice questions only" in page


def test_gift_export_warns_about_what_it_leaves_out_before_the_download(app: Flask, ada: FlaskClient) -> None:
    ordering = make_question("ordering", id="q3", title="Launch order")
    set_id = make_set(app, ADA, questions=[*two_questions(), ordering])
    set_page = page_text(ada.get(f"/teacher/sets/{set_id}"))
    assert f'href="/teacher/sets/{set_id}/export#export-gift"' in set_page
    assert "/export/gift" not in set_page  # no download before the warning
    page = page_text(ada.get(f"/teacher/sets/{set_id}/export"))
    gift = page[page.index('id="export-gift"') :]
    warning = gift.index("GIFT leaves out 1 question of this set:")
    assert warning < gift.index(f'href="/teacher/sets/{set_id}/export/gift"')
    assert "<details" not in gift[:warning] and "Launch order" in gift
    assert "Download GIFT without it" in gift


def test_the_built_in_bank_can_be_exported_by_any_teacher(app: Flask, ada: FlaskClient) -> None:
    with app.app_context():
        bank_id = get_set(ARTICLE_BANK).id
    response = ada.get(f"/teacher/sets/{bank_id}/export/moodle-xml")
    assert response.status_code == 200 and response.data.count(b'<question type="') >= 40


def test_an_unknown_export_format_is_404(app: Flask, ada: FlaskClient) -> None:
    assert ada.get(f"/teacher/sets/{make_set(app, ADA)}/export/pdf").status_code == 404
