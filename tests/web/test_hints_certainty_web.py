"""Certainty-based marking through the pages: the teacher's switch on the set's form, "How sure are you?" with
the table and the advice before choosing (radio buttons: no JavaScript), a bad value refused with a message,
the CBM mark in the feedback and Moodle's figures on the results; nothing of it without the switch."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.certainty import ADVICE
from quizapp.services.hints import set_switches
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from tests.web.homework import start
from tests.web.taking import attempt_slots, fields_for, start_selection, submit, token
from tests.web.teachers import set_row
from tests.web.test_hints_sets import save_set, shared_set


def text_of(client: FlaskClient, path: str) -> str:
    """A page's text with its entities decoded (200 expected)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def bank_with_cbm(app: Flask) -> None:
    """Turn certainty-based marking on for the built-in bank."""
    with app.app_context():
        set_switches(get_set(ARTICLE_BANK), certainty_marking=True)


def test_the_question_asks_how_sure_with_the_table_before_choosing(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = next(q for q in bank.questions if q.scored)
    plain = start_selection(client, [question.id], mode="practice")
    assert "How sure are you?" not in text_of(client, f"/attempts/{plain}/1")
    bank_with_cbm(app)
    public_id = start_selection(client, [question.id], mode="practice")
    page = text_of(client, f"/attempts/{public_id}/1")
    assert "<legend>How sure are you?</legend>" in page and ADVICE in page
    assert '<tr><th scope="row">C=3</th><td>3</td><td>−6</td></tr>' in page  # the table, before choosing
    for value, label in (("1", "not sure"), ("2", "fairly sure"), ("3", "very sure")):
        assert f'<input type="radio" name="certainty" value="{value}">' in page and label in page

    (slot,) = attempt_slots(app, public_id)
    bad = submit(client, public_id, 1, {**fields_for(slot, "right"), "certainty": "5"}, go="check")
    assert bad.status_code == 400
    assert "Choose how sure you are: C=1, C=2 or C=3" in html.unescape(bad.get_data(as_text=True))
    assert attempt_slots(app, public_id)[0].answered is False

    assert (
        submit(client, public_id, 1, {**fields_for(slot, "wrong"), "certainty": "3"}, go="check").status_code
        == 302
    )
    page = text_of(client, f"/attempts/{public_id}/1")
    assert "Certainty C=3 · CBM mark −6" in page
    assert "How sure are you?" not in page  # answered: final in practice

    client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    results = text_of(client, f"/attempts/{public_id}/results")
    assert "Certainty-based marking" in results and "Average CBM mark (−6 to 3)" in results
    assert "<td>−6</td>" in results and "<td>0.0%</td>" in results  # the average mark, accuracy
    assert "over-confident" in results


def test_the_teacher_turns_it_on_for_a_shared_set(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    ada, set_id, share = shared_set(app, client)
    edit = text_of(ada, f"/teacher/sets/{set_id}/edit")
    assert "Certainty-based marking" in edit and 'name="certainty_marking"' in edit
    assert save_set(ada, set_id, hints=True, certainty_marking=True) == 302
    assert set_row(app, set_id).certainty_marking is True and set_row(app, set_id).hints is True
    public_id = start(other_client, share, mode="test", count=1)
    assert "How sure are you?" in text_of(other_client, f"/attempts/{public_id}/1")
