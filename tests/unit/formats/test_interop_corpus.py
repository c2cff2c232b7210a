"""Every GIFT, Aiken and Moodle XML file of the interop corpus reads as Moodle 4.5 reads it.

The expectations come from the README's tables (its 'Moodle 4.5 import outcome' column), not from a copy: the
question count, the count per type (categories included) and, for files Moodle refuses, its error codes.
"""

from __future__ import annotations

from collections import Counter

import pytest
from interop_cases import INTEROP_DIR, README, Expectation, expectations

from quizapp.domain.formats import ParseReport, read_aiken, read_gift, read_moodle_xml
from quizapp.domain.formats.detect import decode_upload

# For Moodle XML the README writes the type names used in the files, not Moodle's internal ones.
_FILE_NAMES = {"match": "matching", "multianswer": "cloze", "": "<no type>"}


def _cases() -> list:
    """One case per listed file; a single skipped case when the corpus is not beside the project."""
    if not README.is_file():
        return [
            pytest.param(None, marks=pytest.mark.skip(reason=f"interop corpus not found at {INTEROP_DIR}"))
        ]
    return [pytest.param(case, id=str(case.path.relative_to(INTEROP_DIR))) for case in expectations()]


def read(case: Expectation) -> ParseReport:
    """The file read by the reader of its format."""
    data = case.path.read_bytes()
    if case.file_format == "moodle-xml":
        return read_moodle_xml(data)
    text = decode_upload(data)
    return read_aiken(text) if case.file_format == "aiken" else read_gift(text)


def type_counts(report: ParseReport) -> Counter[str]:
    """Questions per type, named as the README names them, with the category switches."""
    names = _FILE_NAMES if report.format == "moodle-xml" else {}
    counts = Counter(names.get(q.moodle_type, q.moodle_type) for q in report.questions)
    if report.format == "aiken":
        return counts
    return counts + Counter({"category": len(report.categories)})


@pytest.mark.parametrize("case", _cases())
def test_file_reads_as_moodle_reads_it(case: Expectation) -> None:
    report = read(case)
    found = (len(report.questions), type_counts(report))
    assert found == (case.count, case.types), f"{case.path.name}: Moodle {case.count} {dict(case.types)}"


@pytest.mark.parametrize(
    "case", [c for c in _cases() if c.values[0] is None or c.values[0].file_format != "moodle-xml"]
)
def test_file_has_moodles_parse_errors(case: Expectation) -> None:
    codes = [error.code for error in read(case).errors]
    assert (sorted(codes) if case.file_format == "aiken" else codes) == case.errors


@pytest.mark.skipif(not README.is_file(), reason=f"interop corpus not found at {INTEROP_DIR}")
def test_every_question_file_of_the_corpus_has_an_expectation() -> None:
    listed = {case.path for case in expectations()}
    on_disk = {path for path in INTEROP_DIR.rglob("*") if path.suffix in (".gift", ".txt", ".xml")}
    assert on_disk == listed
    assert len(listed) >= 130  # 126 GIFT, 2 Aiken, 2 Moodle XML when this test was written
