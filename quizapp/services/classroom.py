"""Classroom sessions: start one, join it, move it through its states, and remove or flag.

The changes of state (start, reveal, next, close) are in session_flow.py.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from quizapp.database import lock_row, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.generation import QuizPlan, QuizSpec, generate_quiz, plan_question
from quizapp.domain.sessions import (
    EXTRA_TIME_KEY,
    MAX_FLAG_COMMENT,
    ExtraTime,
    InvalidName,
    Pacing,
    State,
    clean_display_name,
    extra_time_of,
    is_well_formed_code,
    name_key,
    new_join_code,
    normalise_code,
    student_paced_switch,
)
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Participant,
    QuestionFlag,
    QuestionSet,
    QuestionVersion,
    Teacher,
    utc_now,
)
from quizapp.services import NotFound
from quizapp.services.attempt_views import Mode
from quizapp.services.attempts import PlannedSlot, new_attempt
from quizapp.services.class_play import ParticipantRow
from quizapp.services.idle_sessions import close_idle_sessions, close_if_idle
from quizapp.services.learners import LearnerRow
from quizapp.services.question_sets import asked_questions
from quizapp.services.rate_limits import Limit, take
from quizapp.services.session_flow import bump_revision, hold_session


class JoinRefused(DomainError):
    """The code is wrong or the session does not take new students; the message says which."""


class NameTaken(InvalidName):
    """Someone in the session already has this name."""


class Removed(DomainError):
    """The teacher removed this student from the session."""


MAX_FLAGS = 20  # notes one student may send in one session (one per question at most)
ALREADY_FLAGGED = "You already told your teacher about this question: they have your note."


class FlagRefused(DomainError):
    """This student already flagged the question, or has sent MAX_FLAGS notes; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SessionOptions:
    """How a session runs (see docs/classroom.md)."""

    pacing: Pacing = Pacing.STUDENT
    time_limit: int = 0  # seconds; per question when teacher-paced, for the whole quiz when student-paced
    shuffle: bool = True
    show_answers: bool = True
    late_join: bool = True
    leaderboard: bool = False
    hide_names: bool = False  # on the projector's leaderboard
    hints: bool = False  # student-paced: hints from the text on the quiz pages (services/hints.py)
    certainty: bool = False  # student-paced: certainty-based marking (services/certainty.py)

    def settings(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, Pacing) else v) for k, v in asdict(self).items()}


def _plan(
    question_set: QuestionSet, spec: QuizSpec, shuffle: bool, rng: random.Random
) -> tuple[list[dict[str, Any]], QuizPlan]:
    """The session's questions in order, as stored. Without shuffling: the set's order, choices as written
    (items to order and options to match are still shuffled, or the question would start out solved)."""
    asked = asked_questions(question_set.id)
    version_ids = {question.id: version_id for version_id, question in asked}
    plan = generate_quiz([question for _, question in asked], spec, rng)
    planned = list(plan.questions)
    if not shuffle:
        order = {question.id: n for n, (_, question) in enumerate(asked)}
        planned.sort(key=lambda p: order[p.question.id])
    out = []
    for p in planned:
        keep = not shuffle and p.question.kind.choice_like
        item_order = list(range(len(p.question.items))) if keep else list(p.item_order)
        out.append(
            {
                "version_id": version_ids[p.question.id],
                "item_order": item_order,
                "option_order": list(p.option_order),
            }
        )
    return out, plan


def create_session(
    teacher: Teacher, question_set: QuestionSet, spec: QuizSpec, options: SessionOptions, title: str = ""
) -> tuple[ClassSession, QuizPlan]:
    """A new session in the lobby with a fresh join code, and the plan its questions come from (its
    `shortfall` and `left_out` say how many it lacks, and why). Raises NoMatchingQuestions when nothing
    matches."""
    seed = secrets.randbits(31)
    plan, quiz = _plan(question_set, spec, options.shuffle, random.Random(seed))
    for _ in range(20):
        try:
            with write_transaction():
                session = ClassSession(
                    public_id=secrets.token_urlsafe(12),
                    owner_id=teacher.id,
                    set_id=question_set.id,
                    title=(title.strip() or question_set.title)[:300],
                    join_code=new_join_code(random.SystemRandom()),
                    pacing=options.pacing.value,
                    settings=options.settings(),
                    seed=seed,
                    plan=plan,
                )
                db.session.add(session)
            return session, quiz
        except IntegrityError:  # the code is in use by an open session: draw another
            continue
    raise RuntimeError("Could not find a free join code")  # 31**6 codes: only if the table is nearly full


def owned_session(teacher: Teacher, public_id: str) -> ClassSession:
    """The teacher's session (closed first if it was left idle for SESSION_IDLE_HOURS); NotFound for anyone
    else's."""
    session = db.session.scalar(db.select(ClassSession).where(ClassSession.public_id == public_id))
    if session is None or session.owner_id != teacher.id:
        raise NotFound(public_id)
    close_if_idle(session)
    return session


def teacher_sessions(teacher: Teacher, limit: int = 50) -> list[ClassSession]:
    """The teacher's sessions, newest first (those left idle for SESSION_IDLE_HOURS closed first)."""
    close_idle_sessions(teacher.id)
    return list(
        db.session.scalars(
            db.select(ClassSession)
            .where(ClassSession.owner_id == teacher.id)
            .order_by(ClassSession.created_at.desc(), ClassSession.id.desc())
            .limit(limit)
        )
    )


def find_session_to_join(text: str, address: str) -> ClassSession:
    """The open session with this join code; JoinRefused or RateLimited otherwise.

    Wrong codes are counted per address (in the database, so across server workers): past the limit, a wrong
    code is refused with RateLimited for a while. A right code always gets in: a class behind one school
    address must not be shut out by the typing mistakes of a few.
    """
    try:
        return session_by_code(text)
    except JoinRefused:
        take([(f"join:address:{address}", Limit.parse(current_app.config["JOIN_LIMIT"]))])
        raise


def session_by_code(text: str) -> ClassSession:
    """The open session with this join code; JoinRefused (plain words) otherwise."""
    code = normalise_code(text)
    if not is_well_formed_code(code):
        raise JoinRefused("A join code has 6 letters and digits, like K7P3QM. Check the code on the board.")
    session = db.session.scalar(
        db.select(ClassSession).where(ClassSession.join_code == code, ClassSession.state != State.CLOSED)
    )
    if session is None:
        raise JoinRefused("No open session has this code. Check the code on the board, or ask your teacher.")
    return session


def participant_for(session: ClassSession, learner: LearnerRow | None) -> Participant | None:
    """This browser's place in the session, if it joined."""
    if learner is None:
        return None
    return db.session.scalar(
        db.select(Participant).where(
            Participant.session_id == session.id, Participant.learner_id == learner.id
        )
    )


def _slots_for(session: ClassSession, seed: int) -> list[PlannedSlot]:
    """A student's questions: the session's plan, reshuffled for them when the session shuffles.

    Teacher-paced sessions keep the question order (everyone is on the same question) and shuffle choices.
    """
    slots = [PlannedSlot(p["version_id"], p["item_order"], p["option_order"]) for p in session.plan]
    if not session.settings.get("shuffle"):
        return slots
    rng = random.Random(seed)
    versions = {
        v.id: v
        for v in db.session.scalars(
            db.select(QuestionVersion).where(QuestionVersion.id.in_([s.version_id for s in slots]))
        )
    }
    if session.pacing == Pacing.STUDENT:
        rng.shuffle(slots)
    reshuffled = []
    for slot in slots:
        planned = plan_question(versions[slot.version_id].to_domain(), rng)
        reshuffled.append(PlannedSlot(slot.version_id, planned.item_order, planned.option_order))
    return reshuffled


def join_session(session: ClassSession, learner: LearnerRow, name: str) -> Participant:
    """Put this browser's learner in the session as `name`; a browser that joined before gets its place back.

    Raises InvalidName / NameTaken (ask for another name), JoinRefused (closed, or started and late joining is
    off), or Removed.
    """
    existing = participant_for(session, learner)
    if existing is not None:
        if existing.removed:
            raise Removed("Your teacher removed you from this session.")
        return existing
    display = clean_display_name(name)
    seed = secrets.randbits(31)
    slots = _slots_for(session, seed)
    settings = {
        "session": session.public_id,
        "session_title": session.title,
        "pacing": session.pacing,
        "time_limit": int(session.settings.get("time_limit", 0)),
        "show_answers": bool(session.settings.get("show_answers", True)),
        "hints": student_paced_switch(session.pacing, session.settings, "hints"),
        "certainty": student_paced_switch(session.pacing, session.settings, "certainty"),
    }
    try:
        with write_transaction():
            # On PostgreSQL: the session's gate shared (no join while it starts or closes, so the state read
            # below holds until the commit); two joins at once that take one name, or two clicks of one
            # browser, meet on the unique constraints (below).
            hold_session(session.id, shared=True)
            again = participant_for(session, learner)
            if again is not None:  # the same browser joined a moment ago (a double click): its place
                if again.removed:
                    raise Removed("Your teacher removed you from this session.")
                return again
            state = db.session.scalar(db.select(ClassSession.state).where(ClassSession.id == session.id))
            if state == State.CLOSED:
                raise JoinRefused("This session is closed.")
            if state == State.RUNNING and not session.settings.get("late_join", True):
                raise JoinRefused("This session has already started and does not take late arrivals.")
            key = name_key(display)
            taken = db.session.scalar(
                db.select(Participant.id).where(
                    Participant.session_id == session.id, Participant.name_key == key
                )
            )
            if taken is not None:
                raise NameTaken(f"Someone here is already called “{display}”. Add an initial or a number.")
            attempt = new_attempt(learner.id, session.set_id, slots, Mode.TEST, settings, seed, session.id)
            participant = Participant(
                session_id=session.id,
                learner_id=learner.id,
                display_name=display,
                name_key=key,
                attempt=attempt,
            )
            db.session.add_all([attempt, participant])  # the teacher's stamp counts the students
    except IntegrityError as exc:  # PostgreSQL: a join at that moment took the name, or was this browser's
        again = participant_for(session, learner)
        if again is None:
            taken = f"Someone here is already called “{display}”. Add an initial or a number."
            raise NameTaken(taken) from exc
        if again.removed:
            raise Removed("Your teacher removed you from this session.") from exc
        return again
    return participant


def remove_participant(session: ClassSession, participant_id: int) -> Participant:
    """Take a student out of the session (their name is freed; their answers leave the reports)."""
    with write_transaction():
        hold_session(session.id)  # before the attempt: PostgreSQL's lock order (database.py)
        participant = db.session.get(Participant, participant_id)
        if participant is None or participant.session_id != session.id or participant.removed:
            raise NotFound(f"participant {participant_id}")
        participant.removed = True
        participant.name_key = f"#removed-{participant.id}"
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == participant.attempt_id)
            .values(state="abandoned", finished_at=utc_now())
        )
        bump_revision(session.id)
    return participant


def set_extra_time(session: ClassSession, participant_id: int, extra_time: ExtraTime) -> Participant:
    """Give a student of the session (not removed) extra time: their time limit multiplied, or none at all
    (kept in their attempt's settings, where the answer path already reads them). NotFound for anyone else."""
    with write_transaction():
        hold_session(session.id)  # before the attempt: PostgreSQL's lock order (database.py)
        participant = session_participant(session, participant_id)
        if participant.removed:
            raise NotFound(f"participant {participant_id}")
        lock_row(Attempt, participant.attempt_id)
        attempt = db.session.get_one(Attempt, participant.attempt_id)
        settings = {k: v for k, v in attempt.settings.items() if k != EXTRA_TIME_KEY}
        if extra_time is not ExtraTime.NONE:
            settings[EXTRA_TIME_KEY] = extra_time.value
        attempt.settings = settings
        bump_revision(session.id)  # the teacher's pages show it
    return participant


def extra_time_for(participant: Participant) -> ExtraTime:
    """A student's extra time in their session (one query)."""
    settings = db.session.scalar(db.select(Attempt.settings).where(Attempt.id == participant.attempt_id))
    return extra_time_of(settings or {})


def session_participant(session: ClassSession, participant_id: int) -> Participant:
    """A student of the session (removed or not); NotFound for anyone else."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.session_id != session.id:
        raise NotFound(f"participant {participant_id}")
    return participant


def removed_participants(session: ClassSession) -> list[Participant]:
    """The students the teacher removed from the session, in the order they joined."""
    return list(
        db.session.scalars(
            db.select(Participant)
            .where(Participant.session_id == session.id, Participant.removed.is_(True))
            .order_by(Participant.id)
        )
    )


def readmit_participant(session: ClassSession, participant_id: int) -> Participant:
    """Let a removed student back in, with their answers, while the session is open: their browser finds its
    place again. NotFound if they are not removed; JoinRefused (plain words) when the session is closed or
    someone else took their name meanwhile."""
    with write_transaction():
        hold_session(session.id)  # no join takes the name while it is checked (PostgreSQL)
        participant = session_participant(session, participant_id)
        if not participant.removed:
            raise NotFound(f"participant {participant_id}")
        state = db.session.scalar(db.select(ClassSession.state).where(ClassSession.id == session.id))
        if state == State.CLOSED:
            raise JoinRefused("The session is closed: nobody can come back into it.")
        key = name_key(participant.display_name)
        taken = db.session.scalar(
            db.select(Participant.id).where(Participant.session_id == session.id, Participant.name_key == key)
        )
        if taken is not None:
            raise JoinRefused(f"Someone else now uses the name “{participant.display_name}”.")
        participant.removed = False
        participant.name_key = key
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == participant.attempt_id, Attempt.state == "abandoned")
            .values(state="in_progress", finished_at=None)
        )
        bump_revision(session.id)
    return participant


def flag_question(participant: Participant | ParticipantRow, position: int, comment: str) -> QuestionFlag:
    """A student's 'this looks wrong' on question `position` of their quiz, with a short comment.

    One note per question and MAX_FLAGS per session from each student (beyond: FlagRefused, nothing written).
    Reads only the participant's ids, so the play pages' read model (class_play.ParticipantRow) will do.
    """
    row = db.session.execute(
        db.select(QuestionVersion.id, QuestionVersion.question_id)
        .join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
        .where(AttemptQuestion.attempt_id == participant.attempt_id, AttemptQuestion.position == position)
    ).first()
    if row is None:
        raise NotFound(f"question {position}")
    try:
        # Two quick clicks are counted one after the other: IMMEDIATE on SQLite, the participant's row
        # locked on PostgreSQL (the unique index on participant and question is the last word).
        with write_transaction():
            lock_row(Participant, participant.id)
            _check_flag_allowed(participant.id, row.question_id)
            flag = QuestionFlag(
                question_id=row.question_id,
                question_version_id=row.id,
                session_id=participant.session_id,
                participant_id=participant.id,
                comment=" ".join(comment.split())[:MAX_FLAG_COMMENT],
            )
            db.session.add(flag)
    except IntegrityError as exc:
        raise FlagRefused(ALREADY_FLAGGED, 409) from exc
    return flag


def _check_flag_allowed(participant_id: int, question_id: int) -> None:
    """FlagRefused when the student already flagged this question or has used up their notes."""
    sent, this_question = db.session.execute(
        db.select(
            db.func.count(QuestionFlag.id),
            db.func.count(QuestionFlag.id).filter(QuestionFlag.question_id == question_id),
        ).where(QuestionFlag.participant_id == participant_id)
    ).one()
    if this_question:
        raise FlagRefused(ALREADY_FLAGGED, 409)
    if sent >= MAX_FLAGS:
        raise FlagRefused(f"You have sent {MAX_FLAGS} notes in this session, the most one student can.", 429)
