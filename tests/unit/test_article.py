"""The article: title, sentences with stable anchors, normalisation, and finding a quoted span."""

from __future__ import annotations

import pytest
from factories import ARTICLE_FILE, real_article

from quizapp.domain.article import normalise, parse_article, split_sentences

TITLE = "Xi Focus: Celebrating China’s Lunar Exploration Achievements"


def anchors_of(spans: tuple) -> list[str]:
    """The anchors of a find_span result."""
    return [s.anchor for s in spans]


def test_title_is_the_punctuated_line_and_the_bare_crawled_copy_is_dropped() -> None:
    article = real_article()
    assert article.title == TITLE
    assert not any(s.text.startswith("Xi Focus") for s in article.sentences)


def test_a_title_that_is_not_repeated_is_kept_with_the_first_paragraph() -> None:
    article = parse_article("A title\nFirst line. Second line.\n")
    assert article.title == "A title"
    assert [s.text for s in article.sentences] == ["First line.", "Second line."]


def test_sentence_and_paragraph_counts() -> None:
    article = real_article()
    assert len(article.paragraphs) == 19
    assert len(article.sentences) == 24


@pytest.mark.parametrize(
    ("anchor", "start"),
    [
        ("p1s1", "On Tuesday, the Chang’e 6 probe"),
        ("p1s2", "This significant event was shared"),
        ("p10s1", "Chang’e-4 made history"),
        ("p10s2", "Its rover, Yutu-2"),
        ("p17s2", "Chang’e-7 will carry six"),
    ],
)
def test_anchors_point_at_their_sentences(anchor: str, start: str) -> None:
    by_anchor = {s.anchor: s.text for s in real_article().sentences}
    assert by_anchor[anchor].startswith(start)


def test_anchors_are_unique_and_stable_when_a_later_paragraph_changes() -> None:
    text = ARTICLE_FILE.read_text(encoding="utf-8")
    edited = parse_article(text.replace("Chang’e-7 will carry six", "Chang’e-7 will carry seven"))
    before = {s.anchor: s.text for s in real_article().sentences}
    after = {s.anchor: s.text for s in edited.sentences}
    assert len(before) == len(real_article().sentences)
    assert after["p10s1"] == before["p10s1"]
    assert after.keys() == before.keys()


@pytest.mark.parametrize(
    ("anchor", "quote", "tail"),
    [
        (
            "p3s1",
            "“The remarkable contributions",
            "Xi said in a message to everyone involved in the mission.",
        ),
        ("p8s1", "“Great undertakings are based on innovation", "Xi said in February 2019"),
        ("p13s1", "“We must be bold", "said Xiong Tianci"),
        ("p19s1", "“We will continue to foster", "said Zhang Gao"),
    ],
)
def test_a_quote_and_its_speaker_stay_one_sentence(anchor: str, quote: str, tail: str) -> None:
    paragraph = int(anchor[1:].split("s")[0])
    sentences = real_article().paragraphs[paragraph - 1]
    assert len(sentences) == 1
    assert sentences[0].anchor == anchor
    assert sentences[0].text.startswith(quote)
    assert tail in sentences[0].text


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("He said “Go.” Then he left.", ["He said “Go.”", "Then he left."]),
        ("“Yes,” she said. “No,” he said.", ["“Yes,” she said.", "“No,” he said."]),
        ("It weighs 3.5 kg. Yes.", ["It weighs 3.5 kg.", "Yes."]),
        ("lower case. after a stop", ["lower case. after a stop"]),
    ],
)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chang’e", "Chang'e"),
        ("‘single’", "'single'"),
        ("“double”", '"double"'),
        ('"straight"', '"straight"'),
        ("  many \n spaces\tand\u00a0tabs  ", "many spaces and tabs"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("span", "anchors"),
    [
        ("Chang'e-4 made history by being the first mission", ["p10s1"]),
        ("Chang’e-4 made history by being the first mission", ["p10s1"]),
        ("Chang'e-4   made history\nby being", ["p10s1"]),
        ('"Great undertakings are based on innovation,', ["p8s1"]),
        ("proudly displayed a Chinese flag. This significant event", ["p1s1", "p1s2"]),
        ("marking the first human activity on the moon's far side.", ["p10s2"]),
    ],
)
def test_find_span_finds_the_sentences_a_quote_lies_in(span: str, anchors: list[str]) -> None:
    assert anchors_of(real_article().find_span(span)) == anchors


@pytest.mark.parametrize(
    "span",
    ["The probe landed on Mars.", "", "   ", "Chang'e-4 made history. Its rover"],
)
def test_find_span_returns_nothing_for_text_not_in_the_article(span: str) -> None:
    assert real_article().find_span(span) == ()
