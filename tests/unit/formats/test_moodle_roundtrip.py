"""Moodle exchange without loss: every Moodle-importable file of the interop corpus, and a file using what
the corpus lacks (hints, combined feedback, units, files, usecase, markdown...), come back unchanged."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from quizapp.domain.formats import read_gift, read_moodle_xml
from quizapp.domain.formats.gift_writer import gift_cannot_hold
from quizapp.domain.formats.mapping import category_names, map_report, to_moodle
from quizapp.domain.formats.moodle_xml_writer import write_moodle_xml
from quizapp.domain.questions import question_from_dict
from quizapp.domain.scoring import score_response
from quizapp.richtext import clean_html
from tests.unit.formats.interop_cases import INTEROP_DIR
from tests.unit.formats.moodle_roundtrip import XML_FIELDS, compare, corpus_files, round_trip_file

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
RICH = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Physics/Units</text></category></question>
  <question type="numerical">
    <name><text>Speed</text></name>
    <questiontext format="html"><text><![CDATA[<p>How fast?
      <span style="color:red;font-style:italic">km</span>
      <img src="@@PLUGINFILE@@/car%20photo.png" alt="car"></p>]]></text>
      <file name="car photo.png" path="/" encoding="base64">{PNG}</file></questiontext>
    <generalfeedback format="html"><text>Distance over time.</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade><penalty>0.1000000</penalty><hidden>0</hidden>
    <idnumber>T &amp; F</idnumber>
    <answer fraction="100" format="moodle_auto_format"><text>120</text>
      <feedback format="html"><text>Right.</text></feedback><tolerance>5</tolerance></answer>
    <answer fraction="0" format="moodle_auto_format"><text>60</text>
      <feedback format="html"><text>That is per half hour.</text></feedback><tolerance>0</tolerance></answer>
    <answer fraction="0" format="moodle_auto_format"><text>*</text>
      <feedback format="html"><text>Think again.</text></feedback><tolerance>0</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>km/h</unit_name></unit>
      <unit><multiplier>0.277778</multiplier><unit_name>m/s</unit_name></unit></units>
    <unitgradingtype>1</unitgradingtype><unitpenalty>0.2000000</unitpenalty><showunits>1</showunits>
    <unitsleft>0</unitsleft>
    <hint format="html"><text>Divide.</text><shownumcorrect/><clearwrong/></hint>
    <tags><tag><text>Speed</text></tag></tags>
  </question>
  <question type="shortanswer">
    <name><text>Capital</text></name>
    <questiontext format="markdown"><text>The capital of *France* is?</text></questiontext>
    <generalfeedback format="markdown"><text></text></generalfeedback>
    <defaultgrade>1</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden><idnumber></idnumber>
    <usecase>1</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Paris</text>
      <feedback format="html"><text>Yes.</text></feedback></answer>
  </question>
  <question type="multichoice">
    <name><text>Planets</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which is a planet?</p>]]></text></questiontext>
    <single>true</single><shuffleanswers>0</shuffleanswers><answernumbering>ABCD</answernumbering>
    <showstandardinstruction>1</showstandardinstruction><shownumcorrect/>
    <correctfeedback format="html"><text>Well done.</text></correctfeedback>
    <partiallycorrectfeedback format="html"><text>Partly.</text></partiallycorrectfeedback>
    <incorrectfeedback format="html"><text>No.</text></incorrectfeedback>
    <answer fraction="100" format="html"><text>Mars</text>
      <feedback format="html"><text>Yes</text></feedback></answer>
    <answer fraction="0" format="html"><text>Moon</text>
      <feedback format="html"><text>No</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>Legacy</text></name>
    <questiontext format="html"><text>Is this the Moon?</text></questiontext>
    <image>pics/moon.png</image><image_base64>{PNG}</image_base64>
    <answer fraction="100"><text>true</text><feedback><text>Yes</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>No</text></feedback></answer>
  </question>
</quiz>
"""


def _rich_questions() -> list:
    mapped = map_report(read_moodle_xml(RICH.encode()), clean_html)
    assert mapped.errors == []
    return [question_from_dict(q.raw, strict=False) for q in mapped.questions]


@pytest.mark.skipif(not INTEROP_DIR.is_dir(), reason="the interop corpus (../shared/interop) is absent")
def test_every_corpus_file_comes_back_unchanged() -> None:
    files = list(corpus_files())
    results = [round_trip_file(path, file_format) for path, file_format in files]
    imported = sum(r.imported for r in results)
    unchanged = sum(r.unchanged_xml for r in results)
    print(f"\nMoodle XML: {unchanged} of {imported} questions with no teacher-visible change")
    assert len(files) > 100 and imported > 250
    assert [d for r in results for d in r.differences] == []
    assert unchanged == imported
    gift_held = imported - sum(r.not_gift for r in results)
    assert sum(r.unchanged_gift for r in results) == gift_held


def test_a_file_with_every_kept_field_comes_back_unchanged() -> None:
    result = round_trip_file(Path("rich.xml"), "moodle-xml", RICH.encode())
    assert (result.imported, result.differences) == (4, [])
    assert result.unchanged_xml == 4
    assert result.not_gift == 4  # files, units and hints, combined feedback, usecase: GIFT cannot hold them


def test_kept_fields_are_in_the_question() -> None:
    speed, capital, planets, legacy = _rich_questions()
    assert speed.category == "$course$/top/Physics/Units" and category_names(speed.category) == [
        "Physics",
        "Units",
    ]
    assert speed.files[0].name == "car photo.png" and speed.moodle["idnumber"] == "T & F"
    assert speed.moodle["defaultgrade"] == "2.0000000" and speed.moodle["units"][1]["name"] == "m/s"
    assert speed.moodle["hint"] == [
        {"text": "Divide.", "format": "html", "shownumcorrect": True, "clearwrong": True, "options": ""}
    ]
    assert 'style="color:red;font-style:italic"' in speed.prompt
    assert capital.case_sensitive and capital.moodle["format"] == "markdown"
    assert planets.moodle["correctfeedback"] == {"text": "Well done.", "format": "html"}
    assert legacy.files[0].name == "moon.png" and "@@PLUGINFILE@@/moon.png" in legacy.prompt


def test_exported_xml_keeps_moodle_fields() -> None:
    speed, capital, *_ = _rich_questions()
    xml = write_moodle_xml([to_moodle(speed), to_moodle(capital)]).decode()
    for expected in (
        "<idnumber>T &amp; F</idnumber>",
        '<file name="car photo.png" path="/" encoding="base64">',
        "<text>$course$/top/Physics/Units</text>",
        "<unit_name>km/h</unit_name>",
        "<clearwrong />",
        "<usecase>1</usecase>",
        '<questiontext format="markdown">',
        "<text>*</text>",
    ):
        assert expected in xml
    assert "<idnumber>q" not in xml  # no invented id numbers


def test_invented_ids_are_not_written_back() -> None:
    mapped = map_report(read_gift("::A:: 1 + 1 = 2? {T}"), clean_html)
    question = question_from_dict(mapped.questions[0].raw, strict=False)
    assert question.id == "q1" and to_moodle(question).idnumber == ""


def test_a_case_sensitive_short_answer_scores_with_case() -> None:
    capital = _rich_questions()[1]
    assert score_response(capital, "Paris") == 1.0
    assert score_response(capital, "paris") == 0.0


def test_import_warns_where_quizapp_differs() -> None:
    mapped = map_report(read_moodle_xml(RICH.encode()), clean_html)
    speed_warnings = " ".join(w.message for w in mapped.warnings if w.question == "Speed")
    for words in ("2.0000000 points", "hint", "units (km/h, m/s)", "feedback per number"):
        assert words in speed_warnings
    assert any("right, partly right" in w.message for w in mapped.warnings if w.question == "Planets")
    assert all(w.line for w in mapped.warnings)


def test_a_too_large_embedded_file_is_a_located_error() -> None:
    big = base64.b64encode(b"\0" * (2 * 1024 * 1024 + 1)).decode()
    mapped = map_report(read_moodle_xml(RICH.replace(PNG, big, 1).encode()), clean_html)
    assert [(e.question, e.line) for e in mapped.errors] == [("Speed", 4)]
    assert "car photo.png" in mapped.errors[0].message and "2 MB" in mapped.errors[0].message


def test_gift_export_lists_arrows_as_not_exportable() -> None:
    raw = {"id": "s", "type": "fill_blank", "prompt": "Arrow ___", "answer": ["a->b"]}
    assert "'->'" in gift_cannot_hold(to_moodle(question_from_dict(raw, strict=False)))
    pairs = {"id": "m", "type": "matching", "prompt": "Match", "answer": [["a->b", "1"], ["c", "2"]]}
    assert "'->'" in gift_cannot_hold(to_moodle(question_from_dict(pairs, strict=False)))


@pytest.mark.parametrize(
    ("html", "kept", "gone"),
    [
        ('<span style="font-style:italic;color:#c00">a</span>', "font-style:italic;color:#c00", ""),
        ('<p style="text-align:center;position:fixed">a</p>', "text-align:center", "position"),
        ('<span style="color:red;background:url(http://evil/x.png)">a</span>', "color:red", "url("),
        ('<span style="color:expression(alert(1))">a</span>', "<span>a</span>", "expression"),
        ('<span style="font-weight:bold" onclick="alert(1)">a</span>', "font-weight:bold", "onclick"),
        ('<div style="color:u\\72l(x)">a</div>', "<div>a</div>", "u\\72l"),
    ],
)
def test_the_cleaner_keeps_only_safe_inline_styles(html: str, kept: str, gone: str) -> None:
    cleaned = clean_html(html)
    assert kept in cleaned
    if gone:
        assert gone not in cleaned


def test_compare_sees_a_changed_field() -> None:
    [question] = read_moodle_xml(RICH.encode()).questions[:1]
    other = read_moodle_xml(RICH.replace("<text>Divide.</text>", "<text>Add.</text>").encode()).questions[0]
    assert [d.split(":")[0] for d in compare(question, other, XML_FIELDS)] == ["hints"]
