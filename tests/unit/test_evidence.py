"""The evidence type (answer and evidence): its file form, the sentences offered, scoring by sentence, parsing
the page's tokens, and the bars reports draw."""

from __future__ import annotations

import pytest
from factories import FLAG_SENTENCE, build_question, make_question, real_article, real_bank

from quizapp.domain.analysis import answer_bars
from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.bank import check_questions, with_source_text
from quizapp.domain.feedback import answer_marks
from quizapp.domain.question_types.base import InvalidAnswer, NoAnswer
from quizapp.domain.question_types.evidence import KIND, LEAST_OFFERED, MOST_OFFERED
from quizapp.domain.questions import question_from_dict, validate_question
from quizapp.domain.scoring import score_response

FIRST, STRAY = (
    "On Tuesday, the Chang’e 6 probe proudly displayed a Chinese flag.",
    ("It is customary for the president to congratulate the team."),
)


def two_proofs() -> dict:
    """An evidence question whose answer two of its four sentences prove."""
    return make_question(
        "evidence",
        answer={"choice": "China Daily", "evidence": [FIRST, FLAG_SENTENCE]},
        passage=[FIRST, FLAG_SENTENCE, STRAY, "Another sentence that proves nothing."],
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"answer": "China Daily"}, "answer must give the choice and the evidence"),
        ({"answer": {"choice": "China Daily", "evidence": []}}, "evidence must be a list of sentences"),
        ({"answer": {"choice": "Reuters", "evidence": [FLAG_SENTENCE]}}, "not among the choices"),
        ({"answer": {"choice": "China Daily", "evidence": ["Not in the text."]}}, "is not a sentence of"),
        ({"passage": []}, "no sentences to pick the answer's evidence from"),
        ({"passage": [FLAG_SENTENCE]}, "1 of 1 sentences offered"),
        ({"weights": [1, 0.5, 0]}, ""),  # weights on the choices, as a single choice's: allowed
    ],
)
def test_the_file_form_is_checked(change: dict, words: str) -> None:
    problems = validate_question(make_question("evidence", **change))
    if words:
        assert any(words in p.message for p in problems), [str(p) for p in problems]
    else:
        assert problems == []


def test_evidence_by_anchor_becomes_the_sentence_and_the_window_is_filled_from_the_text() -> None:
    raw = make_question("evidence", answer={"choice": "China Daily", "evidence": ["p1s2"]}, passage=None)
    raw.pop("source")
    filled = with_source_text(raw, real_article())
    assert filled["answer"]["evidence"] == [FLAG_SENTENCE]
    assert filled["source"] == FLAG_SENTENCE  # grounding: the evidence quoted
    passage = filled["passage"]
    assert LEAST_OFFERED <= len(passage) <= MOST_OFFERED
    texts = [s.text for s in real_article().sentences]
    assert passage == texts[texts.index(passage[0]) : texts.index(passage[0]) + len(passage)]  # text order
    assert question_from_dict(filled).passage == tuple(passage)


def test_an_unknown_anchor_is_refused_when_read_with_the_text() -> None:
    raw = make_question("evidence", answer={"choice": "China Daily", "evidence": ["p99s1"]}, passage=None)
    _, problems = check_questions([raw], real_article())
    assert any("'p99s1' is not a sentence" in p.message for p in problems)


def test_a_question_with_its_own_sentences_keeps_them_read_with_another_text() -> None:
    """A question copied from the bank into a set whose text lacks its sentences keeps the ones it brings."""
    raw = two_proofs()
    assert with_source_text(raw, real_article()) == raw  # FIRST is not a sentence of the article
    anchored = make_question("evidence", answer={"choice": "CGTN", "evidence": ["p99s1"]}, passage=None)
    assert with_source_text(anchored, real_article())["passage"]  # nothing of its own: the text's, to check


def test_the_banks_evidence_questions_offer_a_window_that_holds_their_evidence() -> None:
    questions = [q for q in real_bank().questions if q.type == "evidence"]
    assert len(questions) >= 4
    for q in questions:
        assert set(q.answer[1]) < set(q.passage)
        assert LEAST_OFFERED <= len(q.passage) <= MOST_OFFERED


@pytest.mark.parametrize(
    ("choice", "sentences", "points"),
    [
        ("China Daily", (FIRST, FLAG_SENTENCE), 1.0),
        ("China Daily", (FLAG_SENTENCE,), 0.75),  # one of two proofs
        ("China Daily", (FIRST, FLAG_SENTENCE, STRAY), 0.75),  # a wrong sentence takes one back
        ("China Daily", (FLAG_SENTENCE, STRAY), 0.5),  # never below 0 for the evidence
        ("China Daily", (STRAY,), 0.5),
        ("China Daily", (), 0.5),
        ("CGTN", (FIRST, FLAG_SENTENCE), 0.5),  # the evidence counts whatever the answer
        ("CGTN", (STRAY,), 0.0),
    ],
)
def test_half_for_the_answer_half_by_sentence(choice: str, sentences: tuple, points: float) -> None:
    assert score_response(question_from_dict(two_proofs()), (choice, sentences)) == pytest.approx(points)


def test_a_weighted_choice_earns_its_weight_of_the_answers_half() -> None:
    question = build_question("evidence", weights=[1, 0.5, 0])
    assert score_response(question, ("Global Times", (FLAG_SENTENCE,))) == pytest.approx(0.75)


def test_parsing_maps_tokens_back_and_refuses_strangers() -> None:
    question = question_from_dict(two_proofs())
    tokens = answer_tokens(b"secret", "attempt/1", question)
    assert len(tokens.options) == len(question.passage)
    form = {"answer": [tokens.items[0]], "evidence": [tokens.options[1], tokens.options[0]]}
    assert KIND.parse(question, form, tokens) == ("China Daily", (FIRST, FLAG_SENTENCE))  # text order
    assert KIND.parse(question, {"answer": [tokens.items[2]]}, tokens) == ("CGTN", ())
    with pytest.raises(NoAnswer):
        KIND.parse(question, {}, tokens)
    with pytest.raises(InvalidAnswer, match="Choose an answer to the question"):
        KIND.parse(question, {"evidence": [tokens.options[0]]}, tokens)
    with pytest.raises(InvalidAnswer, match="not one of this question"):
        KIND.parse(question, {"answer": [tokens.items[0]], "evidence": ["0123456789ab"]}, tokens)
    with pytest.raises(InvalidAnswer, match="not one of this question"):
        KIND.parse(question, {"answer": ["1"], "evidence": []}, tokens)  # an authored index is no token
    with pytest.raises(InvalidAnswer, match="one answer only"):
        KIND.parse(question, {"answer": list(tokens.items[:2])}, tokens)


def test_marks_say_each_sentence_right_wrong_or_missed() -> None:
    question = question_from_dict(two_proofs())
    marks = answer_marks(question, ("China Daily", (FLAG_SENTENCE, STRAY)), (0, 1, 2))
    notes = {m.text: (m.kind, m.note) for m in marks}
    assert notes["China Daily"][0] == "right"
    assert notes[FLAG_SENTENCE] == ("right", "your evidence: it proves the answer")
    assert notes[STRAY] == ("wrong", "your evidence: it does not prove the answer")
    assert notes[FIRST] == ("missed", "missed: this sentence proves the answer")
    assert "Another sentence that proves nothing." not in notes  # neither picked nor proving
    note = KIND.credit_note(question, ("China Daily", (FLAG_SENTENCE, STRAY)), "0.5 of 1 point")
    assert "1 of 2 proving sentences ticked, 1 wrong" in note


def test_bars_count_choices_and_each_sentence_picked() -> None:
    question = question_from_dict(two_proofs())
    counted = [(("China Daily", (FIRST, FLAG_SENTENCE)), 2, True), (("CGTN", (STRAY,)), 1, False)]
    bars = {b.label: (b.count, b.correct) for b in answer_bars(question, counted, 3)}
    assert bars["Answer: China Daily"] == (2, True)
    assert bars["Answer: CGTN"] == (1, False)
    assert bars[f"Evidence: {FLAG_SENTENCE}"] == (2, True)
    assert bars[f"Evidence: {STRAY}"] == (1, False)
    assert bars["Evidence: Another sentence that proves nothing."] == (0, False)
