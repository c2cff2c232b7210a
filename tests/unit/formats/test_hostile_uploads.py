"""Files that must be refused with a clear reason, or read without hanging: encodings, binary, XML attacks,
size.
"""

from __future__ import annotations

import time

import pytest

from quizapp.domain.formats import FormatError, decode_upload, read_gift, read_moodle_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name></question></quiz>
"""
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    b'<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>'
)
EXTERNAL_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.invalid/quiz.dtd">\n<quiz/>'
VALID_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="essay">'
    b"<name><text>N</text></name><questiontext><text>Q</text></questiontext></question>\n</quiz>\n"
)


def refusal(read, data: bytes) -> str:
    """The message of the FormatError `read(data)` raises (the test fails when it raises none)."""
    with pytest.raises(FormatError) as raised:
        read(data)
    return str(raised.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("Qu'est-ce que l'été ? {T}".encode("latin-1"), ["not UTF-8", "line 1", "save the file as UTF-8"]),
        (b"Q1 {T}\n\nQ2 \x93quoted\x94 {T}", ["not UTF-8", "byte 0x93 on line 3, column 4"]),
        ("Q {T}".encode("utf-16"), ["UTF-16", "UTF-8"]),
        (b"Q {T}\x00\x00\x01binary", ["binary"]),
    ],
)
def test_text_that_is_not_utf8_is_refused_with_the_reason(data: bytes, words: list[str]) -> None:
    message = refusal(decode_upload, data)
    assert all(word in message for word in words), message


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfQ {T}", "Q {T}"),
        (b"Q1 {T}\r\n\r\nQ2 {F}\r\n", "Q1 {T}\n\nQ2 {F}\n"),
        ("Été ? {T}".encode(), "Été ? {T}"),
    ],
)
def test_utf8_with_bom_or_crlf_is_read(data: bytes, text: str) -> None:
    assert decode_upload(data) == text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (BILLION_LAUGHS, ["DTD", "refused"]),
        (EXTERNAL_ENTITY, ["DTD", "refused"]),
        (EXTERNAL_DTD, ["DTD", "refused"]),
        (VALID_XML[:-30], ["broken", "line 3", "cut short"]),
        (
            b"<quiz><question type='essay'><name><text>a & b</text></name></question></quiz>",
            ["broken", "line 1"],
        ),
        (b"<html><body>Not a quiz</body></html>", ["<html>", "<quiz>"]),
        (
            b"<quiz><question type='essay'><name><text>\xe9t\xe9</text></name></question></quiz>",
            ["not UTF-8"],
        ),
        (VALID_XML.replace(b"Q<", b"Q\x00<"), ["binary"]),
        (b"   ", ["empty"]),
    ],
    ids=[
        "billion laughs",
        "external entity",
        "external DTD",
        "truncated",
        "bare ampersand",
        "not a quiz",
        "latin-1",
        "NUL",
        "empty",
    ],
)
def test_unsafe_or_broken_xml_is_refused_with_the_reason(data: bytes, words: list[str]) -> None:
    started = time.perf_counter()
    message = refusal(read_moodle_xml, data)
    assert all(word in message for word in words), message
    assert time.perf_counter() - started < 1.0


def test_xml_declaring_another_encoding_is_decoded_as_declared() -> None:
    data = VALID_XML.replace(b"UTF-8", b"ISO-8859-1").replace(b"<text>N", b"<text>\xe9t\xe9")
    assert read_moodle_xml(data).questions[0].name == "été"


def gift_file(count: int) -> str:
    """A GIFT file of `count` questions cycling through four types (bench/imports.py uses it too)."""
    shapes = (
        "::Q{0}:: What is {0} plus one? {{={1} ~{0} ~%50%{2}#close}}",
        "Statement {0} {{T}}",
        "Number {0}? {{#{0}:1}}",
        "Name {0} {{=a{0} =%50%b{0}}}",
    )
    return "\n\n".join(shapes[index % 4].format(index, index + 1, index + 2) for index in range(count))


def test_a_100000_question_gift_file_is_read_whole() -> None:
    """Every question of a very large file is read. How the time grows with size is measured by
    bench/imports.py, not here: timings on a shared CI machine vary too much to assert a ratio."""
    text = gift_file(100_000)
    started = time.process_time()
    report = read_gift(text)
    assert time.process_time() - started < 60  # a hang guard, not a performance target
    assert len(report.questions) == 100_000 and report.errors == []
    assert report.questions[-1].name == "Name 99999"


@pytest.mark.parametrize(
    "text",
    ["{" * 200_000, "Q {" + "~a" * 100_000 + "}", "::" * 100_000, "\\" * 200_000, "Q\n" * 100_000 + "{T}"],
)
def test_pathological_gift_does_not_hang(text: str) -> None:
    started = time.process_time()
    read_gift(text)
    assert time.process_time() - started < 10
