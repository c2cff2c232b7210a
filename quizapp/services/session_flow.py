"""A session's life: lobby -> running -> closed, and, teacher-paced, the question on the board.

Every change of state is one conditional UPDATE (`... WHERE state = ... AND position = ...`) that also adds
one to `revision`, so two clicks or two teachers' tabs cannot skip a question, and every server worker sees
the change. The stamps tell the live pages, cheaply, when they should update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from quizapp.database import lock_key, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.sessions import (
    EXTRA_TIME_KEY,
    ExtraTime,
    Pacing,
    QuestionState,
    SessionClock,
    State,
    still_has_time,
)
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Participant,
    Response,
    utc_now,
)
from quizapp.services.stamp_cache import stamp_cache

if TYPE_CHECKING:  # read models the play and quiz pages pass
    from quizapp.services.attempt_views import AttemptRow
    from quizapp.services.class_play import SessionRow


def bump_revision(session_id: int) -> None:
    """Tell the live pages something changed (a join, a removal) without a change of state."""
    db.session.execute(
        update(ClassSession).where(ClassSession.id == session_id).values(revision=ClassSession.revision + 1)
    )


def hold_session(session_id: int, shared: bool = False) -> None:
    """In a write transaction, on PostgreSQL: the class session's gate, held until the commit. Answers and
    joins hold it shared (any number at once); a change of state and a teacher's removal or readmission of a
    student hold it alone, so they wait for the answers and joins being saved, and those for them. Taken
    before any row lock (the lock order of quizapp/database.py). Nothing on SQLite (one writer at a time)."""
    lock_key(f"class-session:{session_id}", shared=shared)


def _transition(session: ClassSession, where: list[Any], values: dict[str, Any]) -> bool:
    """One conditional UPDATE of the session, behind its gate; True when it applied (False: someone else
    moved it first)."""
    hold_session(session.id)
    result = db.session.execute(
        update(ClassSession)
        .where(ClassSession.id == session.id, *where)
        .values(revision=ClassSession.revision + 1, **values)
    )
    return result.rowcount == 1


def _told(session: ClassSession, moved: bool) -> bool:
    """After a committed change of state: this worker's phones see it at their next poll."""
    if moved:
        stamp_cache().forget(session.public_id)
    return moved


def start_session(session: ClassSession) -> bool:
    """lobby -> running (teacher-paced: with question 1 open). False when it was not in the lobby."""
    now = utc_now()
    values: dict[str, Any] = {"state": State.RUNNING.value, "started_at": now}
    if session.pacing == Pacing.TEACHER:
        values.update(position=1, question_state=QuestionState.OPEN.value, question_opened_at=now)
    with write_transaction():
        started = _transition(session, [ClassSession.state == State.LOBBY], values)
        if started:  # a time limit counts from the start, not from when each student joined
            db.session.execute(
                update(Attempt)
                .where(Attempt.session_id == session.id, Attempt.state == "in_progress")
                .values(started_at=now)
            )
    return _told(session, started)


class QuestionHeld(DomainError):
    """Teacher-paced: students with extra time are still answering the open question."""


@dataclass(frozen=True)
class StillAnswering:
    """A student with extra time who has not answered the open question and whose own time still runs."""

    participant_id: int
    name: str
    extra_time: ExtraTime
    seconds_left: int | None  # None: no time limit for them


def still_answering(session: ClassSession, now: datetime | None = None) -> list[StillAnswering]:
    """Teacher-paced, a timed question open: the students with extra time whose own time still runs and who
    have not answered it (one query; none otherwise). Revealing the answer or moving on waits for them."""
    if (
        session.pacing != Pacing.TEACHER
        or session.state != State.RUNNING
        or session.question_state != QuestionState.OPEN
        or not int(session.settings.get("time_limit", 0))
    ):
        return []
    answered = (
        select(Response.id)
        .join(AttemptQuestion, AttemptQuestion.id == Response.slot_id)
        .where(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position == session.position)
        .exists()
    )
    extra = Attempt.settings[EXTRA_TIME_KEY].as_string()
    rows = db.session.execute(
        select(Participant.id, Participant.display_name, extra.label("extra"))
        .join(Attempt, Attempt.id == Participant.attempt_id)
        .where(
            Participant.session_id == session.id,
            Participant.removed.is_(False),
            Attempt.state == "in_progress",
            extra.in_([e.value for e in ExtraTime if e is not ExtraTime.NONE]),
            ~answered,
        )
        .order_by(Participant.joined_at, Participant.id)
    ).all()
    now = now or utc_now()
    found = []
    for row in rows:
        clock = session_clock_of(session, ExtraTime(row.extra))
        if still_has_time(clock, now):
            found.append(StillAnswering(row.id, row.display_name, clock.extra_time, clock.seconds_left(now)))
    return found


def session_clock_of(session: ClassSession, extra_time: ExtraTime = ExtraTime.NONE) -> SessionClock:
    """The session's clock for a student with this extra time (the teacher's pages: none); student-paced,
    counted from the session's start."""
    return SessionClock(
        session.state,
        session.pacing,
        session.position,
        session.question_state,
        session.question_opened_at,
        session.started_at or utc_now(),
        int(session.settings.get("time_limit", 0)),
        extra_time,
    )


def _check_not_held(session: ClassSession, position: int, anyway: bool) -> None:
    """Raise QuestionHeld while students with extra time still answer question `position` (on the board),
    unless the teacher chose to go on `anyway` (their time ends now). Behind the session's gate (PostgreSQL):
    no answer is being saved while it counts."""
    hold_session(session.id)
    if anyway or session.position != position:
        return
    waiting = still_answering(session)
    if not waiting:
        return
    left = [w.seconds_left for w in waiting if w.seconds_left is not None]
    if len(left) < len(waiting):
        until = "until they answer"
    elif max(left) < 10:  # their last seconds, or the grace after them
        until = "a few seconds at most"
    else:
        until = f"{max(left) // 60}:{max(left) % 60:02d} at most"
    who = (
        f"{len(waiting)} student with extra time is"
        if len(waiting) == 1
        else f"{len(waiting)} students with extra time are"
    )
    raise QuestionHeld(
        f"{who} still answering ({until}): the answer can be shown once they have answered or their time "
        "is up. The live results page lists them; it can also change their extra time. To go on now, "
        "choose “anyway” below: their time ends at once."
    )


def reveal_question(session: ClassSession, position: int, anyway: bool = False) -> bool:
    """Teacher-paced: stop answers to question `position` and show its answer. Raises QuestionHeld while a
    student with extra time still answers it (their time still runs), unless `anyway`."""
    with write_transaction():
        _check_not_held(session, position, anyway)
        revealed = _transition(
            session,
            [
                ClassSession.state == State.RUNNING,
                ClassSession.position == position,
                ClassSession.question_state == QuestionState.OPEN,
            ],
            {"question_state": QuestionState.REVEALED.value},
        )
    return _told(session, revealed)


def next_question(session: ClassSession, position: int, anyway: bool = False) -> bool:
    """Teacher-paced: from question `position` (open or revealed) to the next one, open for answers. Raises
    QuestionHeld while the question is open and a student with extra time still answers it, unless
    `anyway`."""
    if position >= len(session.plan):
        return False
    with write_transaction():
        _check_not_held(session, position, anyway)
        moved = _transition(
            session,
            [ClassSession.state == State.RUNNING, ClassSession.position == position],
            {
                "position": position + 1,
                "question_state": QuestionState.OPEN.value,
                "question_opened_at": utc_now(),
            },
        )
    return _told(session, moved)


def close_session(session: ClassSession, idle_hours: int = 0) -> bool:
    """-> closed: no more answers; every student's attempt is finished and scored. False if already closed.

    `idle_hours`: closed by the app after that many hours without activity (kept in the settings, so the
    teacher's list can say so)."""
    total = (
        db.select(func.coalesce(func.sum(Response.points), 0.0))
        .where(Response.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    with write_transaction():
        # The time is read once the write lock is held (on PostgreSQL, the session's gate: answers being
        # saved hold it shared, so it waits for them): every answer saved before the close has an earlier
        # answered_at (answers read theirs under the same gate), so "answered after closed_at" means refused.
        hold_session(session.id)
        now = utc_now()
        change: dict[str, Any] = {"state": "closed", "closed_at": now}
        if idle_hours:
            change["settings"] = {**session.settings, "closed_idle_hours": idle_hours}
        closed = _transition(session, [ClassSession.state != State.CLOSED], change)
        if closed:
            values: dict[str, Any] = {"state": "finished", "finished_at": now, "score": total}
            if session.pacing == Pacing.TEACHER:  # ended early: scored out of the questions asked
                row = db.select(ClassSession.position).where(ClassSession.id == session.id)
                asked = db.session.scalar(row)
                values["max_score"] = float(asked or 0)
            db.session.execute(
                update(Attempt)
                .where(Attempt.session_id == session.id, Attempt.state == "in_progress")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
    return _told(session, closed)


def teacher_stamp(session: ClassSession) -> str:
    """Changes whenever the teacher's pages would: a change of state, a join or a removal, or a new or changed
    answer (of the students still in the session: the live view makes the same stamp from what it reads)."""

    def of_the_session(aggregate: Any) -> Any:
        return (
            db.select(aggregate)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(Attempt.session_id == session.id, Attempt.state != "abandoned")
            .scalar_subquery()
        )

    joined = (
        db.select(func.count(Participant.id))
        .where(Participant.session_id == session.id, Participant.removed.is_(False))
        .scalar_subquery()
    )
    revision, students, count, latest = db.session.execute(  # one statement: the live page is read every 2 s
        db.select(
            ClassSession.revision,
            joined,
            of_the_session(func.count(Response.id)),
            of_the_session(func.max(Response.answered_at)),
        ).where(ClassSession.id == session.id)
    ).one()
    return teacher_stamp_of(revision, students, count, latest)


def teacher_stamp_of(revision: int, students: int, answers: int, latest: datetime | None) -> str:
    """The teacher's stamp from the session's revision, the students in it (a join changes no revision: a
    class joins side by side, not queueing on the session's row), its answers and the latest one's time."""
    return f"{revision}.{students}.{answers}.{latest or ''}"


def student_stamp(public_id: str) -> str | None:
    """Changes only when a student's page would: the session starts, moves on, reveals or closes.

    Read through this worker's cache: a whole class keeps asking for it (web/student_stamps.py).
    """
    return stamp_cache().get(public_id)


def review_allowed(attempt: Attempt | AttemptRow) -> bool:
    """Whether a student may see the answers and explanations of a session's quiz: allowed, and closed."""
    if attempt.session_id is None:
        return True
    state = db.session.scalar(db.select(ClassSession.state).where(ClassSession.id == attempt.session_id))
    return bool(attempt.settings.get("show_answers", True)) and state == State.CLOSED


def seconds_left(session: ClassSession | SessionRow, extra_time: ExtraTime = ExtraTime.NONE) -> int | None:
    """Teacher-paced: the seconds left to answer the open question (None without a time limit), for a
    student with this extra time."""
    limit = extra_time.extend(int(session.settings.get("time_limit", 0)))
    if not limit or session.pacing != Pacing.TEACHER or session.question_state != QuestionState.OPEN:
        return None
    opened = session.question_opened_at or utc_now()
    return max(0, limit - int((utc_now() - opened).total_seconds()))
