"""Attempts: start a quiz, save answers, finish."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from quizapp.database import lock_row, read, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.answers import NoAnswer, answer_to_json, parse_answer
from quizapp.domain.generation import QuizPlan, QuizSpec, generate_quiz
from quizapp.domain.scoring import score_response
from quizapp.domain.sessions import SessionClock, check_answer_allowed, extra_time_of
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Response,
    utc_now,
)
from quizapp.services.attempt_views import AttemptRow, AttemptView, Mode
from quizapp.services.certainty import certainty_from_form
from quizapp.services.hints import points_after_hints
from quizapp.services.learners import LearnerRow
from quizapp.services.question_sets import asked_questions, get_set
from quizapp.services.session_flow import hold_session


class AttemptClosed(DomainError):
    """The attempt is finished: its answers can no longer change."""


class AlreadyAnswered(DomainError):
    """In practice mode an answer is final once its feedback has been shown."""


def spec_to_settings(spec: QuizSpec) -> dict[str, Any]:
    """The quiz settings as stored with the attempt."""
    return {
        "count": spec.count,
        "topics": sorted(spec.topics),
        "difficulties": sorted(spec.difficulties),
        "types": sorted(t.value for t in spec.types),
        "question_ids": sorted(spec.question_ids),
    }


def start_attempt(
    learner: LearnerRow,
    spec: QuizSpec,
    mode: Mode,
    set_slug: str,
    seed: int | None = None,
    student_name: str | None = None,
    owner_try: bool = False,
) -> tuple[Attempt, QuizPlan]:
    """Generate a quiz from set `set_slug` and open an attempt at it; returns it and its plan (whose
    `shortfall` and `left_out` say how many questions it lacks, and why). `student_name` (a share link that
    asks for one) is kept in the attempt's settings, and so is `owner_try`: the set's owner trying their own
    share link (not homework: report_loading.homework_attempts leaves it out).

    Raises NoMatchingQuestions when nothing fits the spec.
    """
    question_set = get_set(set_slug)
    asked = asked_questions(question_set.id)
    version_ids = {question.id: version_id for version_id, question in asked}
    seed = secrets.randbits(31) if seed is None else seed
    plan = generate_quiz([question for _, question in asked], spec, random.Random(seed))
    slots = [PlannedSlot(version_ids[p.question.id], p.item_order, p.option_order) for p in plan.questions]
    with write_transaction():
        settings = spec_to_settings(spec) | ({"student_name": student_name} if student_name else {})
        settings |= {"owner_try": True} if owner_try else {}
        attempt = new_attempt(learner.id, question_set.id, slots, mode, settings, seed)
        db.session.add(attempt)
    return attempt, plan


@dataclass(frozen=True)
class PlannedSlot:
    """A question version in its place, with the order its choices, items or options are shown in."""

    version_id: int
    item_order: Sequence[int] = ()
    option_order: Sequence[int] = ()


def new_attempt(
    learner_id: int,
    set_id: int,
    slots: Sequence[PlannedSlot],
    mode: Mode,
    settings: dict[str, Any],
    seed: int,
    session_id: int | None = None,
) -> Attempt:
    """An attempt at these questions in this order (not yet added to the database session)."""
    attempt = Attempt(
        public_id=secrets.token_urlsafe(12),
        learner_id=learner_id,
        set_id=set_id,
        mode=mode.value,
        settings=settings,
        seed=seed,
        max_score=float(len(slots)),
        question_count=len(slots),
        session_id=session_id,
    )
    attempt.slots = [
        AttemptQuestion(
            position=n,
            question_version_id=slot.version_id,
            item_order=list(slot.item_order),
            option_order=list(slot.option_order),
        )
        for n, slot in enumerate(slots, start=1)
    ]
    return attempt


# In save_answer's write transaction: the attempt's state, its row held until the end as `lock_row` would
# hold it (one round trip instead of two; SQLite has no FOR UPDATE and needs none), and the answer already
# given to a slot (its id), with the share of its points the hints taken left (services/hints.py).
_STATE = select(Attempt.state).where(Attempt.id == bindparam("attempt_id")).with_for_update(key_share=True)
_RESPONSE = (
    select(Response.id, AttemptQuestion.hint_share)
    .select_from(AttemptQuestion)
    .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
    .where(AttemptQuestion.id == bindparam("slot_id"))
)


def save_answer(view: AttemptView, position: int, form: Mapping[str, Sequence[str]]) -> bool:
    """Score and store the answer the form gives to question `position`; False when it was left empty. A type
    a teacher marks (an essay) is stored without points, awaiting marking (a new answer clears an old mark).

    Raises InvalidAnswer (nothing stored), AttemptClosed, or AlreadyAnswered (practice mode).
    """
    slot = view.slot(position)
    try:
        given = parse_answer(slot.question, form, slot.tokens)
    except NoAnswer:
        return False
    certainty = certainty_from_form(view, slot, form)  # CBM (raises InvalidAnswer); None when not asked
    auto_scored = slot.question.kind.auto_scored
    points = score_response(slot.question, given) if auto_scored else None
    session_id = view.attempt.session_id  # an attempt never changes session
    with write_transaction():
        # On PostgreSQL: the session's gate shared (a close or a reveal waits for the answers being saved, and
        # they for it), then the attempt (one answer of a student at a time: two clicks make one response).
        if session_id is not None:
            hold_session(session_id, shared=True)
        # The attempt's state, and held (PostgreSQL); in a class session with the session's clock, which
        # cannot change while its gate is held (one round trip instead of two).
        state_read = _STATE if session_id is None else _STATE_AND_CLOCK
        row = read(state_read, {"attempt_id": view.attempt.id}).first()
        if row is None or row.state != "in_progress":  # None: deleted meanwhile (with its session)
            raise AttemptClosed("This quiz is finished: its answers can no longer be changed.")
        if session_id is not None:  # a classroom session's rules: raises AnswerRefused, nothing stored
            check_answer_allowed(clock_of(row, view.attempt), position, utc_now())
        response_id, hint_share = read(_RESPONSE, {"slot_id": slot.slot_id}).one()
        if response_id is not None and view.attempt.mode == Mode.PRACTICE:
            raise AlreadyAnswered("You have already answered this question.")
        if hint_share < 1.0 and points is not None:  # hints taken (practice): as read here, not on the page
            points = points_after_hints(points, hint_share)
        answer = {
            "question_version_id": slot.version_id,
            "given": answer_to_json(given),
            "points": points,
            "answered_at": utc_now(),
            "certainty": certainty,
        }
        if not auto_scored:  # a new answer clears an old mark
            answer |= {"comment": None, "marked_at": None, "marked_by": None}
        if response_id is None:
            write = insert(Response).values(slot_id=slot.slot_id, attempt_id=view.attempt.id, **answer)
        else:
            write = update(Response).where(Response.id == response_id).values(**answer)
        db.session.connection().execute(write)
        if not auto_scored:
            count_unmarked(view.attempt.id)
    return True


def count_unmarked(attempt_id: int) -> None:
    """Store how many of the attempt's answers await a teacher's mark (in the caller's write transaction)."""
    waiting = (
        select(func.count(Response.id))
        .where(Response.attempt_id == attempt_id, Response.points.is_(None))
        .scalar_subquery()
    )
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(unmarked=waiting))


def mark_for_review(view: AttemptView, position: int, marked: bool) -> None:
    """Mark (or unmark) question `position` of an attempt in progress to check again before finishing; a
    finished attempt keeps its marks. Writes only when the mark changes."""
    slot = view.slot(position)
    if slot.marked == marked or view.finished:
        return
    in_progress = select(Attempt.id).where(Attempt.id == view.attempt.id, Attempt.state == "in_progress")
    with write_transaction():
        db.session.execute(
            update(AttemptQuestion)
            .where(AttemptQuestion.id == slot.slot_id, AttemptQuestion.attempt_id.in_(in_progress))
            .values(marked=marked)
        )


_CLOCK = select(
    ClassSession.state.label("session_state"),
    ClassSession.pacing,
    ClassSession.position,
    ClassSession.question_state,
    ClassSession.question_opened_at,
    ClassSession.settings,
).where(ClassSession.id == bindparam("session_id"))


# save_answer's read of the attempt's state (held as _STATE holds it) with its class session's clock.
_STATE_AND_CLOCK = (
    select(Attempt.state, *_CLOCK.selected_columns)
    .join(ClassSession, ClassSession.id == Attempt.session_id)
    .where(Attempt.id == bindparam("attempt_id"))
    .with_for_update(key_share=True, of=Attempt)
)


def session_clock(session_id: int, attempt: Attempt | AttemptRow) -> SessionClock:
    """The state of the classroom session `attempt` belongs to, as its answer rules need it (one query; the
    student's extra time comes from the attempt's settings, already read with it)."""
    return clock_of(read(_CLOCK, {"session_id": session_id}).one(), attempt)


def clock_of(row: Any, attempt: Attempt | AttemptRow) -> SessionClock:
    """The SessionClock of a row holding _CLOCK's columns."""
    return SessionClock(
        state=row.session_state,
        pacing=row.pacing,
        position=row.position,
        question_state=row.question_state,
        question_opened_at=row.question_opened_at,
        attempt_started_at=attempt.started_at,
        time_limit=int(row.settings.get("time_limit", 0)),
        extra_time=extra_time_of(attempt.settings),
    )


def attempt_seconds_left(attempt: Attempt | AttemptRow) -> int | None:
    """A timed class quiz's seconds left (student-paced: the limit is for the whole quiz, with the student's
    extra time), else None."""
    limit = extra_time_of(attempt.settings).extend(int(attempt.settings.get("time_limit", 0) or 0))
    if not limit or attempt.settings.get("pacing") != "student" or attempt.state != "in_progress":
        return None
    return max(0, limit - int((utc_now() - attempt.started_at).total_seconds()))


def finish_attempt(attempt: Attempt | AttemptRow) -> bool:
    """Close the attempt and record its score (sum of the points stored, answers awaiting marking counting
    nothing yet: marking adds theirs); False if it was already closed."""
    total = (
        db.select(func.coalesce(func.sum(Response.points), 0.0))
        .where(Response.attempt_id == attempt.id)
        .scalar_subquery()
    )
    with write_transaction():
        # On PostgreSQL the UPDATE's sum would miss an answer committed while it waited for the row: wait
        # for the row first, then sum.
        lock_row(Attempt, attempt.id)
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.state == "in_progress")
            .values(state="finished", finished_at=utc_now(), score=total)
        )
    return result.rowcount == 1
