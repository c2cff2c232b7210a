"""Uploaded bytes to text, and which question format a file is in."""

from __future__ import annotations

import json
import re

from quizapp.domain.formats.aiken import read_aiken
from quizapp.domain.formats.gift import read_gift
from quizapp.domain.formats.model import FormatError, ParseReport
from quizapp.domain.formats.moodle_rules import not_utf8
from quizapp.domain.formats.moodle_xml import read_moodle_xml

_UTF8_BOM = b"\xef\xbb\xbf"
_AIKEN_ANSWER = re.compile(r"^[ \t]*ANSWER:[ \t]*[A-Z]", re.MULTILINE)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded GIFT or Aiken file: UTF-8 only (as Moodle), BOM stripped, "\\n" line ends."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FormatError(
            "The file is saved as UTF-16; Moodle reads UTF-8 only. Save it as UTF-8 and try again."
        )
    if b"\x00" in data:
        raise FormatError("The file holds binary data (NUL bytes), so it is not a text question file.")
    data = data.removeprefix(_UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(data, exc) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(data: bytes) -> str:
    """'moodle-xml', 'json', 'aiken' or 'gift' (the default), from the file's content."""
    head = data.removeprefix(_UTF8_BOM).lstrip()
    if head.startswith((b"<?xml", b"<quiz")):
        return "moodle-xml"
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if text.lstrip().startswith("{") and _is_question_json(text):
        return "json"
    return "aiken" if _AIKEN_ANSWER.search(text) else "gift"


def _is_question_json(text: str) -> bool:
    """Whether `text` is a JSON object with a "questions" member."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and "questions" in parsed


def read_upload(data: bytes, file_format: str | None = None) -> ParseReport:
    """An uploaded GIFT, Aiken or Moodle XML file read (its format detected when not given)."""
    file_format = file_format or detect_format(data)
    if file_format == "moodle-xml":
        return read_moodle_xml(data)
    if file_format == "gift":
        return read_gift(decode_upload(data))
    if file_format == "aiken":
        return read_aiken(decode_upload(data))
    raise FormatError(f"'{file_format}' files are not GIFT, Aiken or Moodle XML.")
