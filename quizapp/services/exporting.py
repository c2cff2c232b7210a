"""Exporting a set as a question file (GIFT, Aiken, Moodle XML, JSON): which questions a format cannot hold
and why (they are left out, and the export page says so first), and the file itself."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from quizapp.domain.formats.aiken import write_aiken
from quizapp.domain.formats.gift import write_gift
from quizapp.domain.formats.gift_writer import GIFT_TYPES, gift_cannot_hold
from quizapp.domain.formats.mapping import to_moodle
from quizapp.domain.formats.moodle_xml import write_moodle_xml
from quizapp.domain.question_types import kind_of
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.questions import question_to_dict
from quizapp.domain.set_file import SWITCHES, set_fields_to_json
from quizapp.extensions import db
from quizapp.models import QuestionSet, Teacher
from quizapp.richtext import to_plain
from quizapp.services import NotFound
from quizapp.services.exchange import FORMATS
from quizapp.services.question_sets import current_questions, get_set

EXTENSIONS = {"gift": "-gift.txt", "aiken": "-aiken.txt", "moodle-xml": ".xml", "json": ".json"}
MIMETYPES = {
    "gift": "text/plain; charset=utf-8",
    "aiken": "text/plain; charset=utf-8",
    "moodle-xml": "application/xml",
    "json": "application/json",
}


@dataclass(frozen=True)
class NotExported:
    """A question a format cannot hold, and why."""

    question_id: str
    title: str
    type: str
    reason: str


def exportable_set(teacher: Teacher, set_id: int) -> QuestionSet:
    """A set the teacher may export: one of theirs, or a built-in one; NotFound otherwise."""
    question_set = db.session.get(QuestionSet, set_id)
    if question_set is None or not (question_set.is_builtin or question_set.owner_id == teacher.id):
        raise NotFound(f"set {set_id}")
    return question_set


def find_set(reference: str) -> QuestionSet:
    """A set by its id or its slug (e.g. 'article-bank'); NotFound when there is none."""
    if reference.isascii() and reference.isdigit() and int(reference) < 2**63:  # what the database can hold
        question_set = db.session.get(QuestionSet, int(reference))
        if question_set is not None:
            return question_set
    return get_set(reference)


def export_losses(question_set: QuestionSet) -> dict[str, list[NotExported]]:
    """Per format, the set's questions it cannot hold (they are left out of that export)."""
    questions = [version.to_domain() for _, version in current_questions(question_set)]
    return {file_format: not_representable(questions, file_format) for file_format in FORMATS}


def export_file(question_set: QuestionSet, file_format: str) -> tuple[str, str, bytes, list[NotExported]]:
    """(file name, MIME type, content, questions left out with why) of the set in `file_format`."""
    questions = [version.to_domain() for _, version in current_questions(question_set)]
    filename = export_filename(question_set.title, file_format)
    if file_format == "json":
        switches = {name: getattr(question_set, name) for name in SWITCHES}
        data = {
            "title": question_set.title,
            **set_fields_to_json(question_set.description, question_set.source_text, switches),
            "questions": [question_to_dict(q) for q in questions],
        }
        body = json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"
        return filename, MIMETYPES["json"], body, []
    left_out = not_representable(questions, file_format)
    kept = [to_moodle(q) for q in questions if q.id not in {n.question_id for n in left_out}]
    if file_format == "gift":
        body = write_gift(kept).encode()
    elif file_format == "aiken":
        body = write_aiken(kept)[0].encode()
    else:
        body = write_moodle_xml(kept)
    return filename, MIMETYPES[file_format], body, left_out


def not_representable(questions: list[DomainQuestion], file_format: str) -> list[NotExported]:
    """The questions `file_format` cannot hold (they are left out of its export), each with the reason."""
    left_out = []
    for question in questions:
        reason = _why_not(question, file_format)
        if reason:
            title = question.title or to_plain(question.prompt, question.format)[:80]
            left_out.append(NotExported(question.id, title, question.type.value, reason))
    return left_out


def _why_not(question: DomainQuestion, file_format: str) -> str:
    """Why the format cannot hold the question: its type (asked of the type), else what its texts hold."""
    kind = kind_of(question)
    reason = kind.not_exportable(question, file_format)
    if reason:
        return reason
    if file_format == "gift":
        moodle = to_moodle(question)
        if moodle.moodle_type not in GIFT_TYPES:
            return f"GIFT has no '{kind.label.lower()}' questions (Moodle XML has)."
        return gift_cannot_hold(moodle)
    if file_format == "aiken":
        skipped = write_aiken([to_moodle(question)])[1]
        return next((s.message for s in skipped if s.code == "notrepresentable"), "")
    return ""


def export_filename(title: str, file_format: str) -> str:
    """A file name from the set's title: ASCII words joined by dashes, with the format's extension."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-") or "question-set"
    return slug + EXTENSIONS[file_format]
