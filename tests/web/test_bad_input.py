"""Bad input gets the app's own error page or a message beside the field, the right status, and no change."""

from __future__ import annotations

import html
import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.bank import QuestionBank
from quizapp.domain.questions import QuestionType
from quizapp.models import Attempt
from tests.web.taking import (
    Fields,
    attempt_row,
    attempt_slots,
    count_responses,
    count_rows,
    fields_for,
    start_selection,
    submit,
    token,
)


def first_of(bank: QuestionBank, question_type: QuestionType) -> str:
    """The id of the bank's first question of a type."""
    return next(q.id for q in bank.questions if q.type is question_type)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """A response's body, HTML entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def assert_not_found_page(response) -> None:  # type: ignore[no-untyped-def]
    """A 404 answered with the app's own page, not Werkzeug's default one."""
    assert response.status_code == 404
    body = text_of(response)
    assert "Page not found" in body and "Go to the home page" in body
    assert "The requested URL was not found on the server" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/attempts/no-such-id/1",
        "/attempts/no-such-id/finish",
        "/attempts/no-such-id/results",
        "/article/p999s1",
        "/nowhere",
    ],
)
def test_unknown_addresses_get_the_apps_404_page(client: FlaskClient, path: str) -> None:
    """Unknown attempts, sentences and pages: 404 with the app's page."""
    assert_not_found_page(client.get(path))


@pytest.mark.parametrize("position", ["0", "3", "99", "-1"])
def test_positions_outside_the_quiz_are_404(client: FlaskClient, bank: QuestionBank, position: str) -> None:
    """Questions are numbered 1..n: anything else is not found, for GET and POST alike."""
    public_id = start_selection(
        client, [first_of(bank, QuestionType.SINGLE_CHOICE), first_of(bank, QuestionType.TRUE_FALSE)]
    )
    assert_not_found_page(client.get(f"/attempts/{public_id}/{position}"))
    assert_not_found_page(
        client.post(f"/attempts/{public_id}/{position}", data={"answer": "0", "csrf_token": token(client)})
    )


@pytest.mark.parametrize("path", ["/attempts/{id}/1", "/attempts/{id}/finish", "/attempts/{id}/results"])
def test_another_browser_cannot_open_an_attempt(
    app: Flask, client: FlaskClient, other_client: FlaskClient, bank: QuestionBank, path: str
) -> None:
    """Someone else's attempt is not found, whatever its state and whether they have a learner or not."""
    question = first_of(bank, QuestionType.TRUE_FALSE)
    public_id = start_selection(client, [question])
    assert_not_found_page(other_client.get(path.format(id=public_id)))
    start_selection(other_client, [question])  # now the other browser is a learner too
    assert_not_found_page(other_client.get(path.format(id=public_id)))
    submit(client, public_id, 1, {"answer": "true"}, go="finish")
    assert attempt_row(app, public_id).state == "finished"
    assert_not_found_page(other_client.get(path.format(id=public_id)))


def test_another_browser_cannot_answer_or_finish(
    app: Flask, client: FlaskClient, other_client: FlaskClient, bank: QuestionBank
) -> None:
    """POSTs from another browser change nothing: no answer stored, the attempt still open."""
    public_id = start_selection(client, [first_of(bank, QuestionType.TRUE_FALSE)])
    assert_not_found_page(submit(other_client, public_id, 1, {"answer": "true"}, go="finish"))
    assert_not_found_page(
        other_client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(other_client)})
    )
    assert count_responses(app) == 0
    assert attempt_row(app, public_id).state == "in_progress"


def with_tokens(fields: Fields, tokens: AnswerTokens) -> Fields:
    """`fields` with `{i<n>}` / `{o<n>}` replaced by the tokens of item / option n, as the page names them."""

    def put(text: str) -> str:
        return re.sub(
            r"\{([io])(\d+)\}", lambda m: (tokens.items if m[1] == "i" else tokens.options)[int(m[2])], text
        )

    return {put(k): [put(x) for x in v] if isinstance(v, list) else put(v) for k, v in fields.items()}


TAMPERED = [
    (QuestionType.SINGLE_CHOICE, {"answer": "99"}, "That choice is not one of this question's options."),
    (QuestionType.SINGLE_CHOICE, {"answer": "abc"}, "That choice is not one of this question's options."),
    (QuestionType.SINGLE_CHOICE, {"answer": ["{i0}", "{i1}"]}, "Choose one answer only."),
    (QuestionType.SINGLE_CHOICE, {"answer": "²"}, "That choice is not one of this question's options."),
    (
        QuestionType.MULTIPLE_CHOICE,
        {"answer": ["{i0}", "99"]},
        "That choice is not one of this question's options.",
    ),
    (QuestionType.TRUE_FALSE, {"answer": "maybe"}, "Choose True or False."),
    (QuestionType.NUMERIC, {"answer": "12abc"}, "“12abc” is not a number."),
    (QuestionType.FILL_BLANK, {"answer": "x" * 201}, "Keep the answer under 200 characters."),
    (
        QuestionType.ORDERING,
        {"position-{i0}": "1", "position-{i1}": "1", "position-{i2}": "2"},
        "Two items have the same position",
    ),
    (
        QuestionType.ORDERING,
        {"position-{i0}": "1", "position-{i1}": "2", "position-{i2}": "9"},
        "Give every item a position from 1 to",
    ),
    (
        QuestionType.ORDERING,
        {"position-{i0}": "1", "position-{i1}": "²", "position-{i2}": "3"},
        "Give every item a position from 1 to",
    ),
    (
        QuestionType.MATCHING,
        {"match-{i0}": "99", "match-{i1}": "{o1}", "match-{i2}": "{o2}", "match-{i3}": "{o0}"},
        "That choice is not one of this question's options.",
    ),
    (QuestionType.MATCHING, {"match-{i0}": "{o1}"}, "Choose a match for every item."),
    (QuestionType.SINGLE_CHOICE, {"answer": "0"}, "That choice is not one of this question's options."),
]


@pytest.mark.parametrize(("question_type", "fields", "message"), TAMPERED)
def test_tampered_answers_are_refused(
    app: Flask,
    client: FlaskClient,
    bank: QuestionBank,
    question_type: QuestionType,
    fields: Fields,
    message: str,
) -> None:
    """An answer no form could send (authored indexes instead of the page's tokens among them): 400, the
    message beside the question, and nothing stored."""
    public_id = start_selection(client, [first_of(bank, question_type)])
    response = submit(client, public_id, 1, with_tokens(fields, attempt_slots(app, public_id)[0].tokens))
    assert response.status_code == 400
    body = text_of(response)
    error = body[body.index('id="answer-error"') :]
    assert message in error[: error.index("</p>")]
    assert count_responses(app) == 0


def test_fields_named_by_authored_index_are_not_an_answer(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """A matching form posted with the old index names (match-0 = option 0, ...): no field of the page, so
    the question stays unanswered and nothing is stored."""
    public_id = start_selection(client, [first_of(bank, QuestionType.MATCHING)])
    fields = {f"match-{i}": str(i) for i in range(4)}
    assert submit(client, public_id, 1, fields).status_code == 302
    assert count_responses(app) == 0


def test_wrong_method_gets_the_apps_405_page(client: FlaskClient) -> None:
    """A form's address typed into the browser: 405 with the app's own page."""
    response = client.get("/quiz")
    assert response.status_code == 405
    assert "This page cannot be used that way" in text_of(response)


def test_oversized_post_gets_the_apps_413_page(client: FlaskClient) -> None:
    """More than a megabyte sent: 413 with the app's own page, nothing read."""
    response = client.post("/quiz", data={"count": "1" * (2 * 1024 * 1024), "csrf_token": token(client)})
    assert response.status_code == 413
    assert "What was sent is too large" in text_of(response)


def test_a_finished_attempt_cannot_be_changed(app: Flask, client: FlaskClient, bank: QuestionBank) -> None:
    """Resubmitting an answer or finishing again redirects to the results and changes nothing."""
    question = next(q for q in bank.questions if q.type is QuestionType.SINGLE_CHOICE)
    public_id = start_selection(client, [question.id])
    slot = attempt_slots(app, public_id)[0]
    submit(client, public_id, 1, fields_for(slot, "wrong"), go="finish")
    finished = attempt_row(app, public_id)
    assert finished.state == "finished" and finished.score == 0.0
    response = submit(client, public_id, 1, fields_for(slot, "right"), go="finish")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/attempts/{public_id}/results"
    again = client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert again.headers["Location"] == f"/attempts/{public_id}/results"
    after = attempt_row(app, public_id)
    assert (after.score, after.finished_at) == (0.0, finished.finished_at)
    assert attempt_slots(app, public_id)[0].points == 0.0
    assert count_responses(app) == 1


HOME_FORM_ERRORS = [
    ({"count": "0", "mode": "test"}, "count", "Choose between 1 and 100 questions."),
    ({"count": "101", "mode": "test"}, "count", "Choose between 1 and 100 questions."),
    ({"count": "ten", "mode": "test"}, "count", "Not a valid integer value."),
    ({"count": "", "mode": "test"}, "count", "Say how many questions you want."),
    ({"count": "10"}, "mode", "Choose practice or test."),
    ({"count": "10", "mode": "exam"}, "mode", "Not a valid choice."),
    (
        {"count": "10", "mode": "test", "topics": "no-such-topic"},
        "topics",
        "'no-such-topic' is not a valid choice",
    ),
    ({"count": "10", "mode": "test", "types": "essay"}, "types", "'essay' is not a valid choice"),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOME_FORM_ERRORS)
def test_home_form_errors_show_beside_the_field(
    app: Flask, client: FlaskClient, fields: dict[str, str], field: str, message: str
) -> None:
    """The start form comes back with a 400 and the message beside the faulty field; no quiz starts."""
    response = client.post("/quiz", data={**fields, "csrf_token": token(client)})
    assert response.status_code == 400
    body = text_of(response)
    assert f'id="{field}-error">' in body
    error = body[body.index(f'id="{field}-error">') :]
    assert message.lower() in error[: error.index("</p>")].lower()
    assert count_rows(app, Attempt) == 0


def test_server_error_gets_the_apps_page_and_is_logged(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception: the app's 500 page (no traceback shown) and the error in the log."""

    def broken() -> str:
        raise RuntimeError("secret internals 1234")

    app.add_url_rule("/broken", "broken", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get("/broken")
    assert response.status_code == 500
    body = text_of(response)
    assert "Sorry, something broke on our side" in body
    assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert "/broken" in logged[0].getMessage()
