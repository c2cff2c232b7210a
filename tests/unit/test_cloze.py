"""Cloze questions: Moodle's embedded-answers syntax read as Moodle reads it (and refused with its words),
each gap scored by its weight, one form field per gap with choices named by opaque tokens."""

from __future__ import annotations

import pytest
from factories import build_question

from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.answers import InvalidAnswer, NoAnswer, answer_in_words, parse_answer
from quizapp.domain.cloze_syntax import (
    FRACTIONS_NO_MAX,
    NOT_A_NUMBER,
    NOT_ENOUGH_CHOICES,
    QUESTIONS_MISSING,
    GapAnswer,
    blanked_text,
    cloze_errors,
    parse_cloze,
    write_cloze,
)
from quizapp.domain.feedback import answer_marks, credit_note
from quizapp.domain.formats import read_moodle_xml
from quizapp.domain.formats.mapping import map_report
from quizapp.domain.question_types import KINDS
from quizapp.domain.question_types.cloze import cloze_from_moodle, cloze_to_moodle
from quizapp.domain.questions import InvalidQuestion, question_from_dict, question_to_dict
from quizapp.domain.scoring import score_response
from quizapp.richtext import clean_html

KEY = b"k" * 32
CHANGE = (
    "Chang'e-4 landed on the {1:SHORTANSWER:=far side~%50%other side#close} of the Moon in "
    "{1:NUMERICAL:=2019:0} with the rover {1:MULTICHOICE:Yutu-1~=Yutu-2~Pragyan}."
)


def cloze(prompt: str = CHANGE, **fields: object) -> object:
    return build_question("cloze", prompt=prompt, **fields)


def test_the_example_reads_as_three_gaps_and_writes_back() -> None:
    read = parse_cloze(CHANGE)
    assert read.text == "Chang'e-4 landed on the {#1} of the Moon in {#2} with the rover {#3}."
    assert [g.kind for g in read.gaps] == ["SHORTANSWER", "NUMERICAL", "MULTICHOICE"]
    assert read.gaps[0].answers == (GapAnswer("far side", 1.0), GapAnswer("other side", 0.5, "close"))
    assert read.gaps[1].answers[0].number == 2019 and read.gaps[1].answers[0].tolerance == 0
    assert read.gaps[2].choices == ("Yutu-1", "Yutu-2", "Pragyan") and read.gaps[2].layout == "menu"
    assert parse_cloze(write_cloze(read)) == read
    assert cloze_errors(CHANGE) == []


@pytest.mark.parametrize(
    ("written", "kind", "layout", "shuffled"),
    [
        ("{1:SA:=a}", "SHORTANSWER", "", False),
        ("{1:MW:=a}", "SHORTANSWER", "", False),
        ("{1:SAC:=a}", "SHORTANSWER_C", "", False),
        ("{1:NM:=1}", "NUMERICAL", "", False),
        ("{1:MCV:=a~b}", "MULTICHOICE_V", "vertical", False),
        ("{1:MCH:=a~b}", "MULTICHOICE_H", "horizontal", False),
        ("{1:MCS:=a~b}", "MULTICHOICE_S", "menu", True),
        ("{1:MULTICHOICE_VS:=a~b}", "MULTICHOICE_VS", "vertical", True),
        ("{1:MR:=a~b}", "MULTIRESPONSE", "vertical", False),
        ("{1:MRHS:=a~b}", "MULTIRESPONSE_HS", "horizontal", True),
    ],
)
def test_every_gap_type_and_short_form(written: str, kind: str, layout: str, shuffled: bool) -> None:
    [gap] = parse_cloze(written).gaps
    assert (gap.kind, gap.layout, gap.shuffled) == (kind, layout, shuffled)


def test_escapes_weights_and_tolerances() -> None:
    [a, b, c] = parse_cloze(
        r"{3:SAC:=a\}b\#c\~d\/e\"f#yes \} really~%33.5%q} {:NM:=1,5:0.1~%50%*} {2:MR:=x~=y~z}"
    ).gaps
    assert a.weight == 3 and a.answers[0] == GapAnswer('a}b#c~d/e"f', 1.0, "yes } really")
    assert a.answers[1].fraction == pytest.approx(0.335)
    assert b.weight == 1 and (b.answers[0].number, b.answers[0].tolerance) == (1.5, 0.1)
    assert b.answers[1].text == "*"
    # Moodle's multi-response rule: right choices share 100 %, each wrong one cancels a right one
    assert [x.fraction for x in c.answers] == [0.5, 0.5, -0.5]


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("No gap here.", [QUESTIONS_MISSING]),
        ("{1:MULTICHOICE:a~b~c}", [FRACTIONS_NO_MAX]),
        ("{1:MULTICHOICE:=a}", [NOT_ENOUGH_CHOICES]),
        ("{1:NUMERICAL:=two thousand}", [NOT_A_NUMBER]),
        ("{1:SHORTANSWER:%50%half}", [FRACTIONS_NO_MAX]),
    ],
)
def test_moodle_refuses_with_its_own_words(text: str, messages: list[str]) -> None:
    assert [m for _, _, m in cloze_errors(text)] == messages


def test_a_misspelt_gap_is_reported_not_lost() -> None:
    """Moodle keeps `{1:SHORTANSWR:=x}` as text; quizapp says so, with the piece and how to write a gap."""
    errors = cloze_errors("In {1:SHORTANSWR:=x} and {1:NUMERICAL:=2}")
    assert len(errors) == 1 and errors[0][1] == "{1:SHORTANSWR:"
    assert "is not a gap Moodle reads" in errors[0][2]
    assert cloze_errors("{MR:=a~b} {1:SA:=x}")[0][1] == "{MR:"  # the weight forgotten


def test_broken_text_is_refused_as_a_question_and_from_moodle() -> None:
    with pytest.raises(InvalidQuestion, match="at least one embedded answer"):
        cloze("No gap.")
    assert cloze_from_moodle("x {1:NM:=abc}") == ("x {1:NM:=abc}", [f"gap 1 {{1:NM:=abc}}: {NOT_A_NUMBER}"])
    xml = b"""<quiz><question type="cloze"><name><text>Broken</text></name><questiontext format="html">
      <text>Landed in {1:MULTICHOICE:2018~2019}.</text></questiontext></question></quiz>"""
    mapped = map_report(read_moodle_xml(xml), clean_html)
    assert mapped.questions == [] and FRACTIONS_NO_MAX in mapped.errors[0].message


def test_the_prompt_is_the_source_of_truth_in_files() -> None:
    question = cloze()
    raw = question_to_dict(question)
    assert raw["answer"] is None and raw["prompt"] == CHANGE
    assert question_from_dict(raw) == question
    assert question.answer == ("far side", 2019.0, "Yutu-2")
    with pytest.raises(InvalidQuestion, match="answer disagrees with the gaps"):
        cloze(answer=["near side", 2019, "Yutu-2"])
    assert cloze_to_moodle(question) == CHANGE


def test_nothing_of_the_key_is_shown_outside_the_fields() -> None:
    question = cloze()
    assert (
        blanked_text(CHANGE)
        == "Chang'e-4 landed on the ____ (1) of the Moon in ____ (2) with the rover ____ (3)."
    )
    assert question.kind.shown_prompt(question) == blanked_text(CHANGE)
    assert question.items == ("Yutu-1", "Yutu-2", "Pragyan")  # named by tokens on the page


@pytest.mark.parametrize(
    ("given", "points"),
    [
        (("far side", 2019.0, "Yutu-2"), 1.0),
        (("  FAR SIDE ", 2019.0, "Yutu-2"), 1.0),  # case and outer spaces do not matter
        (("other side", 2019.0, "Yutu-2"), round(2.5 / 3, 4)),  # 50 % on one gap of three
        (("far side", 2020.0, "Yutu-1"), round(1 / 3, 4)),
        (("far side", None, None), round(1 / 3, 4)),  # gaps left blank earn nothing
        (("near side", 2018.0, "Pragyan"), 0.0),
    ],
)
def test_each_gap_earns_a_share(given: tuple, points: float) -> None:
    assert score_response(cloze(), given) == points


def test_weights_tolerance_wildcards_case_and_choices() -> None:
    question = cloze("{3:SHORTANSWER_C:=Yutu-2} {1:NUMERICAL:=1.5:0.2~%50%*} {1:SA:=*side} {1:MR:=a~=b~c}")
    assert score_response(question, ("Yutu-2", 1.6, "far side", ("a", "b"))) == 1.0
    assert score_response(question, ("yutu-2", 1.6, "far side", ("a", "b"))) == 0.5  # case matters: 3 of 6
    assert score_response(question, ("Yutu-2", 9.0, "x", ("a", "c"))) == round((3 + 0.5) / 6, 4)


def test_marks_feedback_and_credit_note_per_gap() -> None:
    question = cloze()
    given = ("other side", 2019.0, "Pragyan")
    marks = answer_marks(question, given, question.kind.items(question) and range(3))
    assert [(m.text, m.kind) for m in marks] == [("Gap 1", "partial"), ("Gap 2", "right"), ("Gap 3", "wrong")]
    assert "close" in marks[0].note and "“far side”" in marks[0].note
    assert "“Yutu-2”" in marks[2].note
    assert credit_note(question, given, score_response(question, given)) == (
        "1 of 3 gaps right: 0.5 of 1 point (a share for each gap)."
    )
    assert answer_in_words(question, given) == "1: other side; 2: 2019; 3: Pragyan"


def test_one_field_per_gap_with_tokens_for_choices() -> None:
    question = cloze()
    tokens = answer_tokens(KEY, "slot-1", question)
    yutu2 = tokens.items[1]
    form = {"gap-1": ["far side"], "gap-2": ["2,019"], "gap-3": [yutu2]}
    assert parse_answer(question, form, tokens) == ("far side", 2019.0, "Yutu-2")
    assert parse_answer(question, {"gap-3": [yutu2]}, tokens) == (None, None, "Yutu-2")
    with pytest.raises(NoAnswer):
        parse_answer(question, {"gap-1": ["  "]}, tokens)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"gap-3": ["1"]}, "Gap 3: that choice is not one of this gap's options"),  # an index
        ({"gap-3": ["x" * 12]}, "Gap 3: that choice"),
        ({"gap-2": ["twenty"]}, "Gap 2: “twenty” is not a number"),
        ({"gap-1": ["a", "b"]}, "Gap 1: give one answer only"),
        ({"gap-1": ["a" * 201]}, "Gap 1: keep the answer under 200 characters"),
    ],
)
def test_impossible_fields_are_refused(form: dict[str, list[str]], message: str) -> None:
    question = cloze()
    with pytest.raises(InvalidAnswer, match=message):
        parse_answer(question, form, answer_tokens(KEY, "slot-1", question))


def test_a_token_of_another_gap_or_slot_is_no_choice() -> None:
    question = cloze("{1:MC:=a~b} {1:MC:=c~d}")
    tokens = answer_tokens(KEY, "slot-1", question)
    with pytest.raises(InvalidAnswer, match="Gap 1"):
        parse_answer(question, {"gap-1": [tokens.items[2]]}, tokens)  # gap 2's first choice
    elsewhere = answer_tokens(KEY, "slot-2", question).items[0]
    with pytest.raises(InvalidAnswer, match="Gap 1"):
        parse_answer(question, {"gap-1": [elsewhere]}, tokens)
    assert parse_answer(question, {"gap-2": [tokens.items[3]]}, tokens) == (None, "d")


def test_shuffled_gaps_follow_the_slot_others_keep_their_order() -> None:
    question = cloze("{1:MC:=a~b~c} {1:MCS:=d~e~f}")
    tokens = answer_tokens(KEY, "slot-1", question)
    fields = question.kind.fields(question, tokens, (5, 4, 3, 2, 1, 0))
    assert [o.text for o in fields[0].options] == ["a", "b", "c"]
    assert [o.text for o in fields[1].options] == ["f", "e", "d"]
    assert fields[1].options[0].token == tokens.items[5]


def test_punctuation_after_a_gap_goes_with_the_gap() -> None:
    """The answer page keeps "gap," and "gap." on one line: the tail is the punctuation right after a gap."""
    kind = KINDS["cloze"]
    assert kind.pieces("<p>A {#1}, then {#2}.</p> {#3} b") == [
        "<p>A ",
        (1, ","),
        " then ",
        (2, "."),
        "</p> ",
        (3, ""),
        " b",
    ]
    assert kind.pieces("No gap.") == ["No gap."]
    assert kind.pieces("{#1}”…) end") == ["", (1, "”…)"), " end"]
