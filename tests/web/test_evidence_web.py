"""Answer-and-evidence questions through the Flask client: the page offers the sentences by opaque tokens,
practice marks each sentence, a test scores half for the answer and half by sentence, a bad token is refused
beside the question, the editor checks the evidence against the set's text, and a class report shows which
sentences the class picked."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.questions import Question
from quizapp.extensions import db
from quizapp.models import Response
from tests.web.classroom_steps import answer, join_student, open_session, step
from tests.web.editing import browser_fields, field_errors, send, sign_in, versions
from tests.web.editing import new_url as editor_url
from tests.web.taking import attempt_slots, expected_points, fields_for, start_selection, submit

TOKEN = re.compile(r"^[0-9a-f]{12}$")
SAMPLES = "evidence-samples-studied-abroad"
TEXT = (
    "Chang’e-6 landed on the far side of the moon. It carried four international payloads.\n"
    "The samples came back in June. Scientists from many countries study them.\n"
    "China invites applications for the samples. Chang’e-7 will fly in 2026. Chang’e-8 will follow."
)


def evidence_question(bank: QuestionBank, qid: str = SAMPLES) -> Question:
    return next(q for q in bank.questions if q.id == qid)


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def points_stored(app: Flask) -> list[float]:
    with app.app_context():
        return list(db.session.scalars(db.select(Response.points).order_by(Response.id)))


def test_the_page_offers_every_sentence_by_token_in_text_order(
    client: FlaskClient, bank: QuestionBank
) -> None:
    question = evidence_question(bank)
    public_id = start_selection(client, [question.id], mode="test")
    shown = page(client, f"/attempts/{public_id}/1")
    assert "Which sentences prove it?" in shown
    values = re.findall(r'name="evidence" value="([^"]*)"', shown)
    assert len(values) == len(question.passage) and all(TOKEN.match(v) for v in values)
    where = [shown.index(sentence) for sentence in question.passage]
    assert where == sorted(where)  # text order
    assert not re.search(r"p\d+s\d+", shown)  # no anchors: nothing says which sentences are the evidence
    assert "js/evidence.js" in shown
    part_two = shown.split("Which sentences prove it?")[1].split("</fieldset>")[0]
    assert "checked" not in part_two and "is-key" not in part_two


def test_practice_marks_each_sentence_and_says_how_the_credit_came(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    public_id = start_selection(client, [SAMPLES], mode="practice")
    [slot] = attempt_slots(app, public_id)
    response = submit(client, public_id, 1, fields_for(slot, "partial"), go="check")
    assert response.status_code == 302
    feedback = page(client, f"/attempts/{public_id}/1")
    assert "Partly right · 0.75 of 1 point" in feedback
    assert "2 of 2 proving sentences ticked, 1 wrong" in feedback
    assert feedback.count("your evidence: it proves the answer") == 2
    assert "your evidence: it does not prove the answer" in feedback
    assert points_stored(app) == [pytest.approx(0.75)]


def test_a_test_scores_half_for_the_answer_and_half_by_sentence(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    questions = [q for q in bank.questions if q.type == "evidence"]
    by_proofs = {len(q.answer[1]): q for q in reversed(questions)}  # type: ignore[index,arg-type]
    partial = [by_proofs[1], by_proofs[2]]  # a stray beside one proof, beside two
    others = [q for q in questions if q not in partial][:2]
    plan = {others[0].id: "right", partial[0].id: "partial", partial[1].id: "partial", others[1].id: "wrong"}
    public_id = start_selection(client, list(plan), mode="test")
    expected = []
    for slot in attempt_slots(app, public_id):
        response = submit(client, public_id, slot.position, fields_for(slot, plan[slot.question.id]))
        assert response.status_code == 302, response.get_data(as_text=True)
        expected.append(expected_points(slot.question, plan[slot.question.id]))
    assert points_stored(app) == pytest.approx(expected)
    assert sorted(expected) == [0.0, 0.5, 0.75, 1.0]  # a stray beside one proof: 0.5; beside two: 0.75


@pytest.mark.parametrize(
    "fields",
    [
        lambda slot: {"answer": slot.tokens.items[0], "evidence": ["0123456789ab"]},
        lambda slot: {"answer": slot.tokens.items[0], "evidence": ["3"]},  # an index is no token
        lambda slot: {"evidence": [slot.tokens.options[0]]},  # sentences but no answer
    ],
)
def test_a_bad_answer_is_refused_beside_the_question(app: Flask, client: FlaskClient, fields: object) -> None:
    public_id = start_selection(client, [SAMPLES], mode="test")
    [slot] = attempt_slots(app, public_id)
    response = submit(client, public_id, 1, fields(slot))  # type: ignore[operator]
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="answer-error" role="alert">[^<]*(not one of this question|Choose an answer)', text)
    assert points_stored(app) == []


def test_the_editor_checks_the_evidence_against_the_sets_text(app: Flask) -> None:
    teacher, set_id = teacher_with_evidence_set(app)
    url = editor_url(set_id, "evidence")
    fields = editor_fields(teacher, url, "Scientists from many countries study the samples.")
    response = send(teacher, url, fields)
    assert response.status_code == 400
    errors = field_errors(response.get_data(as_text=True), "evidence")
    assert errors and "is not a sentence of the text" in errors[0]
    assert versions(app, set_id) == []


def teacher_with_evidence_set(app: Flask) -> tuple[FlaskClient, int]:
    """A signed-in teacher and her set with TEXT as its source text."""
    from tests.web.editing import add_set  # noqa: PLC0415 - the editor tests' helper

    teacher = sign_in(app, "ada@school.org")
    return teacher, add_set(app, "ada@school.org", TEXT)


def editor_fields(teacher: FlaskClient, url: str, evidence: str) -> object:
    return browser_fields(
        teacher,
        url,
        {
            "prompt": "Do scientists outside China study the samples?",
            "choices-0-text": "Yes",
            "choices-1-text": "No",
            "choices-2-text": "Only Chinese ones",
            "correct": "0",
            "evidence": evidence,
        },
    )


def test_an_evidence_question_written_in_the_editor_is_stored_with_its_sentences(app: Flask) -> None:
    teacher, set_id = teacher_with_evidence_set(app)
    url = editor_url(set_id, "evidence")
    evidence = "Scientists from many countries study them.\nChina invites applications for the samples."
    response = send(teacher, url, editor_fields(teacher, url, evidence))
    assert response.status_code == 302, field_errors(response.get_data(as_text=True), "evidence")
    [[content]] = versions(app, set_id)
    assert content["answer"] == {
        "choice": "Yes",
        "evidence": [
            "Scientists from many countries study them.",
            "China invites applications for the samples.",
        ],
    }
    assert len(content["passage"]) == 7 and content["source"] == "Scientists from many countries study them."


def test_the_class_report_shows_which_sentences_the_class_picked(app: Flask) -> None:
    teacher, set_id = teacher_with_evidence_set(app)
    url = editor_url(set_id, "evidence")
    evidence = "Scientists from many countries study them.\nChina invites applications for the samples."
    assert send(teacher, url, editor_fields(teacher, url, evidence)).status_code == 302
    run = open_session(teacher, set_id, count=1)
    students = [join_student(app, app.test_client(), run.code, name) for name in ("Ann", "Ben", "Cy")]
    assert step(teacher, run, "start", 0).status_code == 302
    for student, how in zip(students, ["right", "partial", "wrong"], strict=True):
        assert answer(app, student, how).status_code == 303
    assert step(teacher, run, "close", 1).status_code == 302
    report = page(teacher, f"{run.board}/items")
    rows = dict(
        re.findall(
            r"<td>(Evidence: [^<]*?)(?: <span[^>]*>correct</span>)?</td>\s*<td class=\"num\">(\d+)", report
        )
    )
    assert rows["Evidence: Scientists from many countries study them."] == "2"  # Ann and Ben
    assert rows["Evidence: China invites applications for the samples."] == "2"
    assert len(rows) == 7 and list(rows.values()).count("2") == 3  # and Ben's and Cy's stray sentence
    assert "Answer: Yes" in report
