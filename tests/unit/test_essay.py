"""Essays in the domain: the file form (no key; word limit, marking guide, template), the answer read from the
box (word limit and character cap, a template left as it is), and a teacher's points and comment."""

from __future__ import annotations

import pytest
from factories import build_question, make_question

from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.answers import InvalidAnswer, NoAnswer, parse_answer
from quizapp.domain.authoring import form_from_question, question_from_form
from quizapp.domain.marking import InvalidMark, clean_comment, parse_points
from quizapp.domain.question_types.essay import MAX_ESSAY, count_words, parse_word_limit
from quizapp.domain.questions import QuestionType, question_to_dict, validate_question
from quizapp.domain.scoring import score_response


def read(question, text: str):  # type: ignore[no-untyped-def]
    return parse_answer(question, {"answer": [text]}, answer_tokens(b"k", "slot-1", question))


def test_an_essay_needs_no_answer_and_keeps_its_fields() -> None:
    question = build_question("essay", response_template="Reason 1:\nReason 2:")
    assert question.answer is None and not question.kind.auto_scored and question.kind.scored
    assert (question.word_limit, question.response_template) == (150, "Reason 1:\nReason 2:")
    assert question.marking_guide.startswith("Full marks")
    written = question_to_dict(question)
    assert written["word_limit"] == 150 and "answer" in written and written["answer"] is None


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"answer": "Samples"}, "an essay has no answer key"),
        ({"word_limit": 0}, "word_limit must be a whole number of words from 1 to 5,000"),
        ({"word_limit": "300"}, "word_limit must be a whole number"),
        ({"word_limit": True}, "word_limit must be a whole number"),
        ({"word_limit": 5001}, "from 1 to 5,000"),
        ({"marking_guide": ["a list"]}, "marking_guide must be a text"),
    ],
)
def test_a_broken_essay_is_refused_with_a_fix(overrides: dict[str, object], fragment: str) -> None:
    problems = validate_question(make_question("essay", **overrides))
    assert any(fragment in p.message for p in problems), problems
    assert all(p.hint for p in problems)


def test_other_types_still_need_their_answer() -> None:
    raw = make_question("single_choice")
    del raw["answer"]
    assert any("missing field 'answer'" in p.message for p in validate_question(raw))


@pytest.mark.parametrize(
    ("typed", "limit"), [("", 0), (" 250 ", 250), ("1,000", 1000), ("1 000", 1000), ("5000", 5000)]
)
def test_word_limits_typed_in_the_editor(typed: str, limit: int) -> None:
    assert parse_word_limit(typed) == limit


@pytest.mark.parametrize("typed", ["0", "-5", "five", "5001", "2.5e3"])
def test_impossible_word_limits_say_what_to_type(typed: str) -> None:
    with pytest.raises(ValueError, match="whole number of words from 1 to 5,000"):
        parse_word_limit(typed)


def test_the_editor_round_trips_an_essay_and_puts_a_bad_limit_beside_its_field() -> None:
    question = build_question("essay")
    values = form_from_question(question_to_dict(question))
    assert values["word_limit"] == "150" and values["marking_guide"] == question.marking_guide
    assert question_from_form(QuestionType.ESSAY, values).question["word_limit"] == 150
    draft = question_from_form(QuestionType.ESSAY, {**values, "word_limit": "lots"})
    assert draft.errors == {
        "word_limit": ["Write a whole number of words from 1 to 5,000, or leave it empty."]
    }


def test_the_answer_is_the_text_with_its_line_breaks() -> None:
    question = build_question("essay")
    assert read(question, "  First line.\r\nSecond line.  ") == "First line.\nSecond line."
    assert count_words("First line.\nSecond  line.") == 4


def test_the_word_limit_and_the_character_cap_are_checked() -> None:
    question = build_question("essay", word_limit=3)
    assert read(question, "one two three") == "one two three"
    with pytest.raises(
        InvalidAnswer, match="Your answer has 4 words; the limit is 3. Remove 1 word, then send"
    ):
        read(question, "one two three four")
    with pytest.raises(InvalidAnswer, match="Remove 2 words"):
        read(question, "one two three four five")
    unlimited = build_question("essay", word_limit=None)
    with pytest.raises(InvalidAnswer, match="the most is 20,000"):
        read(unlimited, "x" * (MAX_ESSAY + 1))


def test_a_blank_box_or_the_untouched_template_is_no_answer() -> None:
    question = build_question("essay", response_template="Reason 1:\nReason 2:")
    for typed in ("", "   ", "Reason 1:\r\nReason 2:"):
        with pytest.raises(NoAnswer):
            read(question, typed)
    assert read(question, "Reason 1: far side\nReason 2:") == "Reason 1: far side\nReason 2:"
    with pytest.raises(InvalidAnswer, match="one answer only"):
        parse_answer(question, {"answer": ["a", "b"]}, answer_tokens(b"k", "slot-1", question))


def test_an_essay_is_never_scored_by_the_machine() -> None:
    with pytest.raises(TypeError, match="marked by a teacher"):
        score_response(build_question("essay"), "Anything")


@pytest.mark.parametrize(
    ("typed", "points"),
    [("1", 1.0), ("0", 0.0), ("0.5", 0.5), ("0,75", 0.75), (".25", 0.25), ("50 %", 0.5), ("0.333", 0.33)],
)
def test_points_typed_by_a_teacher(typed: str, points: float) -> None:
    assert parse_points(typed) == points


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the points for this answer"),
        ("2", "Points go from 0 to 1"),
        ("150 %", "Points go from 0 to 1"),
        ("-1", "is not a number"),
        ("half", "is not a number"),
        ("nan", "is not a number"),
    ],
)
def test_impossible_points_say_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(InvalidMark, match=message):
        parse_points(typed)


def test_comments_are_trimmed_blank_is_none_and_too_long_is_refused() -> None:
    assert clean_comment("  Good.\r\nMore detail. ") == "Good.\nMore detail."
    assert clean_comment("   ") is None and clean_comment(None) is None
    with pytest.raises(InvalidMark, match="under 5,000 characters"):
        clean_comment("x" * 5001)
