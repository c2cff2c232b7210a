"""After a load run: does the database (SQLite opened read-only, or PostgreSQL) hold exactly what the students
sent? Read with SQLAlchemy Core on either engine."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime

from _server import SECRET_KEY
from _student import Student
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

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


def stored_json(value: object, sqlite: bool = True) -> object:
    """A JSON column's value as a raw query reads it: text on SQLite (where NUMERIC affinity turns a stored
    number into an int or float), already parsed by the driver on PostgreSQL (a JSON string is then a str,
    not to be parsed again)."""
    return json.loads(value) if sqlite and isinstance(value, str | bytes) else value


def stored_time(value: object) -> datetime | None:
    """A DateTime column's value as a raw query reads it: text on SQLite, a datetime on PostgreSQL."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


@contextmanager
def read_only(url: str) -> Iterator[Connection]:
    """A connection for the checks (a SQLite URL of Database.read_only_url(): the file opened read-only,
    the server may still hold it in WAL mode), in one transaction, rolled back at the end."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def rows(conn: Connection, sql: str, **params: object) -> list[tuple]:
    """The rows of one raw read, as tuples."""
    return [tuple(row) for row in conn.execute(text(sql), params)]


@dataclass
class Stored:
    """What the database holds after the run, indexed for the checks."""

    questions: dict[int, Question]  # question version id -> question
    attempts: dict[str, tuple[int, str, float | None, float]]  # public id -> id, state, score, max score
    slots: dict[tuple[int, int], tuple[int, int]]  # (attempt id, position) -> slot id, question version id
    responses: dict[int, list[tuple[object, float]]]  # slot id -> every (given, points) stored for it
    counts: dict[int, tuple[int, float]]  # attempt id -> responses stored, sum of their points


def read_stored(url: str) -> Stored:
    """Everything the checks need, in a handful of queries."""
    with read_only(url) as conn:
        sqlite = conn.dialect.name == "sqlite"
        versions = rows(conn, "SELECT id, content FROM question_version")
        attempts = rows(conn, "SELECT public_id, id, state, score, max_score FROM attempt")
        slots = rows(conn, "SELECT attempt_id, position, id, question_version_id FROM attempt_question")
        responses: dict[int, list[tuple[object, float]]] = {}
        for slot_id, given, points in rows(conn, "SELECT slot_id, given, points FROM response"):
            responses.setdefault(slot_id, []).append((stored_json(given, sqlite), points))
        counts = rows(conn, "SELECT attempt_id, COUNT(*), SUM(points) FROM response GROUP BY attempt_id")
        return Stored(
            questions={v: question_from_dict(stored_json(content, sqlite)) for v, content in versions},  # type: ignore[arg-type]
            attempts={public_id: rest for public_id, *rest in attempts},  # type: ignore[misc]
            slots={(a, p): (s, v) for a, p, s, v in slots},
            responses=responses,
            counts={a: (n, total) for a, n, total in counts},
        )


def verify(url: str, students: Sequence[Student], count: int) -> Verdict:
    """Compare every student's acknowledged answers with the stored responses and the attempt's score
    (`url`: Database.read_only_url())."""
    stored = read_stored(url)
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
