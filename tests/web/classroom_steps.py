"""Running a classroom session through the test client, as a teacher's and students' browsers would.

A teacher opens a session through the form (`open_session`) and reads the join code off the projector page;
students join with the code and a name (`join`, `join_student`); `answer` sends the right or a wrong answer to
the open question (the key is read from the database, never from the student's page); `step` presses a
teacher's control button. The read-backs (`session_row`, `stored`, `flashes`) look in the database or a page.
"""

from __future__ import annotations

import html
import re
import weakref
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.domain.questions import Question
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, QuestionFlag, Response, utc_now
from quizapp.services.attempt_views import SlotView
from tests.conftest import get_token
from tests.web.taking import How, attempt_slots, fields_for
from tests.web.teachers import ADA, sign_in_teacher

_TOKENS: weakref.WeakKeyDictionary[FlaskClient, str] = weakref.WeakKeyDictionary()
_CODE = re.compile(r'aria-label="Join code: ([^"]+)"')
_FLASH = re.compile(r'<p class="flash [^"]*"[^>]*>([^<]*)</p>')
_BOOLEANS = ("shuffle", "show_answers", "late_join", "leaderboard", "hide_names", "hints", "certainty")


@dataclass(frozen=True)
class ClassRun:
    """A session as its teacher opened it: its public id and the join code on the board."""

    public_id: str
    code: str

    @property
    def board(self) -> str:
        """The projector page's path."""
        return f"/teacher/sessions/{self.public_id}"


@dataclass(frozen=True)
class Student:
    """A student's browser and their place in a session."""

    client: FlaskClient
    name: str
    session_id: str  # the session's public id (the student's pages are /play/<session_id>)
    participant_id: int
    attempt_id: str  # the public id of their attempt

    @property
    def play(self) -> str:
        """The student's page in the session."""
        return f"/play/{self.session_id}"


def token(client: FlaskClient) -> str:
    """This browser's CSRF token, read once (for a teacher: call it after signing in, which renews it)."""
    if client not in _TOKENS:
        _TOKENS[client] = get_token(client, "/join")
    return _TOKENS[client]


def text_of(response: TestResponse) -> str:
    """A page's HTML with its entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def flashes(page: str) -> list[str]:
    """The flashed messages shown on a page."""
    return [html.unescape(m).strip() for m in _FLASH.findall(page)]


def session_fields(**options: object) -> dict[str, object]:
    """The new-session form as a teacher fills it in: 3 questions, teacher-paced, the default boxes ticked.

    Boolean options are sent as "y" when true and left out when false, as a browser does with check boxes.
    """
    chosen: dict[str, object] = {
        "count": 3,
        "pacing": "teacher",
        "shuffle": True,
        "show_answers": True,
        "late_join": True,
        "leaderboard": False,
        "hide_names": False,
        "hints": False,
        "certainty": False,
        **options,
    }
    fields = {k: v for k, v in chosen.items() if k not in _BOOLEANS and v is not None}
    fields.update({k: "y" for k in _BOOLEANS if chosen[k]})
    return fields


def open_session(teacher: FlaskClient, set_ref: str | int = "bank", **options: object) -> ClassRun:
    """Open a session through the teacher's form (see `session_fields`); read its join code off the board."""
    path = f"/teacher/sessions/new?set={set_ref}"
    data = {**session_fields(**options), "csrf_token": token(teacher)}
    created = teacher.post(path, data=data)
    assert created.status_code == 302, created.get_data(as_text=True)
    match = re.fullmatch(r"/teacher/sessions/([\w-]+)", created.headers["Location"])
    assert match, created.headers["Location"]
    board = teacher.get(created.headers["Location"])
    assert board.status_code == 200
    code = _CODE.search(board.get_data(as_text=True))
    assert code, "no join code on the projector page"
    return ClassRun(match.group(1), code.group(1).replace(" ", ""))


def join(client: FlaskClient, code: str, name: str) -> TestResponse:
    """POST the join form with this code and name (the response is not checked)."""
    return client.post("/join", data={"csrf_token": token(client), "code": code, "name": name})


def join_student(app: Flask, client: FlaskClient, code: str, name: str) -> Student:
    """Join as `name` (it must succeed) and return the student's place, read from the database."""
    joined = join(client, code, name)
    assert joined.status_code == 302, text_of(joined)
    session_id = joined.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        participant = db.session.scalar(
            db.select(Participant)
            .join(ClassSession, ClassSession.id == Participant.session_id)
            .where(ClassSession.public_id == session_id, Participant.display_name == " ".join(name.split()))
        )
        assert participant is not None, name
        return Student(client, name, session_id, participant.id, participant.attempt.public_id)


def session_row(app: Flask, public_id: str) -> ClassSession:
    """The session as stored now (detached: read its columns only)."""
    with app.app_context():
        session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == public_id))
        assert session is not None
        db.session.expunge(session)
        return session


def where(app: Flask, public_id: str) -> tuple[str, int, str | None]:
    """(state, position, question_state) of the session."""
    row = session_row(app, public_id)
    return row.state, row.position, row.question_state


def question_at(app: Flask, student: Student, position: int) -> Question:
    """The question at `position` of the student's quiz (its key included: for the test's eyes only)."""
    return attempt_slots(app, student.attempt_id)[position - 1].question


def slot_at(app: Flask, student: Student, position: int) -> SlotView:
    """The student's question slot at `position`, with its key and its form's tokens (for the test's eyes)."""
    return attempt_slots(app, student.attempt_id)[position - 1]


def answer(app: Flask, student: Student, how: How = "right", position: int | None = None) -> TestResponse:
    """Send an answer to the session's question `position` (default: the one on the board) from /play."""
    position = position or session_row(app, student.session_id).position
    fields = fields_for(slot_at(app, student, position), how)
    data = {**fields, "position": str(position), "csrf_token": token(student.client)}
    return student.client.post(f"{student.play}/answer", data=data)


def step(teacher: FlaskClient, run: ClassRun, action: str, position: int = 0) -> TestResponse:
    """Press a control button: start, reveal, next or close, with the question number the teacher saw (a close
    is confirmed at once: `confirmed` is what the page that asks first sends)."""
    data = {"csrf_token": token(teacher), "position": str(position), "confirmed": "yes"}
    return teacher.post(f"{run.board}/{action}", data=data)


def stored(app: Flask, student: Student) -> dict[int, float]:
    """The student's stored answers: points per question position."""
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.public_id == student.attempt_id))
        assert attempt is not None
        return {slot.position: slot.response.points for slot in attempt.slots if slot.response is not None}


def session_responses(app: Flask, public_id: str) -> int:
    """How many answers are stored for the whole session."""
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count(Response.id))
            .join(Attempt, Attempt.id == Response.attempt_id)
            .join(ClassSession, ClassSession.id == Attempt.session_id)
            .where(ClassSession.public_id == public_id)
        )


def classroom_state(app: Flask) -> tuple[object, ...]:
    """Everything a classroom POST could change: sessions, participants, answers and flags."""
    with app.app_context():
        sessions = db.session.execute(
            db.select(ClassSession.id, ClassSession.state, ClassSession.position, ClassSession.revision)
        ).all()
        people = db.session.execute(
            db.select(Participant.id, Participant.removed, Participant.name_key, Attempt.state).join(
                Attempt, Attempt.id == Participant.attempt_id
            )
        ).all()
        answers = db.session.execute(db.select(Response.id, Response.given)).all()
        flags = db.session.execute(db.select(QuestionFlag.id)).all()
        return tuple(tuple(map(tuple, rows)) for rows in (sessions, people, answers, flags))


def move_clock(app: Flask, public_id: str, seconds_ago: float) -> None:
    """Pretend the open question (teacher-paced) and the quiz (student-paced) started `seconds_ago` ago."""
    then = utc_now() - timedelta(seconds=seconds_ago)
    with app.app_context():
        session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == public_id))
        assert session is not None
        session.question_opened_at = then if session.question_opened_at else None
        session.started_at = then
        db.session.execute(db.update(Attempt).where(Attempt.session_id == session.id).values(started_at=then))
        db.session.commit()


def flag(student: Student, position: int, comment: str = "Looks wrong"):  # type: ignore[no-untyped-def]
    """Send the flag form of question `position`."""
    data = {"csrf_token": token(student.client), "comment": comment}
    return student.client.post(f"{student.play}/flag/{position}", data=data)


def class_of(app: Flask, client: FlaskClient, questions: int) -> Student:
    """A started teacher-paced session of `questions` questions, and a student in it."""
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher, count=questions)
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "start")
    return ana


def students(app: Flask, run: ClassRun, *names: str) -> list[Student]:
    """A browser per name, each joined to the session."""
    return [join_student(app, app.test_client(), run.code, name) for name in names]


def page_at(client: FlaskClient, path: str, status: int = 200) -> str:
    """GET a page, check its status, and return its HTML with its entities decoded."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return text_of(response)


def started_with(teacher: FlaskClient, app: Flask, **options: object) -> tuple[ClassRun, Student, Student]:
    """A session of 2 single-choice questions (with `options`) that Ana and Ben joined, started."""
    run = open_session(teacher, count=2, types="single_choice", **options)
    ana, ben = students(app, run, "Ana", "Ben")
    step(teacher, run, "start")
    return run, ana, ben
