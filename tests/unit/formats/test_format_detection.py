"""Which format an uploaded file is in, and reading an upload whatever its format."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import FormatError, detect_format, read_upload


@pytest.mark.parametrize(
    ("data", "file_format"),
    [
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz></quiz>', "moodle-xml"),
        (b"\xef\xbb\xbf  \n<quiz>\n</quiz>", "moodle-xml"),
        (b"Which?\nA) one\nB) two\nANSWER: B\n", "aiken"),
        (b"Which?\r\nA. one\r\nB. two\r\nANSWER:A", "aiken"),
        (b'{"title": "Set", "questions": []}', "json"),
        (b'{"title": "no questions key"}', "gift"),
        (b"::Q:: Which? {=a ~b}", "gift"),
        (b"Answer: A (lower case is not Aiken)\n", "gift"),
        (b"", "gift"),
    ],
)
def test_detect_format(data: bytes, file_format: str) -> None:
    assert detect_format(data) == file_format


@pytest.mark.parametrize(
    ("data", "file_format", "moodle_type"),
    [
        (b"Q {T}", "gift", "truefalse"),
        (b"Q?\nA) a\nB) b\nANSWER: A", "aiken", "multichoice"),
        (
            b"<quiz><question type='essay'><name><text>N</text></name></question></quiz>",
            "moodle-xml",
            "essay",
        ),
    ],
)
def test_read_upload_uses_the_detected_format(data: bytes, file_format: str, moodle_type: str) -> None:
    report = read_upload(data)
    assert (report.format, [q.moodle_type for q in report.questions]) == (file_format, [moodle_type])


def test_read_upload_with_a_format_given_does_not_guess() -> None:
    assert read_upload(b"Q?\nA) a\nB) b\nANSWER: A", "gift").format == "gift"


def test_read_upload_refuses_other_formats_and_bad_text() -> None:
    with pytest.raises(FormatError, match="not GIFT, Aiken or Moodle XML"):
        read_upload(b'{"questions": []}')
    with pytest.raises(FormatError, match="not UTF-8"):
        read_upload("été {T}".encode("cp1252"))
