"""Hints from the text through the pages, as a browser without JavaScript sends them: the offer names each
step and its price before it is taken, a hint button posts the question's own form (CSRF), the step's text
appears only once taken, the answer typed so far comes back, the score and the feedback say what the hint
cost; refusals (no CSRF, a step skipped, after the answer, hints off, a test, another browser)."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.hints import HIDDEN_SENTENCE, hint_ladder
from quizapp.domain.questions import Question, QuestionType
from quizapp.services.hints import set_switches
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from tests.web.taking import attempt_row, attempt_slots, fields_for, start_selection, submit, token

OFFER_1 = "Show hint 1: Where to look (the question is then worth 75%)"


def with_steps(bank: QuestionBank, steps: int = 3, kind: QuestionType | None = None) -> Question:
    """A bank question whose ladder has `steps` steps (of type `kind`), step 1 showing other sentences of
    its paragraph (most of the article's paragraphs are one sentence: their step 1 has only a label)."""
    return next(
        q
        for q in bank.questions
        if q.scored
        and len(hint_ladder(q, bank.article)) == steps
        and (kind is None or q.type is kind)
        and hint_ladder(q, bank.article)[0].text != HIDDEN_SENTENCE
    )


def text_of(client: FlaskClient, path: str) -> str:
    """A page's text with its entities decoded (200 expected)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def take(client: FlaskClient, public_id: str, number: int, **fields: str) -> tuple[int, str]:
    """Press hint button `number` (the question's form, with its CSRF token); the status and the page."""
    data = {**fields, "hint": str(number), "csrf_token": token(client)}
    response = client.post(f"/attempts/{public_id}/1/hint", data=data)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_the_offer_shows_each_price_before_the_step_and_its_text_only_once_taken(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = with_steps(bank)
    ladder = hint_ladder(question, bank.article)
    public_id = start_selection(client, [question.id], mode="practice")
    page = text_of(client, f"/attempts/{public_id}/1")
    assert "Hints from the text" in page and OFFER_1 in page
    assert "Where to look: after this hint the question is worth 75% of its points." in page
    assert "The sentence, answer hidden: after this hint the question is worth 50% of its points." in page
    assert "The sentence from the text: after this hint the question is worth 25% of its points." in page
    assert all(step.text not in page for step in ladder) and ladder[0].label not in page
    assert f'formaction="/attempts/{public_id}/1/hint#hints"' in page  # a button of the form: no JS

    status, page = take(client, public_id, 1)
    assert status == 200
    assert ladder[0].label in page and ladder[0].text in page
    assert f'href="/article#{ladder[0].anchors[0]}"' in page  # the paragraph in the article
    assert "Hint used: this question is worth 75% of its points." in page
    assert "Show hint 2: The sentence, answer hidden (the question is then worth 50%)" in page
    assert ladder[1].text not in page and OFFER_1 not in page
    assert ladder[0].text in text_of(client, f"/attempts/{public_id}/1")  # kept: the page shows it again


def test_a_hint_then_a_right_answer_earns_75_percent_and_says_so(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = with_steps(bank)
    public_id = start_selection(client, [question.id], mode="practice")
    assert take(client, public_id, 1)[0] == 200
    (slot,) = attempt_slots(app, public_id)
    assert submit(client, public_id, 1, fields_for(slot, "right"), go="check").status_code == 302
    page = text_of(client, f"/attempts/{public_id}/1")
    assert "Right · 0.75 of 1 point · hint used: worth 75%" in page
    assert "Show hint" not in page  # answered: nothing more to take
    assert attempt_slots(app, public_id)[0].points == 0.75

    status, page = take(client, public_id, 2)  # a button from a page read before the answer
    assert status == 400
    assert "This question is answered, so a hint can no longer change its points" in page
    assert attempt_slots(app, public_id)[0].points == 0.75
    assert attempt_slots(app, public_id)[0].hints_taken == 1

    client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert attempt_row(app, public_id).score == 0.75
    assert "hint used: worth 75%" in text_of(client, f"/attempts/{public_id}/results")


def test_the_answer_typed_so_far_comes_back_after_a_hint(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = next(
        q for q in bank.questions if q.type is QuestionType.FILL_BLANK and hint_ladder(q, bank.article)
    )
    public_id = start_selection(client, [question.id], mode="practice")
    status, page = take(client, public_id, 1, answer="my first guess")
    assert status == 200
    assert 'value="my first guess"' in page


def test_refusals_csrf_order_test_mode_hints_off_and_another_browser(
    app: Flask, client: FlaskClient, other_client: FlaskClient, bank: QuestionBank
) -> None:
    question = with_steps(bank)
    public_id = start_selection(client, [question.id], mode="practice")
    no_csrf = client.post(f"/attempts/{public_id}/1/hint", data={"hint": "1"})
    assert no_csrf.status_code == 400
    assert client.post(f"/attempts/{public_id}/1/hint", data={"csrf_token": token(client)}).status_code == 400
    status, page = take(client, public_id, 2)
    assert status == 400 and "Take the hints in order: the next one is hint 1." in page
    assert take(client, public_id, 9)[0] == 404  # no such step
    other = other_client.post(
        f"/attempts/{public_id}/1/hint", data={"hint": "1", "csrf_token": token(other_client)}
    )
    assert other.status_code == 404
    assert attempt_slots(app, public_id)[0].hints_taken == 0

    test_id = start_selection(client, [question.id], mode="test")
    assert "Hints from the text" not in text_of(client, f"/attempts/{test_id}/1")
    assert take(client, test_id, 1)[0] == 404

    with app.app_context():
        set_switches(get_set(ARTICLE_BANK), hints=False)
    page = text_of(client, f"/attempts/{public_id}/1")
    assert "Hints from the text" not in page and "Show hint" not in page
    assert take(client, public_id, 1)[0] == 404
    assert attempt_slots(app, public_id)[0].hints_taken == 0


def test_step_1_of_a_one_sentence_paragraph_says_where_to_look_and_links_to_it(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = next(
        q
        for q in bank.questions
        if q.scored and (ladder := hint_ladder(q, bank.article)) and ladder[0].text == HIDDEN_SENTENCE
    )
    step = hint_ladder(question, bank.article)[0]
    public_id = start_selection(client, [question.id], mode="practice")
    status, page = take(client, public_id, 1)
    assert status == 200
    assert step.label in page and f'href="/article#{step.anchors[0]}"' in page
    assert HIDDEN_SENTENCE not in page  # nothing but the placeholder to show: only the label and the link
