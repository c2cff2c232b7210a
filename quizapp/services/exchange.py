"""Importing question files (GIFT, Aiken, Moodle XML, JSON) into a teacher's sets (exporting them:
services/exporting.py; the files embedded in questions: services/embedded_files.py).

`preview_import` reads a file and says what an import would do, saving nothing; `import_file` then saves all
of it in one transaction, or nothing when anything is wrong. Files that cannot be read at all (too large, not
UTF-8, binary, unsafe XML, too many questions) give a report with one error that says why.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from quizapp.database import lock_row, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.authoring import editor_limit_problems
from quizapp.domain.formats import (
    FormatError,
    Located,
    ParseReport,
    decode_upload,
    detect_format,
    read_upload,
)
from quizapp.domain.formats.mapping import MappedFile, MappedQuestion, SkippedQuestion, map_report
from quizapp.domain.questions import (
    Problem,
    question_from_dict,
    question_to_dict,
    validate_question,
)
from quizapp.domain.set_file import SetFields, read_set_fields
from quizapp.extensions import db
from quizapp.models import PendingImport, QuestionSet, Teacher, utc_now
from quizapp.richtext import clean_html, to_plain
from quizapp.services import NotFound
from quizapp.services.teacher_sets import MAX_TITLE, append_questions, check_question, owned_set

FORMATS = ("gift", "aiken", "moodle-xml", "json")
FORMAT_LABELS = {"gift": "GIFT", "aiken": "Aiken", "moodle-xml": "Moodle XML", "json": "JSON (quizapp)"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_QUESTIONS = 5000
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_AIKEN_ANSWER = re.compile(rb"^[ \t]*ANSWER:", re.MULTILINE)
_XML_QUESTION = re.compile(rb"<question[\s>]")
_XML_CATEGORY = re.compile(rb"""<question\s+type\s*=\s*["']category["']""")


class ImportFailed(DomainError):
    """Nothing was imported; `report` holds every error, located."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("; ".join(error.message for error in report.errors) or "There is nothing to import.")
        self.report = report


@dataclass
class ImportReport:
    """What importing a file would do: its questions, the ones skipped, its errors and warnings."""

    format: str
    questions: list[MappedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    errors: list[Located] = field(default_factory=list)
    warnings: list[Located] = field(default_factory=list)
    title: str = ""  # the set title the file suggests (a JSON file's "title")
    set_fields: SetFields = field(default_factory=SetFields)  # a JSON file's description, text and switches
    too_large: bool = False  # refused for its size (the web answers 413)

    @property
    def importable(self) -> bool:
        """Whether an import would save something: no error, at least one question."""
        return not self.errors and bool(self.questions)

    def to_json(self) -> dict[str, Any]:
        """The report as `sets import --dry-run --json` prints it."""
        return {
            "format": self.format,
            "questions": [
                {
                    "type": q.raw["type"],
                    "moodle_type": q.moodle_type or None,
                    "title": question_title(q),
                    "line": q.line,
                }
                for q in self.questions
            ],
            "skipped": [
                {
                    "moodle_type": s.moodle_type or None,
                    "line": s.line if s.line is not None else s.name,
                    "reason": s.reason,
                }
                for s in self.skipped
            ],
            "errors": [{"line": e.line, "message": located_message(e)} for e in self.errors],
        }


def question_title(question: MappedQuestion) -> str:
    """How the teacher will recognise the question: its title, else the start of its text."""
    raw = question.raw
    text = raw.get("title") or to_plain(raw["prompt"], raw.get("format", "plain"))
    return text if len(text) <= 80 else text[:77] + "..."


def located_message(problem: Located) -> str:
    """A problem in one line: which question, what is wrong, how to fix it."""
    where = f"'{problem.question}': " if problem.question else ""
    column = f"(column {problem.column}) " if problem.column else ""
    hint = f" Fix: {problem.hint}" if problem.hint else ""
    return f"{column}{where}{problem.message}{hint}"


def max_bytes() -> int:
    """The largest file an import reads (IMPORT_MAX_BYTES)."""
    return int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_questions() -> int:
    """The most questions one import takes (IMPORT_MAX_QUESTIONS)."""
    return int(current_app.config.get("IMPORT_MAX_QUESTIONS", DEFAULT_MAX_QUESTIONS))


def size_in_words(size: int) -> str:
    """A byte count for people: '10 MB', '512 KB', '900 bytes'."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _refused(file_format: str, message: str, hint: str = "", too_large: bool = False) -> ImportReport:
    return ImportReport(
        file_format, errors=[Located(None, None, "", message, hint, "refused")], too_large=too_large
    )


def guess_format(data: bytes) -> str:
    """The file's format from its content: Moodle XML, JSON, Aiken or (by default) GIFT."""
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:2]
    if head[:1] == b"{" and head[1:2] in (b'"', b"\n", b"\r", b" ", b"\t", b"}"):
        return "json"  # a JSON object (detect_format would call a broken one GIFT)
    return detect_format(data)


def preview_import(data: bytes, file_format: str | None = None) -> ImportReport:
    """What importing `data` would do (its format detected when not given); nothing is saved."""
    file_format = file_format or guess_format(data)
    if file_format not in FORMATS:
        return _refused(
            file_format,
            f"'{file_format}' is not a format quizapp reads.",
            f"Choose one of: {', '.join(FORMATS)}.",
        )
    if len(data) > max_bytes():
        return _refused(
            file_format,
            f"The file has {len(data):,} bytes, more than the limit of "
            f"{size_in_words(max_bytes())} ({max_bytes():,} bytes).",
            "Split it into smaller files.",
            too_large=True,
        )
    if not data.strip():
        return _refused(file_format, "The file is empty.", "Choose the file that holds your questions.")
    try:
        estimate = _question_estimate(data, file_format)
        if estimate > max_questions():
            return _too_many(file_format, estimate)
        report = _read_json(data) if file_format == "json" else _read_moodle(data, file_format)
    except FormatError as exc:
        return _refused(file_format, str(exc))
    total = len(report.questions) + len(report.skipped)
    if total > max_questions():
        return _too_many(file_format, total)
    if not report.errors and not report.questions and report.skipped:
        reasons = sorted({skipped.reason for skipped in report.skipped})
        report.errors.append(
            Located(
                None,
                None,
                "",
                f"None of the file's {len(report.skipped)} questions can be imported: " + " ".join(reasons),
                "Import these questions where their type exists, or change their type in Moodle first.",
            )
        )
    elif not report.errors and not report.questions:
        report.errors.append(
            Located(
                None,
                None,
                "",
                "The file holds no question quizapp can import.",
                "Check that it is a GIFT, Aiken, Moodle XML or quizapp JSON question file.",
            )
        )
    return report


def _too_many(file_format: str, count: int) -> ImportReport:
    return _refused(
        file_format,
        f"The file holds {count:,} questions; one import takes at most {max_questions():,}.",
        "Split the file into smaller ones and import each.",
    )


def _question_estimate(data: bytes, file_format: str) -> int:
    """A quick upper bound of the questions in the file, to refuse huge files before reading them."""
    if file_format == "moodle-xml":
        return len(_XML_QUESTION.findall(data)) - len(_XML_CATEGORY.findall(data))
    if file_format == "aiken":
        return len(_AIKEN_ANSWER.findall(data))
    if file_format == "gift":
        blocks = _BLANK_LINES.split(decode_upload(data))
        return sum(
            1 for block in blocks if block.strip() and not block.lstrip().startswith(("$CATEGORY", "//"))
        )
    return 0  # JSON: counted once parsed (parsing 10 MB of JSON is quick)


def _read_moodle(data: bytes, file_format: str) -> ImportReport:
    """A Moodle-format file read as Moodle reads it, then mapped onto quizapp's types."""
    parsed: ParseReport = read_upload(data, file_format)
    mapped: MappedFile = map_report(parsed, clean_html)
    return ImportReport(file_format, mapped.questions, mapped.skipped, mapped.errors, mapped.warnings)


def _read_json(data: bytes) -> ImportReport:
    """quizapp's own JSON exchange form: {"title": ..., "questions": [...]} (docs/question-format.md)."""
    text = decode_upload(data)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = exc.msg.removesuffix(" starting at")
        return _refused(
            "json",
            f"The JSON is broken at line {exc.lineno}, column {exc.colno}: {what}."
            + (" The file looks cut short." if cut else ""),
            "Export the set again, or fix the file.",
        )
    except RecursionError:
        return _refused("json", "The JSON is nested too deeply to be a question file.")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("questions"), list):
        return _refused(
            "json",
            'This JSON is not a quizapp question file: it needs a "questions" list.',
            'Use a file made by quizapp\'s export: {"title": ..., "questions": [...]}.',
        )
    if len(parsed["questions"]) > max_questions():
        return _too_many("json", len(parsed["questions"]))
    set_fields, problems = read_set_fields(parsed)
    report = ImportReport("json", title=str(parsed.get("title") or "").strip(), set_fields=set_fields)
    report.errors += [Located(None, None, "", message, hint, "invalid") for message, hint in problems]
    seen: set[str] = set()
    for number, raw in enumerate(parsed["questions"], start=1):
        _add_json_question(report, raw, text, seen, number)
    return report


def _add_json_question(report: ImportReport, raw: Any, text: str, seen: set[str], number: int) -> None:
    """Question `number` of a JSON file: added when valid, else its problems (located by its id) as errors."""
    if not isinstance(raw, dict):
        report.errors.append(
            Located(None, None, "", "A question is not a JSON object.", 'Write {"id": ...}.')
        )
        return
    qid = str(raw.get("id") or "")
    found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(qid, ensure_ascii=False)), text) if qid else None
    line = text.count("\n", 0, found.start()) + 1 if found else None
    problems = validate_question(raw, strict=False)
    if qid in seen:
        problems = [*problems, _duplicate(qid)]
    seen.add(qid)
    report.errors += [Located(line, None, qid, p.message, p.hint, "invalid") for p in problems]
    too_long = editor_limit_problems(raw)
    report.errors += [
        Located(line, None, qid, f"Question {number}: {p.message}.", p.hint, "toolong") for p in too_long
    ]
    if not problems and not too_long:
        question = question_to_dict(question_from_dict(raw, strict=False))
        report.questions.append(MappedQuestion(question, "", question.get("title", ""), line))


def _duplicate(qid: str) -> Problem:
    return Problem(qid, "this id is used by another question of the file", "give every question its own id")


def import_file(
    teacher: Teacher,
    data: bytes,
    file_format: str | None,
    set_title: str,
    into_set: QuestionSet | None = None,
) -> QuestionSet:
    """Import the file into a new set titled `set_title`, or at the end of `into_set` (the teacher's own).

    All or nothing: ImportFailed (with the report) when the file has any error; then nothing is written.
    """
    report = _checked(data, file_format, into_set)
    with write_transaction():
        return _save(teacher, report, set_title, into_set)


def _checked(data: bytes, file_format: str | None, into_set: QuestionSet | None) -> ImportReport:
    """The file's report when it can be imported (into `into_set`); ImportFailed otherwise."""
    report = preview_import(data, file_format)
    if into_set is not None:
        report.errors += _grounding_errors(into_set, report.questions)
    if not report.importable:
        raise ImportFailed(report)
    return report


def _save(
    teacher: Teacher, report: ImportReport, set_title: str, into_set: QuestionSet | None
) -> QuestionSet:
    """Write the report's questions into a new set or `into_set` (inside the caller's transaction)."""
    if into_set is None:
        question_set = QuestionSet(
            slug=f"set-{secrets.token_urlsafe(9)}",
            owner_id=teacher.id,
            title=set_title.strip()[:MAX_TITLE] or report.title or "Imported questions",
            **report.set_fields.columns(),  # a JSON export's description, text and switches
        )
        db.session.add(question_set)
        db.session.flush()
    else:
        question_set = db.session.get(QuestionSet, into_set.id)  # type: ignore[assignment]
    append_questions(question_set.id, [question.raw for question in report.questions], rename=True)
    question_set.updated_at = utc_now()
    return question_set


# ---- uploads waiting for the teacher's confirmation

PENDING_HOURS = 24
PENDING_PER_TEACHER = 5


def keep_pending(
    teacher: Teacher,
    data: bytes,
    file_format: str,
    filename: str,
    set_title: str,
    into_set: QuestionSet | None,
) -> PendingImport:
    """Keep an upload until the teacher confirms it; drops expired uploads and the teacher's oldest ones."""
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        owner_id=teacher.id,
        content=data,
        format=file_format,
        filename=filename[:255],
        set_title=set_title.strip()[:MAX_TITLE],
        into_set_id=into_set.id if into_set else None,
    )
    with write_transaction():
        lock_row(Teacher, teacher.id)  # PostgreSQL: two uploads at once count the teacher's kept ones in turn
        db.session.execute(db.delete(PendingImport).where(PendingImport.created_at < _expiry()))
        kept = db.session.scalars(
            db.select(PendingImport.id)
            .where(PendingImport.owner_id == teacher.id)
            .order_by(PendingImport.created_at.desc(), PendingImport.id.desc())
        ).all()
        if len(kept) >= PENDING_PER_TEACHER:
            old = kept[PENDING_PER_TEACHER - 1 :]
            db.session.execute(db.delete(PendingImport).where(PendingImport.id.in_(old)))
        db.session.add(pending)
    return pending


def _expiry() -> datetime:
    """Uploads kept since before this time have expired."""
    return utc_now() - timedelta(hours=PENDING_HOURS)


def pending_upload(teacher: Teacher, token: str) -> PendingImport:
    """The teacher's upload kept under `token`; NotFound for another teacher's, an expired or a used one."""
    pending = db.session.scalar(db.select(PendingImport).where(PendingImport.token == token))
    if pending is None or pending.owner_id != teacher.id or pending.created_at < _expiry():
        raise NotFound("import")
    return pending


def pending_target(teacher: Teacher, pending: PendingImport) -> QuestionSet | None:
    """The set an upload goes into (None: a new set); NotFound when it is no longer the teacher's."""
    return owned_set(teacher, pending.into_set_id) if pending.into_set_id is not None else None


def confirm_import(teacher: Teacher, token: str) -> tuple[QuestionSet, ImportReport]:
    """Import a kept upload, all or nothing, exactly once (a second confirmation finds nothing: NotFound)."""
    pending = pending_upload(teacher, token)
    into_set = pending_target(teacher, pending)
    report = _checked(pending.content, pending.format, into_set)
    title = pending.set_title or report.title or default_set_title(pending.filename)
    with write_transaction():
        used = db.session.execute(db.delete(PendingImport).where(PendingImport.id == pending.id)).rowcount
        if not used:
            raise NotFound("import")
        return _save(teacher, report, title, into_set), report


def default_set_title(filename: str) -> str:
    """A set title from an uploaded file's name: 'lunar_quiz.gift' -> 'lunar quiz'."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    return " ".join(stem.replace("_", " ").split())[:MAX_TITLE] or "Imported questions"


def _grounding_errors(question_set: QuestionSet, questions: list[MappedQuestion]) -> list[Located]:
    """Quoted sources (JSON files carry them) that the set's own source text does not hold."""
    return [
        Located(q.line, None, q.raw["id"], p.message, p.hint, "grounding")
        for q in questions
        if q.raw.get("source")
        for p in check_question(question_set, q.raw)
    ]


# ---- export
