"""GIFT read rule by rule as the interop README's "GIFT as Moodle 4.5 reads it" states."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import MoodleAnswer, MoodleQuestion, read_gift


def only(text: str) -> MoodleQuestion:
    """The one question `text` holds (the test fails when it holds none or several, or has errors)."""
    report = read_gift(text)
    assert report.errors == []
    assert len(report.questions) == 1, report.questions
    return report.questions[0]


def answers(question: MoodleQuestion) -> list[tuple[str, float, str]]:
    """(text, fraction, feedback) of each answer."""
    return [(answer.text, answer.fraction, answer.feedback) for answer in question.answers]


@pytest.mark.parametrize(
    ("text", "moodle_type"),
    [
        ("Just some text", "description"),
        ("Write about it {}", "essay"),
        ("How many? {#3}", "numerical"),
        ("Numbers first {#3 ~#wrong = ->}", "numerical"),
        ("Pick {=a ~b}", "multichoice"),
        ("Tilde beats arrows {=a -> b ~c}", "multichoice"),
        ("Match {=a -> 1 =b -> 2}", "match"),
        ("True? {T}", "truefalse"),
        ("True? {TRUE}", "truefalse"),
        ("False? {F}", "truefalse"),
        ("False? {FALSE#no#yes}", "truefalse"),
        ("Name it {=Paris}", "shortanswer"),
        ("Anything else {Paris}", "shortanswer"),
    ],
)
def test_type_is_decided_in_moodles_order(text: str, moodle_type: str) -> None:
    assert only(text).moodle_type == moodle_type


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            r"Colon \: hash \# equals \= braces \{ \} tilde \~ backslash \\ {T}",
            "Colon : hash # equals = braces { } tilde ~ backslash \\",
        ),
        (r"Line1\nLine2 {T}", "Line1\nLine2"),
        (r"LaTeX \(x^2\) and \alpha stay {T}", r"LaTeX \(x^2\) and \alpha stay"),
        (r"An escaped backslash then n: \\n {T}", "An escaped backslash then n: \\n"),
        ("  indented   \n   lines {T}", "indented\nlines"),
    ],
)
def test_escapes_and_trimming(text: str, expected: str) -> None:
    assert only(text).text == expected


@pytest.mark.parametrize(
    ("text", "name", "question_text"),
    [
        ("::Title:: The question {T}", "Title", "The question"),
        (r"::A \: colon:: The question {T}", "A : colon", "The question"),
        ("No title here {T}", "No title here", "No title here"),
        ("::<b>Bold</b> title:: Q {T}", "Bold title", "Q"),
    ],
)
def test_title(text: str, name: str, question_text: str) -> None:
    question = only(text)
    assert (question.name, question.text) == (name, question_text)


def test_a_long_text_gives_moodles_shortened_default_name() -> None:
    words = " ".join(f"word{index}" for index in range(30))
    name = only(words + " {T}").name
    assert name.endswith("...") and len(name) <= 80
    assert words.startswith(name[:-3])


@pytest.mark.parametrize(
    ("text", "text_format", "question_text"),
    [
        ("[html]<p>Hello</p>{T}", "html", "<p>Hello</p>"),
        ("[markdown]*Hello*{T}", "markdown", "*Hello*"),
        ("[plain]Hello{T}", "plain", "Hello"),
        ("[moodle]Hello{T}", "moodle", "Hello"),
        ("::T::[html]<i>Hi</i>{T}", "html", "<i>Hi</i>"),
        ("[other]Hello{T}", "moodle", "[other]Hello"),
    ],
)
def test_format_prefix(text: str, text_format: str, question_text: str) -> None:
    question = only(text)
    assert (question.text_format, question.text) == (text_format, question_text)


def test_comments_anywhere_even_inside_braces() -> None:
    question = only("// before\nWhich? {\n// inside\n=a # right\n~b\n}")
    assert answers(question) == [("a", 1.0, "right"), ("b", 0.0, "")]


def test_id_and_tags_come_from_comments() -> None:
    question = only("// [id:393]\n// [tag:fred] [tag:barney-wilma] [tag:a\\]b]\nEssay?{}")
    assert (question.idnumber, question.tags) == ("393", ["fred", "barney-wilma", "a]b"])


def test_category_block_applies_to_the_questions_after_it() -> None:
    report = read_gift("Q0 {T}\n\n$CATEGORY: a//b/c\n\nQ1 {T}\n\n$CATEGORY: d\n\nQ2 {F}")
    assert report.categories == ["a//b/c", "d"]
    assert [q.category for q in report.questions] == [None, "a//b/c", "d"]


def test_multichoice_single_with_feedback_and_general_feedback() -> None:
    question = only("Which? {=right#Yes ~wrong#No ~%50%half ####General}")
    assert question.single is True
    assert answers(question) == [("right", 1.0, "Yes"), ("wrong", 0.0, "No"), ("half", 0.5, "")]
    assert question.general_feedback == "General"


def test_multichoice_without_equals_has_several_right_answers() -> None:
    question = only("Which two? {~%50%a ~%50%b ~%-100%c}")
    assert question.single is False
    assert answers(question) == [("a", 0.5, ""), ("b", 0.5, ""), ("c", -1.0, "")]


@pytest.mark.parametrize(
    ("weight", "fraction"),
    [("33.33333", 0.3333333), ("-33.333", -0.3333333), ("12.5", 0.125), ("83.33333", 0.8333333), ("5", 0.05)],
)
def test_weights_on_the_grade_list_snap_to_it(weight: str, fraction: float) -> None:
    question = only(f"Q {{~%{weight}%a ~b ~%100%c}}")
    assert question.answers[0].fraction == fraction


def test_truefalse_feedback_first_is_for_a_wrong_answer() -> None:
    question = only("Grass is green {TRUE#Wrong answer feedback#Right answer feedback}")
    assert question.truefalse_feedback == ("Right answer feedback", "Wrong answer feedback")
    assert question.answers == [
        MoodleAnswer("true", 1.0, "Right answer feedback"),
        MoodleAnswer("false", 0.0, "Wrong answer feedback"),
    ]


def test_truefalse_false_swaps_the_feedbacks() -> None:
    question = only("Grass is red {F#Told you wrong#Well done}")
    assert question.truefalse_feedback == ("Told you wrong", "Well done")
    assert [answer.fraction for answer in question.answers] == [0.0, 1.0]


def test_shortanswer_weights_and_feedback() -> None:
    question = only("Capital? {=Paris#Right =%50%paris, France}")
    assert answers(question) == [("Paris", 1.0, "Right"), ("paris, France", 0.5, "")]


def test_matching_pairs_and_distractor() -> None:
    question = only("Match {=cat -> meow =dog -> woof = -> moo}")
    assert question.subquestions == [("cat", "meow"), ("dog", "woof"), ("", "moo")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pi? {#3.14:0.01}", [("3.14", 1.0, 0.01)]),
        ("Range {#1..5}", [("3", 1.0, 2.0)]),
        ("Year {#=1822:0 =%50%1822:2}", [("1822", 1.0, 0.0), ("1822", 0.5, 2.0)]),
        ("Other {#5 ~#Not five}", [("5", 1.0, 0.0), ("*", 0.0, 0.0)]),
    ],
)
def test_numerical(text: str, expected: list[tuple[str, float, float]]) -> None:
    question = only(text)
    assert [(a.text, a.fraction, a.tolerance) for a in question.answers] == expected


def test_numerical_feedback_for_other_responses() -> None:
    assert only("Other {#5#Yes ~#Not five}").answers[-1].feedback == "Not five"


@pytest.mark.parametrize(
    ("text", "question_text", "moodle_type"),
    [
        ("Two plus two equals {=four =4}.", "Two plus two equals _____.", "shortanswer"),
        (
            "Grant is {~buried =entombed ~living} in Grant's tomb.",
            "Grant is _____ in Grant's tomb.",
            "multichoice",
        ),
        ("Write {} here", "Write _____ here", "essay"),
        ("Answers at the end {=x}", "Answers at the end", "shortanswer"),
    ],
)
def test_missing_word(text: str, question_text: str, moodle_type: str) -> None:
    question = only(text)
    assert (question.text, question.moodle_type) == (question_text, moodle_type)


@pytest.mark.parametrize("separator", ["\n\n", "\n   \n", "\r\n\r\n", "\n0\n"])
def test_blank_lines_end_questions(separator: str) -> None:
    report = read_gift(f"Q1 {{T}}{separator}Q2 {{F}}")
    assert [q.text for q in report.questions] == ["Q1", "Q2"]


def test_question_lines_point_at_their_first_non_comment_line() -> None:
    report = read_gift("\n// c\n::A:: one {T}\n\n\n::B::\ntwo {F}")
    assert [q.line for q in report.questions] == [3, 6]


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("Q {=a", "braceerror", 1, 3),
        ("Q =a}", "braceerror", 1, 5),
        ("::T::\nQ text\n  {=a\n", "braceerror", 3, 3),
        ("Q \\{ \\} {=a", "braceerror", 1, 9),
        ("Q {~a}", "importminerror", 1, 3),
        ("Q {=a -> b}", "importminerror", 1, 3),
        ("Q {=a -> b =c}", "giftmatchingformat", 1, 3),
        ("Q {#}", "giftnonumericalanswers", 1, 3),
        ("Q {#0}", "giftnonumericalanswers", 1, 3),
        ("Q {#1:abc}", "errornotnumbers", 1, 3),
        ("Q {#a..b}", "errornotnumbers", 1, 3),
        ("Q {~%33.3%a ~%33.3%b ~%33.4%c}", "invalidgradequestion", 1, 5),
        ("Q\n{\n=a\n~%33.3%b}", "invalidgradequestion", 4, 2),
    ],
)
def test_errors_are_moodles_and_located(text: str, code: str, line: int, column: int) -> None:
    report = read_gift(text)
    assert report.questions == []
    assert [(e.code, e.line, e.column) for e in report.errors] == [(code, line, column)]
    assert report.errors[0].message and report.errors[0].hint


def test_an_error_does_not_hide_the_other_questions() -> None:
    report = read_gift("Good {T}\n\nBad {~a}\n\nAlso good {F}")
    assert [q.text for q in report.questions] == ["Good", "Also good"]
    assert [(e.code, e.line, e.question) for e in report.errors] == [("importminerror", 3, "Bad")]


def test_a_block_of_comments_only_is_not_a_question() -> None:
    assert read_gift("// just a comment\n// and another") == read_gift("")
