"""Taking a 'sort into groups' question through the test client, in practice and in a test: a radio button per
group for each item (named and valued by the slot's tokens), refusals, feedback, marks and the results."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.questions import Question, QuestionType
from quizapp.services.attempt_views import SlotView
from tests.web.taking import (
    answer_fields,
    attempt_slots,
    chosen_answer,
    sent_fields,
    start_selection,
    submit,
    token,
)

TOKEN = re.compile(r"[0-9a-f]{12}")


def sorting_questions(bank: QuestionBank) -> list[Question]:
    found = [q for q in bank.questions if q.type is QuestionType.CATEGORISE]
    assert len(found) >= 4
    return found


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def picks(slot: SlotView, wrong: set[str] = frozenset()) -> tuple[tuple[str, str], ...]:  # type: ignore[assignment]
    """The key, with the items in `wrong` put into another group."""
    groups = slot.question.groups
    return tuple(
        (item, next(g for g in groups if g != group) if item in wrong else group)
        for item, group in slot.question.answer  # type: ignore[misc,union-attr]
    )


def test_the_page_offers_a_radio_button_per_group_for_each_item_and_gives_nothing_away(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    question = sorting_questions(bank)[0]
    public_id = start_selection(client, [question.id], mode="test")
    slot = attempt_slots(app, public_id)[0]
    text = page(client, f"/attempts/{public_id}/1")
    radios = re.findall(r'<input type="radio" name="group-([^"]+)" value="([^"]+)"', text)
    items, groups = question.items, question.groups
    assert len(radios) == len(items) * len(groups)
    assert {name for name, _ in radios} == set(slot.tokens.items)
    assert {value for _, value in radios} == set(slot.tokens.options)
    assert all(TOKEN.fullmatch(name) and TOKEN.fullmatch(value) for name, value in radios)
    for item in items:  # each item a fieldset whose legend names it
        assert re.search(rf"<legend>{re.escape(item)}</legend>", text), item
    assert "<select" not in text.split('<form method="post"')[-1]  # nothing to drag, nothing hidden in menus
    assert question.explanation not in text


def test_a_test_refuses_a_half_sorted_answer_then_scores_and_shows_the_results(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    questions = sorting_questions(bank)[:3]
    public_id = start_selection(client, [q.id for q in questions], mode="test")
    slots = attempt_slots(app, public_id)
    first = slots[0]
    half = answer_fields(first.question, first.question.answer, first.tokens)
    missing_item = first.question.items[0]
    del half[f"group-{first.tokens.items[0]}"]
    response = submit(client, public_id, 1, half)
    assert response.status_code == 400
    refused = html.unescape(response.get_data(as_text=True))
    assert f"Put every item in a group: “{missing_item}” has none yet." in refused
    assert chosen_answer(refused) == sent_fields(half)  # what was sorted stays ticked
    bad = answer_fields(first.question, first.question.answer, first.tokens)
    bad[f"group-{first.tokens.items[0]}"] = "0"
    assert submit(client, public_id, 1, bad).status_code == 400
    assert attempt_slots(app, public_id)[0].given is None

    one_wrong = {first.question.items[0]}
    answers = [picks(first, one_wrong), slots[1].question.answer, None]
    for slot, answer in zip(slots, answers, strict=True):
        fields = {} if answer is None else answer_fields(slot.question, answer, slot.tokens)
        go = "finish" if slot.position == len(slots) else "next"
        assert submit(client, public_id, slot.position, fields, go).status_code == 302
    finished = client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert finished.status_code == 302
    stored = attempt_slots(app, public_id)
    n = len(first.question.answer)  # type: ignore[arg-type]
    assert stored[0].given == answers[0]
    assert stored[0].points == round((n - 1) / n, 4)
    assert [s.points for s in stored[1:]] == [1.0, None]
    results = page(client, f"/attempts/{public_id}/results")
    assert f"{n - 1} of {n} items in their right group" in results
    item, group = first.question.answer[0]  # type: ignore[index,misc]
    assert f"wrong: it belongs in “{group}”" in results
    in_words = "; ".join(f"{i} → {g}" for i, g in answers[0])  # type: ignore[union-attr]
    assert f"<dt>Your answer</dt><dd>{in_words}</dd>" in results


def test_practice_checks_each_question_with_marks_and_keeps_the_answer_shown(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    questions = sorting_questions(bank)[:2]
    public_id = start_selection(client, [q.id for q in questions], mode="practice")
    slots = attempt_slots(app, public_id)
    for slot, wrong in zip(slots, [set(), {slots[1].question.items[1]}], strict=True):
        path = f"/attempts/{public_id}/{slot.position}"
        before = page(client, path)
        assert 'class="verdict"' not in before
        fields = answer_fields(slot.question, picks(slot, wrong), slot.tokens)
        assert submit(client, public_id, slot.position, fields, go="check").headers["Location"] == path
        after = page(client, path)
        assert chosen_answer(after) == sent_fields(fields)
        assert slot.question.explanation in after
        notes = re.findall(r'<span class="mark-note">\((.*?)\)</span>', after)
        assert len(notes) == len(slot.question.items)
        assert sum("wrong: it belongs in" in note for note in notes) == len(wrong)
        assert "disabled" in after.split('<form method="post"')[-1]  # checked: final
    stored = attempt_slots(app, public_id)
    n = len(slots[1].question.answer)  # type: ignore[arg-type]
    assert [s.points for s in stored] == [1.0, round((n - 1) / n, 4)]
