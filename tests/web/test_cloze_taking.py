"""Taking a cloze question through the test client, in practice and in a test: one field per gap (choices
valued by the slot's tokens), nothing of the key on the page, refusals with 400, per-gap marks and results;
the editor's check lists Moodle's errors and a broken text is not saved."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.cloze_syntax import FRACTIONS_NO_MAX, QUESTIONS_MISSING
from quizapp.domain.questions import Question, QuestionType
from tests.conftest import get_token
from tests.web.cloze_taking import cloze_partial, cloze_partial_points
from tests.web.taking import (
    answer_fields,
    attempt_slots,
    chosen_answer,
    sent_fields,
    start_selection,
    submit,
    token,
)
from tests.web.teachers import ADA, make_set, sign_in_teacher

TOKEN = re.compile(r"[0-9a-f]{12}")


def cloze_questions(bank: QuestionBank) -> dict[str, Question]:
    found = {q.id: q for q in bank.questions if q.type is QuestionType.CLOZE}
    assert len(found) >= 4
    return found


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def test_one_field_per_gap_and_nothing_of_the_key(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = cloze_questions(bank)["cloze-chang-e-4-far-side-rover"]
    public_id = start_selection(client, [question.id], mode="test")
    slot = attempt_slots(app, public_id)[0]
    text = page(client, f"/attempts/{public_id}/1")
    assert re.search(r'<input type="text" id="gap-1" name="gap-1" aria-label="Gap 1 of 3"', text)
    assert re.search(r'<select id="gap-2" name="gap-2" aria-label="Gap 2 of 3"', text)
    assert 'inputmode="decimal"' in text  # the number gap
    values = re.findall(r'<option value="([^"]*)"', text)
    assert values[0] == "" and set(values[1:]) == set(slot.tokens.items)
    assert all(TOKEN.fullmatch(v) for v in values[1:])
    for secret in ("far side", "dark side", "SHORTANSWER", "{1:", "sunlight", question.explanation):
        assert secret not in text, secret


def test_a_test_refuses_impossible_gaps_then_scores_each_gap(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    questions = list(cloze_questions(bank).values())[:2]
    public_id = start_selection(client, [q.id for q in questions], mode="test")
    first, second = attempt_slots(app, public_id)
    fields = answer_fields(first.question, first.question.answer, first.tokens)
    number_gap = next(
        name for name, value in fields.items() if isinstance(value, str) and value[:1].isdigit()
    )
    bad = {**fields, number_gap: "twenty"}
    response = submit(client, public_id, 1, bad)
    assert response.status_code == 400
    refused = html.unescape(response.get_data(as_text=True))
    assert f"Gap {number_gap.removeprefix('gap-')}: “twenty” is not a number" in refused
    assert chosen_answer(refused) == sent_fields(bad)  # what was given stays on the page
    choice_gap = next(name for name, value in fields.items() if isinstance(value, list))
    assert submit(client, public_id, 1, {**fields, choice_gap: ["0"]}).status_code == 400
    assert attempt_slots(app, public_id)[0].given is None

    partial = cloze_partial(first.question)
    sent = [
        answer_fields(first.question, partial, first.tokens),
        answer_fields(second.question, second.question.answer, second.tokens),
    ]
    for slot, fields in zip((first, second), sent, strict=True):
        go = "finish" if slot.position == 2 else "next"
        assert submit(client, public_id, slot.position, fields, go).status_code == 302
    assert client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)}).status_code == 302
    stored = attempt_slots(app, public_id)
    assert stored[0].given == partial
    assert [s.points for s in stored] == [round(cloze_partial_points(first.question), 4), 1.0]
    results = page(client, f"/attempts/{public_id}/results")
    gaps = len(partial)  # type: ignore[arg-type]
    assert f"{gaps - 1} of {gaps} gaps right" in results
    assert "Gap 1" in results and "____ (1)" in results  # the text shown with numbered blanks


def test_practice_marks_each_gap_with_its_feedback(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = cloze_questions(bank)["cloze-chang-e-4-far-side-rover"]
    public_id = start_selection(client, [question.id], mode="practice")
    slot = attempt_slots(app, public_id)[0]
    given = ("dark side", "Yutu-2", 2019.0)
    response = submit(client, public_id, 1, answer_fields(question, given, slot.tokens), "check")
    assert response.status_code in (200, 302)
    text = page(client, f"/attempts/{public_id}/1")
    assert "Partly right" in text and "2 of 3 gaps right" in text
    assert "your answer “dark side”, partly right: 0.5 of 1; the answer is “far side”" in text
    assert "it gets as much sunlight as the near side" in text
    assert 'value="dark side"' in text  # the answer stays shown


def test_the_editor_checks_the_gaps_and_refuses_a_broken_text(app: Flask, client: FlaskClient) -> None:
    sign_in_teacher(app, client, ADA)
    set_id = make_set(app, ADA)
    path = f"/teacher/sets/{set_id}/questions/new?type=cloze"
    fields = {"csrf_token": get_token(client, path), "format": "plain", "difficulty": "2"}
    checked = client.post(
        path, data={**fields, "prompt": "Landed in {1:MULTICHOICE:2018~2019}.", "action": "more"}
    )
    assert checked.status_code == 200  # a check saves nothing and is no error
    assert FRACTIONS_NO_MAX in html.unescape(checked.get_data(as_text=True))
    refused = client.post(path, data={**fields, "prompt": "No gaps at all.", "action": "save"})
    assert refused.status_code == 400
    assert QUESTIONS_MISSING in html.unescape(refused.get_data(as_text=True))
    good = "Chang’e-4 landed in {1:NUMERICAL:=2019:0} with {1:MULTICHOICE:Yutu-1~=Yutu-2}."
    shown = client.post(path, data={**fields, "prompt": good, "action": "more"})
    assert "2 gaps found" in html.unescape(shown.get_data(as_text=True))
    saved = client.post(path, data={**fields, "prompt": good, "action": "save"})
    assert saved.status_code == 302
