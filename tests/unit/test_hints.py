"""Hints from the text: every bank question's ladder, blanking the key, author hints, points after hints."""

from __future__ import annotations

import re

import pytest
from factories import ALL_TYPES, FLAG_SENTENCE, build_question, make_question, real_article, real_bank

from quizapp.domain.article import normalise, parse_article
from quizapp.domain.formats import read_moodle_xml
from quizapp.domain.formats.mapping import map_report
from quizapp.domain.hints import (
    BLANK_TEXT,
    HIDDEN_SENTENCE,
    NOT_IN_SENTENCE,
    SHARE_LEFT,
    HintStep,
    blank_key,
    hint_ladder,
    offer_text,
    points_with_hints,
    share_left,
)
from quizapp.domain.overlap import answer_texts, words
from quizapp.domain.points import points_text
from quizapp.domain.questions import Question, question_from_dict
from quizapp.richtext import clean_html

BANK = real_bank()
UNDERSCORES = re.compile(r"_+")


def bank_ids() -> list[str]:
    """Every scored question of the bank file as it is now (the bank is being reworked: loop over what it
    holds)."""
    return [q.id for q in BANK.questions if q.scored]


def bank_question(qid: str) -> Question:
    return next(q for q in BANK.questions if q.id == qid)


def gives_away(step: HintStep, question: Question) -> bool:
    """Whether the step's text holds a phrase of the answer as words (domain/overlap.py's clues)."""
    shown = f" {words(step.text)} "
    return any(f" {phrase} " in shown for clue in answer_texts(question) for phrase in clue)


# ---- every question of the built-in bank


def test_the_bank_has_questions_of_several_types() -> None:
    assert len({q.type for q in BANK.questions}) >= 8


@pytest.mark.parametrize("qid", bank_ids())
def test_every_bank_ladder_is_well_formed(qid: str) -> None:
    question = bank_question(qid)
    ladder = hint_ladder(question, BANK.article)
    levels = [step.level for step in ladder]
    assert levels in ([1, 2, 3], [1, 3])  # every bank question quotes the text: where, (hidden), sentence
    assert [step.share_left for step in ladder] == [SHARE_LEFT[level] for level in levels]
    assert all(step.text.strip() and step.label and step.format == "plain" for step in ladder)
    anchors = {s.anchor for s in BANK.article.sentences}
    assert all(step.anchors and set(step.anchors) <= anchors for step in ladder)


@pytest.mark.parametrize("qid", bank_ids())
def test_no_step_before_the_last_gives_the_key_away(qid: str) -> None:
    question = bank_question(qid)
    *before, last = hint_ladder(question, BANK.article)
    assert [step.level for step in before if gives_away(step, question)] == []
    assert normalise(question.source) in normalise(last.text)  # the last step is the full quote


@pytest.mark.parametrize("qid", bank_ids())
def test_each_step_shows_more_than_the_one_before(qid: str) -> None:
    question = bank_question(qid)
    where, *rest = hint_ladder(question, BANK.article)
    quoted = {s.anchor for s in BANK.article.find_span(question.source)}
    assert HIDDEN_SENTENCE in where.text and set(where.anchors) >= quoted
    assert all(s.text not in where.text for s in BANK.article.sentences if s.anchor in quoted)
    if len(rest) == 2:  # the sentence with the answer hidden, then the sentence
        hidden, sentence = rest
        assert BLANK_TEXT in hidden.text and hidden.text != sentence.text and sentence.note == ""
        assert set(hidden.anchors) == set(sentence.anchors) == quoted
    else:
        assert rest[0].note == NOT_IN_SENTENCE


@pytest.mark.parametrize("qid", bank_ids())
def test_every_blank_has_the_same_length(qid: str) -> None:
    texts = " ".join(step.text for step in hint_ladder(bank_question(qid), BANK.article))
    assert {len(run) for run in UNDERSCORES.findall(texts)} <= {len(BLANK_TEXT)}


# ---- each type, on a small question of its own: what step 2 hides


@pytest.mark.parametrize(
    ("qtype", "hidden"),
    [
        ("single_choice", "This significant event was shared by _____."),  # the right choice
        ("multiple_choice", None),  # Flag, Probe: not in the sentence
        ("true_false", None),  # a statement: nothing to blank
        ("fill_blank", "This significant event was shared by _____."),  # an accepted answer
        ("numeric", None),  # 200 is not in it
        ("ordering", None),
        ("matching", "This significant event was shared by _____."),  # a pair's right side
        ("categorise", None),
        ("essay", None),  # no key at all
        ("evidence", "This significant event was shared by _____."),  # the right choice
        ("cloze", "This significant event was shared by _____."),  # a gap's key
    ],
)
def test_each_type_hides_its_own_key(qtype: str, hidden: str | None) -> None:
    ladder = hint_ladder(build_question(qtype), real_article())
    assert ladder[0].label == "Where to look: paragraph 1 of 19"
    assert ladder[0].text.endswith(HIDDEN_SENTENCE) and "China Daily" not in ladder[0].text
    if hidden is None:
        assert [s.level for s in ladder] == [1, 3] and ladder[-1].note == NOT_IN_SENTENCE
    else:
        assert [s.text for s in ladder[1:]] == [hidden, FLAG_SENTENCE]


def test_the_table_above_covers_every_scored_type() -> None:
    covered = {"single_choice", "multiple_choice", "true_false", "fill_blank", "numeric", "ordering"}
    covered |= {"matching", "categorise", "essay", "evidence", "cloze"}
    assert covered == set(ALL_TYPES)


def test_a_description_asks_nothing_so_has_no_hints() -> None:
    assert hint_ladder(build_question("description"), real_article()) == ()


# ---- blanking the key


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("It was shared by China Daily.", ["China Daily"], "It was shared by _____."),
        ("shared by china  daily!", ["China Daily"], "shared by _____!"),  # case and spacing
        ("Its rover was Yutu-2.", ["Yutu 2"], "Its rover was _____."),  # hyphen or space
        ("The Chang’e-4 rover", ["Chang'e-4"], "The _____ rover"),  # curly or straight quote
        ("a crater of 2,000 metres", ["2000"], "a crater of _____ metres"),  # thousands comma
        ("It carried four payloads.", ["4", "four"], "It carried _____ payloads."),
        ("It carried 16 payloads.", ["6"], "It carried 16 payloads."),  # whole words only
        ("Swedenborg wrote", ["Sweden"], "Swedenborg wrote"),
        ("The Chang’e 6 probe carried 6 payloads.", ["6"], "The Chang’e 6 probe carried _____ payloads."),
        ("Long March-5 rockets", ["5"], "Long March-5 rockets"),  # a digit in a name is not the answer
        ("Long March-5 rockets", ["Long March-5", "Long March-5 rockets"], "_____"),  # longest first
        ("by Britain and Sweden.", ["Britain", "Sweden"], "by _____ and _____."),
        ("from Italy Pakistan", ["Italy", "Pakistan"], "from _____"),  # next to each other: one blank
        ("An answer that is long.", ["An answer that is long"], "_____."),  # the blank's length is fixed
        ("Nothing here.", [], "Nothing here."),
    ],
)
def test_blank_key(text: str, phrases: list[str], expected: str) -> None:
    blanked, found = blank_key(text, phrases)
    assert blanked == expected
    assert found == (BLANK_TEXT in expected)


def test_a_number_key_is_blanked_in_digits_and_in_words() -> None:
    question = build_question("numeric", answer=4, tolerance=0, source="Chang’e-6 carried four payloads.")
    article = parse_article("Title\nChang’e-6 carried four payloads. It landed.\n")
    hidden = hint_ladder(question, article)[1]
    assert hidden.text == "Chang’e-6 carried _____ payloads."


def test_a_cloze_number_gap_is_blanked_when_spelled_out() -> None:
    question = build_question(
        "cloze", prompt="It carried {1:NUMERICAL:=4:0} payloads.", source="Chang’e-6 carried four payloads."
    )
    hidden = hint_ladder(question, None)[0]
    assert hidden.text == "Chang’e-6 carried _____ payloads."


# ---- ladders without the text, without a quote, with the author's hints

THREE_PARAGRAPHS = parse_article(
    "A title\nFirst sentence here. The event was shared by China Daily. It was a Tuesday.\nAlone.\n"
)


def test_a_quote_in_a_longer_paragraph_hides_only_the_quoted_sentence() -> None:
    question = build_question("single_choice", source="The event was shared by China Daily.")
    where, hidden, sentence = hint_ladder(question, THREE_PARAGRAPHS)
    assert where.text == f"First sentence here. {HIDDEN_SENTENCE} It was a Tuesday."
    assert where.label == "Where to look: paragraph 1 of 2" and where.anchors == ("p1s1", "p1s2", "p1s3")
    assert (hidden.text, hidden.anchors) == ("The event was shared by _____.", ("p1s2",))
    assert (sentence.text, sentence.share_left) == ("The event was shared by China Daily.", 0.25)


def test_a_student_reads_what_each_step_leaves_before_taking_it() -> None:
    question = build_question("single_choice", source="The event was shared by China Daily.")
    offers = [offer_text(step) for step in hint_ladder(question, THREE_PARAGRAPHS)]
    assert offers == [
        "Where to look: paragraph 1 of 2: after this hint the question is worth 75% of its points.",
        "The sentence, answer hidden: after this hint the question is worth 50% of its points.",
        "The sentence from the text: after this hint the question is worth 25% of its points.",
    ]


def test_a_two_sentence_quote_is_hidden_as_one() -> None:
    question = build_question(
        "true_false", source="First sentence here. The event was shared by China Daily."
    )
    where, sentence = hint_ladder(question, THREE_PARAGRAPHS)
    assert where.text == f"{HIDDEN_SENTENCE} It was a Tuesday."
    assert sentence.anchors == ("p1s1", "p1s2")


def test_the_key_is_blanked_in_the_paragraphs_other_sentences_too() -> None:
    question = build_question("fill_blank", answer=["Tuesday"], source="First sentence here.")
    where = hint_ladder(question, THREE_PARAGRAPHS)[0]
    assert where.text == f"{HIDDEN_SENTENCE} The event was shared by China Daily. It was a _____."


@pytest.mark.parametrize("article", [None, THREE_PARAGRAPHS], ids=["no text", "quote not in the text"])
def test_a_teachers_quote_without_the_text_has_the_steps_it_can_have(article: object) -> None:
    question = build_question("single_choice", source="A teacher's own words about China Daily.")
    ladder = hint_ladder(question, article)  # type: ignore[arg-type]
    assert [(s.level, s.label, s.text, s.anchors) for s in ladder] == [
        (2, "The sentence, answer hidden", "A teacher's own words about _____.", ()),
        (3, "The quote", "A teacher's own words about China Daily.", ()),
    ]


def teacher_question(qtype: str, **fields: object) -> Question:
    """A question as a teacher writes it (no quote needed)."""
    return question_from_dict(make_question(qtype, **fields), strict=False)


def test_a_question_without_a_quote_has_no_steps() -> None:
    assert hint_ladder(teacher_question("single_choice", source=""), THREE_PARAGRAPHS) == ()


def moodle_hints(*texts: str, fmt: str = "html") -> dict[str, object]:
    return {"hint": [{"text": t, "format": fmt, "shownumcorrect": False, "clearwrong": False} for t in texts]}


def test_moodle_hints_are_the_ladder_instead_of_the_text() -> None:
    question = build_question("single_choice", moodle=moodle_hints("<p>Read the start.</p>", "  ", "Think."))
    ladder = hint_ladder(question, real_article())
    assert [(s.level, s.label, s.text, s.share_left, s.format) for s in ladder] == [
        (1, "Hint 1 of 2", "<p>Read the start.</p>", 0.75, "html"),  # the blank hint is left out
        (2, "Hint 2 of 2", "Think.", 0.5, "html"),
    ]


MOODLE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="shortanswer">
  <name><text>Capital</text></name>
  <questiontext format="html"><text>The capital of France is ___.</text></questiontext>
  <answer fraction="100" format="moodle_auto_format"><text>Paris</text></answer>
  <hint format="html"><text><![CDATA[<p>It is on the <b>Seine</b>.</p>]]></text></hint>
  <hint format="plain_text"><text>It starts with P.</text><shownumcorrect/></hint>
</question></quiz>"""


def test_hints_of_an_imported_moodle_xml_file_are_its_ladder() -> None:
    mapped = map_report(read_moodle_xml(MOODLE_XML), clean_html)
    question = question_from_dict(mapped.questions[0].raw, strict=False)
    ladder = hint_ladder(question, real_article())
    assert [(s.label, s.text, s.format, s.share_left) for s in ladder] == [
        ("Hint 1 of 2", "<p>It is on the <b>Seine</b>.</p>", "html", 0.75),
        ("Hint 2 of 2", "It starts with P.", "plain", 0.5),
    ]


def test_more_than_three_moodle_hints_stay_at_a_quarter_and_plain_ones_are_plain() -> None:
    question = teacher_question(
        "single_choice", source="", moodle=moodle_hints("a", "b", "c", "d", fmt="plain")
    )
    ladder = hint_ladder(question, None)
    assert [s.share_left for s in ladder] == [0.75, 0.5, 0.25, 0.25]
    assert {s.format for s in ladder} == {"plain"}


# ---- points after hints


def test_the_points_table() -> None:
    assert dict(SHARE_LEFT) == {0: 1.0, 1: 0.75, 2: 0.5, 3: 0.25}


def steps(*levels: int) -> list[HintStep]:
    return [HintStep(level, "", "", SHARE_LEFT[level]) for level in levels]


@pytest.mark.parametrize(
    ("points", "max_points", "taken", "expected", "shown"),
    [
        (1, 1, (), 1.0, "1"),
        (1, 1, (1,), 0.75, "0.75"),
        (1, 1, (1, 2), 0.5, "0.5"),
        (1, 1, (1, 2, 3), 0.25, "0.25"),
        (1, 1, (3,), 0.25, "0.25"),  # the level counts, not how many steps came before
        (0.7, 1, (1,), 0.525, "0.53"),  # exact: in floats 0.7 x 0.75 is 0.52499..., shown as 0.52
        (0.3333, 1, (3,), 0.0833, "0.08"),
        (0.5, 1, (1, 2), 0.25, "0.25"),  # a partly right answer earns its share of what is left
        (0, 1, (1,), 0.0, "0"),
        (2, 2, (1,), 1.5, "1.5"),  # a question worth 2 points
        (1.5, 3, (1, 2), 0.75, "0.75"),
    ],
)
def test_points_with_hints(
    points: float, max_points: float, taken: tuple[int, ...], expected: float, shown: str
) -> None:
    result = points_with_hints(points, max_points, steps(*taken))
    assert result == expected
    assert points_text(result) == shown


@pytest.mark.parametrize(("points", "max_points"), [(-0.1, 1), (1.5, 1)])
def test_points_outside_the_question_are_refused(points: float, max_points: float) -> None:
    with pytest.raises(ValueError):
        points_with_hints(points, max_points, ())


def test_share_left_is_the_lowest_of_the_steps_taken() -> None:
    assert share_left(()) == 1.0
    assert share_left(steps(1, 3)) == 0.25
