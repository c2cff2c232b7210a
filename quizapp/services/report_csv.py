"""The reports as CSV files that spreadsheet programs open correctly: UTF-8 with a BOM, one header row."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence

from quizapp.domain.analysis import (
    Bar,
)
from quizapp.domain.points import rounded_points
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.models import (
    ClassSession,
)
from quizapp.richtext import to_plain
from quizapp.services.class_reports import Gradebook, GradebookRow, gradebook, session_report
from quizapp.services.report_loading import AttemptGroup

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula


# ---- CSV files (UTF-8 with a BOM, so that spreadsheet programs read the accents right)


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: text starting with = + - @ (a formula) gets a leading apostrophe.

    Numbers stay numbers (a negative discrimination index is not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


def _number(value: float | None) -> object:
    return "" if value is None else (int(value) if float(value).is_integer() else value)


def _points(value: float | None) -> object:
    """Points as the pages show them (domain/points.py): 0.67, never 0.6667."""
    return "" if value is None else rounded_points(value)


def gradebook_csv(of: ClassSession | AttemptGroup, sort: str = "name") -> str:
    """The gradebook (of a session, or of a set's homework) as CSV: a student a row, the points per question
    (empty: not answered, not asked, or awaiting the teacher's mark), total, %. With essays, a last column
    counts each student's answers awaiting marking (empty cells, not in the total yet)."""
    book = gradebook(of, sort)
    header = ["Student", *(f"Q{c.number}: {c.label}" for c in book.columns), "Total", "Out of", "Percent"]
    rows = [
        [
            row.name,
            *(_points(cell.points) for cell in row.cells),
            _points(row.total),
            row.out_of,
            _number(row.percent),
        ]
        for row in book.rows
    ]
    if book.marked_by_teacher:
        header.append("Awaiting marking (empty cells, not in the total)")
        rows = [[*cells, row.awaiting] for cells, row in zip(rows, book.rows, strict=True)]
    if book.hints_taken:  # a session opened with hints: which questions' points a hint lowered
        header.append("Hints taken (question: hints)")
        rows = [[*cells, _hints_in_words(row, book)] for cells, row in zip(rows, book.rows, strict=True)]
    if book.cbm:  # certainty-based marking: Moodle's figures per student
        header += ["Average CBM mark (-6 to 3)", "Accuracy + CBM bonus (%)"]
        rows = [[*cells, *_cbm_figures(row)] for cells, row in zip(rows, book.rows, strict=True)]
    return _csv(header, rows)


def _cbm_figures(row: GradebookRow) -> list[object]:
    """The student's average CBM mark and Moodle's 'CB accuracy' in percent (empty: nothing to mark)."""
    if row.cbm is None:
        return ["", ""]
    return [_points(row.cbm.average_cbm), _number(round(100 * row.cbm.accuracy_and_bonus, 1))]


def _hints_in_words(row: GradebookRow, book: Gradebook) -> str:
    """'Q2: 1, Q5: 3': the hints the student took per question (empty: none)."""
    return ", ".join(
        f"Q{c.number}: {cell.hints}" for c, cell in zip(book.columns, row.cells, strict=True) if cell.hints
    )


def items_csv(of: ClassSession | AttemptGroup) -> str:
    """The item analysis (of a session, or of a set's homework) as CSV: a question a row with Moodle's
    statistics, the flags and the answers."""
    report = session_report(of)
    header = [
        "Question",
        "Question text",
        "Type",
        "Students",
        "Answered",
        "Facility index (%)",
        "Standard deviation (%)",
        "Discrimination index",
        "Warnings",
        "Students' flags",
        "Answers given",
    ]
    rows = []
    for item in report.items:
        question = item.column.question
        rows.append(
            [
                f"Q{item.column.number}",
                to_plain(question.prompt, question.format),
                question.kind.label,
                item.stats.students,
                item.answered,
                _number(item.stats.facility),
                _number(item.stats.standard_deviation),
                _number(item.stats.discrimination),
                " ".join(item.warnings),
                " | ".join(f"{f.name}: {f.comment}" for f in item.student_flags),
                "; ".join(
                    f"{_bar_label(question, bar)}: {bar.count}{' (correct)' if bar.correct else ''}"
                    for bar in item.bars
                ),
            ]
        )
    if report.gradebook.cbm:  # certainty-based marking: who was very sure of a wrong answer
        header.append("Sure and wrong (C=3)")
        rows = [[*row, ", ".join(item.sure_and_wrong)] for row, item in zip(rows, report.items, strict=True)]
    return _csv(header, rows)


def _bar_label(question: DomainQuestion, bar: Bar) -> str:
    return bar.label if question.kind.typed else to_plain(bar.label, question.format)


def csv_filename(of: ClassSession | AttemptGroup, kind: str) -> str:
    """A download name from the session's (or set's) title: ASCII words and dashes, e.g.
    'chang-e-6-gradebook.csv'."""
    words = re.sub(r"['’‘]", " ", of.title)  # Chang’e -> chang-e, not change
    ascii_title = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-") or "session"
    return f"{stem}-{kind}.csv"
