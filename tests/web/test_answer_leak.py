"""The answer key never reaches the browser early.

In test mode a question's page holds no explanation, no quoted source, no 'Correct answer' and, for typed
answers, no accepted answer, before and after it is answered, until the quiz is finished. In practice mode
the same holds until the answer is checked; then the feedback appears.
"""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.answers import correct_answer_in_words
from quizapp.domain.bank import QuestionBank
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.questions import Question
from tests.web.answer_keys import TYPED, accepted_texts, assert_no_key, form_text, shows
from tests.web.taking import attempt_slots, chosen_answer, fields_for, start_selection, submit, token


def one_of_each_type(bank: QuestionBank) -> list[str]:
    """The first question of every type."""
    return [next(q.id for q in bank.questions if q.type is t) for t in SCORED_TYPES]


def leak_quiz(bank: QuestionBank) -> list[str]:
    """Every typed-answer question of the bank, and one question of each other type."""
    typed = [q.id for q in bank.questions if q.type in TYPED]
    return typed + [i for i in one_of_each_type(bank) if i not in typed]


def question_page(client: FlaskClient, public_id: str, position: int) -> str:
    """A question page's HTML, entities decoded."""
    response = client.get(f"/attempts/{public_id}/{position}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def assert_key_shown(text: str, question: Question) -> None:
    """The feedback of a wrong answer: the key, the explanation and the quoted source."""
    assert f"<dt>Correct answer</dt><dd>{correct_answer_in_words(question)}</dd>" in text, question.id
    assert question.explanation in text, question.id
    assert question.source in text, question.id


def test_test_mode_shows_no_key_until_finished(app: Flask, client: FlaskClient, bank: QuestionBank) -> None:
    """Before answering and after (a wrong answer), every question page keeps the key; results show it."""
    public_id = start_selection(client, leak_quiz(bank), mode="test")
    slots = attempt_slots(app, public_id)
    for slot in slots:
        before = question_page(client, public_id, slot.position)
        assert_no_key(before, slot.question)
        assert chosen_answer(before) == {}
        submit(client, public_id, slot.position, fields_for(slot, "wrong"), go="back")  # never finishes
        assert_no_key(question_page(client, public_id, slot.position), slot.question)
    client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    results = html.unescape(client.get(f"/attempts/{public_id}/results").get_data(as_text=True))
    for slot in slots:
        assert_key_shown(results[results.index(f'<li id="q{slot.position}"') :], slot.question)


def test_practice_mode_shows_the_key_only_once_checked(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """Practice: no key before 'check' (nor after a check sent empty); the feedback right after it."""
    public_id = start_selection(client, one_of_each_type(bank), mode="practice")
    for slot in attempt_slots(app, public_id):
        assert_no_key(question_page(client, public_id, slot.position), slot.question)
        submit(client, public_id, slot.position, {}, go="check")
        assert_no_key(question_page(client, public_id, slot.position), slot.question)
        submit(client, public_id, slot.position, fields_for(slot, "wrong"), go="check")
        checked = question_page(client, public_id, slot.position)
        assert_key_shown(checked, slot.question)
        if slot.question.type in TYPED:  # the very check that found nothing before now finds the key
            assert shows(form_text(checked, slot.question), accepted_texts(slot.question)[0])
