"""Moodle's essays through quizapp: every essay field Moodle XML holds is imported and written back
unchanged, a file of only essays imports, GIFT takes a bare essay and lists one it would strip, and import
warns (located) where quizapp's one plain text box offers students less than Moodle.

tests/services/test_exchange.py imports and exports this file's essay through the database as well.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from quizapp.domain.formats import read_gift, read_moodle_xml
from quizapp.domain.formats.gift_writer import gift_cannot_hold, write_gift
from quizapp.domain.formats.mapping import map_report, to_moodle
from quizapp.domain.formats.moodle_xml_writer import write_moodle_xml
from quizapp.domain.questions import question_from_dict
from quizapp.richtext import clean_html
from tests.unit.formats.essay_files import FULL_ESSAY
from tests.unit.formats.moodle_roundtrip import round_trip_file

ONLY_ESSAYS = b"""::Sky:: Describe the sky of the moon. {}

::Dust:: Why is moon dust sharp? {####It never weathers.}
"""


def _mapped(xml: str = FULL_ESSAY):
    mapped = map_report(read_moodle_xml(xml.encode()), clean_html)
    assert mapped.errors == [] and mapped.skipped == [], (mapped.errors, mapped.skipped)
    return mapped


def _essay(xml: str = FULL_ESSAY):
    return question_from_dict(_mapped(xml).questions[0].raw, strict=False)


def test_every_essay_field_is_imported() -> None:
    essay = _essay()
    assert essay.type.value == "essay" and essay.word_limit == 300
    assert "<em>the far side</em>" in essay.marking_guide and "<script>" not in essay.marking_guide
    assert "@@PLUGINFILE@@/rubric.png" in essay.marking_guide and essay.files[0].name == "rubric.png"
    assert essay.response_template == "Claim:\nEvidence & reasons:"  # the answer box takes plain text
    kept = essay.moodle
    for tag, value in {
        "responseformat": "editorfilepicker",
        "responsefieldlines": "20",
        "minwordlimit": "50",
        "minwordenabled": "1",
        "maxwordenabled": "1",
        "attachments": "3",
        "attachmentsrequired": "1",
        "maxbytes": "1048576",
        "filetypeslist": ".pdf,.docx",
        "defaultgrade": "10.0000000",
    }.items():
        assert kept[tag] == value, tag
    assert kept["graderinfo"]["format"] == "html" and kept["responsetemplate"]["format"] == "html"


def test_the_essay_comes_back_unchanged_in_moodle_xml() -> None:
    result = round_trip_file(Path("essay.xml"), "moodle-xml", FULL_ESSAY.encode())
    assert (result.imported, result.differences, result.unchanged_xml) == (1, [], 1)
    assert result.not_gift == 1  # GIFT holds no word limit, marking guide, template or attachments
    xml = write_moodle_xml([to_moodle(_essay())]).decode()
    for written in (
        "<responseformat>editorfilepicker</responseformat>",
        "<minwordlimit>50</minwordlimit>",
        "<maxwordlimit>300</maxwordlimit>",
        "<maxwordenabled>1</maxwordenabled>",
        "<attachments>3</attachments>",
        "<filetypeslist>.pdf,.docx</filetypeslist>",
        '<graderinfo format="html">',
        "Evidence &amp;amp; reasons",  # the template as it was (its HTML escaped in the XML)
        '<file name="rubric.png" path="/" encoding="base64">',
    ):
        assert written in xml, written
    [back] = read_moodle_xml(xml.encode()).questions
    assert back.other_texts["graderinfo"][0].count("<script>") == 1  # Moodle's own text, as it came
    assert back.files[0].name == "rubric.png" and "rubric.png" in xml.split("<graderinfo")[1]


def test_import_warns_where_quizapp_offers_students_less() -> None:
    warnings = [w for w in _mapped().warnings if w.question == "Far side"]
    text = " ".join(w.message for w in warnings)
    for words in (
        "text editor with formatting",
        "attach up to 3 file(s) (1 required)",
        "at least 50 words",
        "response template is formatted text",
        "10.0000000 points",
    ):
        assert words in text, words
    assert all(w.line == 4 for w in warnings)
    assert "penalty" not in text  # a teacher marks an essay once: no tries


def test_a_file_of_only_essays_imports() -> None:
    mapped = map_report(read_gift(ONLY_ESSAYS.decode()), clean_html)
    assert (mapped.errors, mapped.skipped, mapped.warnings) == ([], [], [])
    assert [(q.raw["type"], q.raw["title"], q.line) for q in mapped.questions] == [
        ("essay", "Sky", 1),
        ("essay", "Dust", 3),
    ]
    assert mapped.questions[1].raw["explanation"] == "It never weathers."


def test_a_bare_essay_goes_to_gift_and_back() -> None:
    mapped = map_report(read_gift(ONLY_ESSAYS.decode()), clean_html)
    dust = question_from_dict(mapped.questions[1].raw, strict=False)
    moodle = to_moodle(dust)
    assert gift_cannot_hold(moodle) == ""
    gift = write_gift([moodle])
    assert gift == "::Dust::Why is moon dust sharp?{####It never weathers.}\n"
    again = map_report(read_gift(gift), clean_html).questions[0].raw
    assert dataclasses.replace(question_from_dict(again, strict=False), id=dust.id) == dust


@pytest.mark.parametrize(
    ("change", "lost"),
    [
        ({"word_limit": 200}, "essay settings"),
        ({"marking_guide": "Mention the far side."}, "marking guide"),
        ({"response_template": "Claim:"}, "marking guide or response template"),
    ],
)
def test_gift_lists_an_essay_it_would_strip(change: dict, lost: str) -> None:
    raw = {"id": "e", "type": "essay", "prompt": "Why?", **change}
    assert lost in gift_cannot_hold(to_moodle(question_from_dict(raw, strict=False)))


def test_a_teachers_change_is_exported_and_the_rest_kept() -> None:
    essay = dataclasses.replace(_essay(), word_limit=0, marking_guide="New guide", response_template="")
    [back] = read_moodle_xml(write_moodle_xml([to_moodle(essay)])).questions
    assert back.settings["maxwordlimit"] == "" and back.settings["maxwordenabled"] == "0"
    assert back.settings["minwordlimit"] == "50" and back.settings["attachments"] == "3"
    assert back.other_texts["graderinfo"] == ("New guide", "html")
    assert back.other_texts["responsetemplate"] == ("", "html")  # removed: Moodle's empty template
    limited = dataclasses.replace(_essay(), word_limit=120)
    [back] = read_moodle_xml(write_moodle_xml([to_moodle(limited)])).questions
    assert (back.settings["maxwordlimit"], back.settings["maxwordenabled"]) == ("120", "1")


def test_a_limit_beyond_quizapps_is_kept_for_moodle_with_a_warning() -> None:
    mapped = _mapped(FULL_ESSAY.replace("<maxwordlimit>300<", "<maxwordlimit>10000<"))
    essay = question_from_dict(mapped.questions[0].raw, strict=False)
    assert essay.word_limit == 0
    assert any("10,000 words" in w.message for w in mapped.warnings)
    [back] = read_moodle_xml(write_moodle_xml([to_moodle(essay)])).questions
    assert back.settings["maxwordlimit"] == "10000"


def test_a_word_limit_that_is_no_number_is_a_located_error() -> None:
    xml = FULL_ESSAY.replace("<maxwordlimit>300<", "<maxwordlimit>many<")
    mapped = map_report(read_moodle_xml(xml.encode()), clean_html)
    assert [(e.line, e.question) for e in mapped.errors] == [(4, "Far side")]
    assert "'many'" in mapped.errors[0].message and mapped.questions == []
