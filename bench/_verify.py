"""After a load run: does the database (opened read-only) hold exactly what the students sent?"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from _server import SECRET_KEY
from _student import Student

from quizapp.domain.answers import answer_to_json, parse_answer
from quizapp.domain.questions import Question, question_from_dict
from quizapp.domain.scoring import score_response
from quizapp.services.attempt_views import slot_tokens


@dataclass
class Verdict:
    """Counts of what was sent and stored, and of everything that is wrong (all zero when correct)."""

    answers_sent: int = 0
    stored: int = 0
    duplicates: int = 0
    lost: int = 0
    stray: int = 0
    wrong_answer: int = 0
    wrong_points: int = 0
    unfinished: int = 0
    wrong_score: int = 0
    wrong_max: int = 0
    missing_attempts: int = 0
    extra_attempts: int = 0

    @property
    def ok(self) -> bool:
        return not any(v for k, v in asdict(self).items() if k not in ("answers_sent", "stored"))

    def line(self) -> str:
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in asdict(self).items())


def stored_json(value: object) -> object:
    """A JSON column's value: SQLite's NUMERIC affinity turns a stored number into an int or float."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def read_only(database: Path) -> sqlite3.Connection:
    """A read-only connection (the server may still hold the file open in WAL mode)."""
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


@dataclass
class Stored:
    """What the database holds after the run, indexed for the checks."""

    questions: dict[int, Question]  # question version id -> question
    attempts: dict[str, tuple[int, str, float | None, float]]  # public id -> id, state, score, max score
    slots: dict[tuple[int, int], tuple[int, int]]  # (attempt id, position) -> slot id, question version id
    responses: dict[int, list[tuple[object, float]]]  # slot id -> every (given, points) stored for it
    counts: dict[int, tuple[int, float]]  # attempt id -> responses stored, sum of their points


def read_stored(database: Path) -> Stored:
    """Everything the checks need, in a handful of queries."""
    with read_only(database) as conn:
        versions = conn.execute("SELECT id, content FROM question_version")
        attempts = conn.execute("SELECT public_id, id, state, score, max_score FROM attempt")
        slots = conn.execute("SELECT attempt_id, position, id, question_version_id FROM attempt_question")
        responses: dict[int, list[tuple[object, float]]] = {}
        for slot_id, given, points in conn.execute("SELECT slot_id, given, points FROM response"):
            responses.setdefault(slot_id, []).append((stored_json(given), points))
        counts = conn.execute("SELECT attempt_id, COUNT(*), SUM(points) FROM response GROUP BY attempt_id")
        return Stored(
            questions={v: question_from_dict(json.loads(content)) for v, content in versions},
            attempts={public_id: rest for public_id, *rest in attempts},  # type: ignore[misc]
            slots={(a, p): (s, v) for a, p, s, v in slots},
            responses=responses,
            counts={a: (n, total) for a, n, total in counts},
        )


def verify(database: Path, students: Sequence[Student], count: int) -> Verdict:
    """Compare every student's acknowledged answers with the stored responses and the attempt's score."""
    stored = read_stored(database)
    verdict = Verdict(stored=sum(len(r) for r in stored.responses.values()))
    verdict.duplicates = sum(len(r) - 1 for r in stored.responses.values())
    verdict.extra_attempts = len(set(stored.attempts) - {s.public_id for s in students})
    for student in students:
        if student.public_id is None:
            continue
        if student.public_id not in stored.attempts:
            verdict.missing_attempts += 1
            continue
        _check_student(verdict, student, stored, count)
    return verdict


def _check_student(verdict: Verdict, student: Student, stored: Stored, count: int) -> None:
    """Each answer the student sent is stored as sent and scored; a completed test is finished and summed."""
    attempt_id, state, score, max_score = stored.attempts[student.public_id or ""]
    responses, points_sum = stored.counts.get(attempt_id, (0, 0.0))
    verdict.answers_sent += len(student.sent)
    verdict.stray += max(0, responses - len(student.sent))
    for position, fields in student.sent.items():
        slot_id, version_id = stored.slots[(attempt_id, position)]
        rows = stored.responses.get(slot_id)
        if not rows:
            verdict.lost += 1
            continue
        given, points = rows[0]
        question = stored.questions[version_id]
        expected = parse_answer(question, _form(fields), slot_tokens(SECRET_KEY, slot_id, question))
        verdict.wrong_answer += given != answer_to_json(expected)
        verdict.wrong_points += abs(points - score_response(question, expected)) > 1e-9
    if len(student.sent) == count:  # the last answer (go=finish) was acknowledged: the test must be over
        verdict.unfinished += state != "finished"
        verdict.wrong_score += score is None or abs(score - (points_sum or 0.0)) > 1e-9
        verdict.wrong_max += max_score != count


def _form(fields: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Fields as the server reads them: name -> every value sent."""
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form
