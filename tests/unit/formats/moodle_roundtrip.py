"""Round trip of Moodle files through quizapp: import, store, export (Moodle XML, GIFT), read back, compare.

`compare` names every teacher-visible difference between a question as the file had it and as it comes back.
Texts are compared as a teacher sees them: HTML after quizapp's cleaner (what can run or load is gone, which
Moodle's own cleaner removes too), white space collapsed, Moodle's auto-format line breaks as <br>, and any
run of underscores as one blank. Run as a script to print "N of M questions with no teacher-visible change".
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.domain.formats import read_gift, read_moodle_xml, read_upload
from quizapp.domain.formats.gift_writer import gift_cannot_hold, write_gift
from quizapp.domain.formats.mapping import map_report, to_moodle
from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.formats.moodle_rules import nearest_grade
from quizapp.domain.formats.moodle_xml_writer import ESSAY_DEFAULTS, write_moodle_xml
from quizapp.domain.questions import question_from_dict, question_to_dict
from quizapp.richtext import clean_html

_SPACE = re.compile(r"\s+")
_BLANK = re.compile(r"_{3,}")
_BREAK = re.compile(r"\s*<br\s*/?>\s*")
_HTML_LIKE = ("html", "moodle")
GIFT_FIELDS = ("moodle_type", "name", "text", "general_feedback", "answers", "single", "subquestions",
               "truefalse_feedback", "category", "tags", "idnumber")  # fmt: skip
XML_FIELDS = (*GIFT_FIELDS, "settings", "combined", "hints", "units", "files", "other_texts")


def visible(text: str, text_format: str) -> str:
    """A text as the teacher sees it in Moodle (see the module's docstring)."""
    if text_format == "moodle":
        text = text.replace("\n", "<br>")
    shown = clean_html(text) if text_format in _HTML_LIKE else html.escape(text, quote=False)
    shown = _BREAK.sub("<br>", _BLANK.sub("_____", shown))
    return _SPACE.sub(" ", shown).strip().removesuffix("<br>").strip()


def _field(question: MoodleQuestion, name: str) -> object:
    """A field of the question in the form compared."""
    fmt = question.text_format
    if name in ("text", "general_feedback"):
        return visible(getattr(question, name), fmt)
    if name == "answers":
        rich = question.moodle_type in ("multichoice", "ordering")
        graded = question.moodle_type != "ordering"
        return [
            (
                visible(a.text, fmt) if rich else a.text.strip(),
                nearest_grade(a.fraction) if graded else a.fraction,
                visible(a.feedback, fmt),
                float(f"{a.tolerance or 0.0:.12g}"),
            )
            for a in question.answers
            if a.text.strip()
        ]
    if name == "subquestions":
        return [(visible(left, fmt), right.strip()) for left, right in question.subquestions]
    if name == "truefalse_feedback":
        return tuple(visible(text, fmt) for text in question.truefalse_feedback)
    if name == "settings":
        return effective_settings(question)
    if name == "category":
        return question.category or None
    if name == "other_texts":  # an essay's marking guide and response template (an empty one shows nothing)
        return {tag: (visible(text, f), f) for tag, (text, f) in question.other_texts.items() if text.strip()}
    return getattr(question, name)


_TRUTH = {"true": "1", "false": "0"}


def effective_settings(question: MoodleQuestion) -> dict[str, str]:
    """The settings with what Moodle assumes where the file says nothing (the writer writes those)."""
    defaults = {
        "defaultgrade": "0" if question.moodle_type == "description" else "1",
        "penalty": {"truefalse": "1", "description": "0"}.get(question.moodle_type, "0.3333333"),
        "hidden": "0",
    }
    if question.moodle_type in ("multichoice", "match"):
        defaults["shuffleanswers"] = "1"  # GIFT's (the XML reader sets what a file's <question> implies)
    if question.moodle_type == "multichoice":
        defaults |= {"answernumbering": "abc", "showstandardinstruction": "0"}
    if question.moodle_type == "shortanswer":
        defaults["usecase"] = "0"
    if question.moodle_type == "essay":
        defaults |= ESSAY_DEFAULTS  # what Moodle gives an essay read from GIFT (and writes for it)
    settings = defaults | question.settings
    return {k: _TRUTH.get(v, v) for k, v in settings.items() if k != "single"}


def compare(original: MoodleQuestion, back: MoodleQuestion, fields: tuple[str, ...]) -> list[str]:
    """The names of the fields that differ in what a teacher sees, with both values (a question the file
    gave no name gets the one Moodle makes up, which is not compared)."""
    if not original.name:
        fields = tuple(name for name in fields if name != "name")
    return [
        f"{name}: {_field(original, name)!r} != {_field(back, name)!r}"
        for name in fields
        if _field(original, name) != _field(back, name)
    ]


@dataclass
class FileResult:
    """The round trip of one file's questions."""

    path: Path
    imported: int = 0
    skipped: int = 0
    unchanged_xml: int = 0
    unchanged_gift: int = 0
    not_gift: int = 0  # GIFT cannot hold them: listed as not exportable
    differences: list[str] = field(default_factory=list)


def round_trip_file(path: Path, file_format: str, data: bytes | None = None) -> FileResult:
    """Import the file, store each question as the database does (JSON), export, read back and compare."""
    result = FileResult(path)
    report = read_upload(path.read_bytes() if data is None else data, file_format)
    mapped = map_report(report, clean_html)
    result.imported, result.skipped = len(mapped.questions), len(mapped.skipped)
    originals = {id(q): q for q in report.questions}
    by_line = {(q.line, q.name): q for q in originals.values()}
    for imported in mapped.questions:
        original = by_line[(imported.line, imported.name)]
        stored = json.loads(json.dumps(question_to_dict(question_from_dict(imported.raw, strict=False))))
        question = question_from_dict(stored, strict=False)
        [xml_back] = read_moodle_xml(write_moodle_xml([to_moodle(question)])).questions
        xml_changes = compare(original, xml_back, XML_FIELDS)
        result.unchanged_xml += not xml_changes
        result.differences += [f"{path.name}:{original.line} {original.name!r} XML {c}" for c in xml_changes]
        moodle = to_moodle(question)
        if gift_cannot_hold(moodle):
            result.not_gift += 1
            continue
        [gift_back] = read_gift(write_gift([moodle])).questions
        gift_changes = compare(original, gift_back, GIFT_FIELDS)
        result.unchanged_gift += not gift_changes
        result.differences += [
            f"{path.name}:{original.line} {original.name!r} GIFT {c}" for c in gift_changes
        ]
    return result


def corpus_files() -> Iterator[tuple[Path, str]]:
    """Every file of the interop corpus that Moodle imports questions from, with its format."""
    from tests.unit.formats.interop_cases import expectations  # noqa: PLC0415 - reads the README

    for expectation in expectations():
        if expectation.count and not expectation.errors:
            yield expectation.path, expectation.file_format


def main() -> None:
    """Print the figure per source folder and in total, then every difference."""
    from tests.unit.formats.interop_cases import INTEROP_DIR  # noqa: PLC0415

    groups: dict[str, list[FileResult]] = {}
    for path, file_format in corpus_files():
        groups.setdefault(path.relative_to(INTEROP_DIR).parts[0], []).append(
            round_trip_file(path, file_format)
        )
    total = [r for results in groups.values() for r in results]
    for name, results in [*groups.items(), ("all", total)]:
        imported, not_gift = sum(r.imported for r in results), sum(r.not_gift for r in results)
        print(
            f"{name}: {len(results)} files, {imported} questions imported, {sum(r.skipped for r in results)} "
            f"skipped; Moodle XML: {sum(r.unchanged_xml for r in results)} of {imported} with no "
            f"teacher-visible change; GIFT: {sum(r.unchanged_gift for r in results)} of "
            f"{imported - not_gift} ({not_gift} not exportable)"
        )
    for result in total:
        for difference in result.differences:
            print(difference)


if __name__ == "__main__":
    main()
