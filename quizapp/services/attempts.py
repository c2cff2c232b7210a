"""Attempts: start a quiz, save answers, finish, and read results and history back."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import selectinload

from quizapp.database import write_transaction
from quizapp.domain import DomainError
from quizapp.domain.answers import NoAnswer, answer_from_json, answer_to_json, parse_answer
from quizapp.domain.article import Article
from quizapp.domain.generation import QuizSpec, generate_quiz
from quizapp.domain.questions import Answer
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct, score_response
from quizapp.domain.sessions import SessionClock, check_answer_allowed
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Learner,
    QuestionSet,
    QuestionVersion,
    Response,
    utc_now,
)
from quizapp.prepared import Prepared, columns_of, copy_of, transient
from quizapp.services import NotFound
from quizapp.services.question_sets import current_questions, get_set, set_article


class Mode(StrEnum):
    """Practice shows feedback after each question; test only at the end."""

    PRACTICE = "practice"
    TEST = "test"


class AttemptClosed(DomainError):
    """The attempt is finished: its answers can no longer change."""


class AlreadyAnswered(DomainError):
    """In practice mode an answer is final once its feedback has been shown."""


@dataclass(frozen=True)
class SlotView:
    """One question of an attempt as the learner meets it, with their answer if they gave one."""

    position: int
    slot_id: int
    version_id: int
    question: DomainQuestion
    item_order: tuple[int, ...]
    option_order: tuple[int, ...]
    given: Answer | None
    points: float | None
    source_anchor: str | None

    @property
    def answered(self) -> bool:
        return self.given is not None

    @property
    def correct(self) -> bool:
        return self.points is not None and is_correct(self.points)


@dataclass(frozen=True)
class AttemptView:
    """An attempt with every question and response loaded (a fixed number of queries)."""

    attempt: Attempt
    slots: tuple[SlotView, ...]

    @property
    def finished(self) -> bool:
        return self.attempt.state != "in_progress"

    @property
    def unanswered(self) -> list[int]:
        return [s.position for s in self.slots if not s.answered]

    @property
    def percent(self) -> int:
        return percent(self.attempt.score or 0.0, self.attempt.max_score)

    def slot(self, position: int) -> SlotView:
        """The question at `position` (1-based), or NotFound."""
        if 1 <= position <= len(self.slots) and self.slots[position - 1].position == position:
            return self.slots[position - 1]
        for slot in self.slots:  # a view loaded with only some of its questions
            if slot.position == position:
                return slot
        raise NotFound(f"question {position}")

    def reveals(self, slot: SlotView) -> bool:
        """Whether the key of `slot` may be shown: after the attempt, or once answered in practice."""
        return self.finished or (self.attempt.mode == Mode.PRACTICE and slot.answered)


def percent(score: float, max_score: float) -> int:
    """A score as a whole percentage (0 when there is nothing to score)."""
    return round(100 * score / max_score) if max_score else 0


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
    learner: Learner, spec: QuizSpec, mode: Mode, set_slug: str, seed: int | None = None
) -> tuple[Attempt, int]:
    """Generate a quiz from set `set_slug` and open an attempt at it; returns it and the shortfall.

    Raises NoMatchingQuestions when nothing fits the spec.
    """
    question_set = get_set(set_slug)
    versions = {version.content["id"]: version for _, version in current_questions(question_set)}
    seed = secrets.randbits(31) if seed is None else seed
    plan = generate_quiz([v.to_domain() for v in versions.values()], spec, random.Random(seed))
    slots = [PlannedSlot(versions[p.question.id].id, p.item_order, p.option_order) for p in plan.questions]
    with write_transaction():
        attempt = new_attempt(learner.id, question_set.id, slots, mode, spec_to_settings(spec), seed)
        db.session.add(attempt)
    return attempt, plan.shortfall


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


def _attempt_statement() -> Select[Any]:
    """An attempt by public id and learner, its set, and each question with its answer: one row a slot."""
    return (
        select(
            *columns_of(Attempt, "a"),
            *columns_of(QuestionSet, "set", _SET_COLUMNS),
            *slot_columns(),
        )
        .join(QuestionSet, QuestionSet.id == Attempt.set_id)
        .outerjoin(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .outerjoin(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
        .where(Attempt.public_id == bindparam("public_id"), Attempt.learner_id == bindparam("learner_id"))
        .order_by(AttemptQuestion.position)
    )


_SET_COLUMNS = ("id", "slug", "title", "source_text", "is_builtin", "owner_id", "share_token")
_ATTEMPT = Prepared(_attempt_statement)


def slot_columns() -> list[Any]:
    """What `slot_from_row` reads, to select beside a slot's joins: the slot (labelled q_*), its question
    version (v_*) and its answer (r_*, NULL when none)."""
    return [
        *columns_of(AttemptQuestion, "q"),
        QuestionVersion.content.label("v_content"),
        QuestionVersion.content_hash.label("v_content_hash"),
        Response.id.label("r_id"),
        Response.given.label("r_given"),
        Response.points.label("r_points"),
    ]


def slot_from_row(row: Any, article: Article | None) -> SlotView:
    """A question of an attempt from a row holding `slot_columns()` (read-only copies, no ORM loading)."""
    slot = copy_of(AttemptQuestion, row, "q")
    version = transient(
        QuestionVersion,
        {"id": slot.question_version_id, "content": row.v_content, "content_hash": row.v_content_hash},
    )
    answer = (
        transient(Response, {"given": row.r_given, "points": row.r_points}) if row.r_id is not None else None
    )
    return slot_view(slot, version, answer, article)


def load_attempt(public_id: str, learner: Learner | None) -> AttemptView:
    """The learner's attempt with everything needed to show it; NotFound for anyone else's.

    One statement; the attempt, its set and its questions are read-only copies (never added to the database
    session, read as stored now): change an attempt through this module's functions.
    """
    rows = _ATTEMPT.rows(public_id=public_id, learner_id=learner.id) if learner else []
    if not rows:
        raise NotFound("attempt")
    first = rows[0]
    question_set = copy_of(QuestionSet, first, "set", _SET_COLUMNS)
    attempt = copy_of(Attempt, first, "a", question_set=question_set, learner=learner)
    article = set_article(question_set)
    slots = [slot_from_row(row, article) for row in rows if row.q_id is not None]
    return AttemptView(attempt, tuple(slots))


def slot_view(
    slot: AttemptQuestion, version: QuestionVersion, response: Response | None, article: Article | None
) -> SlotView:
    """A question of an attempt as the learner meets it (`article`: the set's source text, for the anchor)."""
    question = version.to_domain()
    anchors = article.find_span(question.source) if article else ()
    return SlotView(
        position=slot.position,
        slot_id=slot.id,
        version_id=slot.question_version_id,
        question=question,
        item_order=tuple(slot.item_order),
        option_order=tuple(slot.option_order),
        given=answer_from_json(question, response.given) if response else None,
        points=response.points if response else None,
        source_anchor=anchors[0].anchor if anchors else None,
    )


def save_answer(view: AttemptView, position: int, form: Mapping[str, Sequence[str]]) -> bool:
    """Score and store the answer the form gives to question `position`; False when it was left empty.

    Raises InvalidAnswer (nothing stored), AttemptClosed, or AlreadyAnswered (practice mode).
    """
    slot = view.slot(position)
    try:
        given = parse_answer(slot.question, form)
    except NoAnswer:
        return False
    points = score_response(slot.question, given)
    with write_transaction():
        state, session_id = db.session.execute(
            db.select(Attempt.state, Attempt.session_id).where(Attempt.id == view.attempt.id)
        ).one()
        if state != "in_progress":
            raise AttemptClosed("This quiz is finished: its answers can no longer be changed.")
        if session_id is not None:  # a classroom session's rules: raises AnswerRefused, nothing stored
            check_answer_allowed(session_clock(session_id, view.attempt), position, utc_now())
        response = db.session.scalar(db.select(Response).where(Response.slot_id == slot.slot_id))
        if response is not None and view.attempt.mode == Mode.PRACTICE:
            raise AlreadyAnswered("You have already answered this question.")
        if response is None:
            response = Response(slot_id=slot.slot_id, attempt_id=view.attempt.id)
            db.session.add(response)
        response.question_version_id = slot.version_id
        response.given, response.points, response.answered_at = answer_to_json(given), points, utc_now()
    return True


def session_clock(session_id: int, attempt: Attempt) -> SessionClock:
    """The state of the classroom session `attempt` belongs to, as its answer rules need it (one query)."""
    row = db.session.execute(
        db.select(
            ClassSession.state,
            ClassSession.pacing,
            ClassSession.position,
            ClassSession.question_state,
            ClassSession.question_opened_at,
            ClassSession.settings,
        ).where(ClassSession.id == session_id)
    ).one()
    return SessionClock(
        state=row.state,
        pacing=row.pacing,
        position=row.position,
        question_state=row.question_state,
        question_opened_at=row.question_opened_at,
        attempt_started_at=attempt.started_at,
        time_limit=int(row.settings.get("time_limit", 0)),
    )


def attempt_seconds_left(attempt: Attempt) -> int | None:
    """A timed class quiz's seconds left (student-paced: the limit is for the whole quiz), else None."""
    limit = int(attempt.settings.get("time_limit", 0) or 0)
    if not limit or attempt.settings.get("pacing") != "student" or attempt.state != "in_progress":
        return None
    return max(0, limit - int((utc_now() - attempt.started_at).total_seconds()))


def finish_attempt(attempt: Attempt) -> bool:
    """Close the attempt and record its score (sum of the points stored); False if it was already closed."""
    total = (
        db.select(func.coalesce(func.sum(Response.points), 0.0))
        .where(Response.attempt_id == attempt.id)
        .scalar_subquery()
    )
    with write_transaction():
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.state == "in_progress")
            .values(state="finished", finished_at=utc_now(), score=total)
        )
    return result.rowcount == 1


def open_attempts(learner: Learner | None, limit: int = 3) -> list[Attempt]:
    """The learner's unfinished attempts, newest first (to offer 'continue where you left off')."""
    if learner is None:
        return []
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.learner_id == learner.id, Attempt.state == "in_progress")
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class SetProgress:
    """A learner's record on one question set."""

    question_set: QuestionSet
    attempts: int
    best: int
    latest: int
    trend: tuple[int, ...]


@dataclass(frozen=True)
class History:
    """A learner's attempts (newest first), their record per set, and how they do per topic."""

    attempts: tuple[Attempt, ...]
    progress: tuple[SetProgress, ...]
    topics: tuple[tuple[str, int, int], ...]


def learner_history(learner: Learner | None) -> History:
    """Everything 'My results' shows, in three queries whatever the number of attempts."""
    if learner is None:
        return History((), (), ())
    attempts = tuple(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.learner_id == learner.id)
            .options(selectinload(Attempt.question_set))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
    finished = [a for a in reversed(attempts) if a.state == "finished"]
    progress = []
    for question_set in {a.question_set.id: a.question_set for a in finished}.values():
        scores = [percent(a.score or 0, a.max_score) for a in finished if a.set_id == question_set.id]
        progress.append(SetProgress(question_set, len(scores), max(scores), scores[-1], tuple(scores[-20:])))
    return History(attempts, tuple(progress), _topic_record(learner))


def _topic_record(learner: Learner) -> tuple[tuple[str, int, int], ...]:
    """(topic, points earned in %, questions answered) over the learner's finished attempts."""
    rows = db.session.execute(
        db.select(Response.points, QuestionVersion.content)
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.learner_id == learner.id, Attempt.state == "finished")
    ).all()
    totals: dict[str, list[float]] = {}
    for points, content in rows:
        for topic in content.get("topics", []):
            totals.setdefault(topic, []).append(points)
    return tuple(
        sorted(
            ((t, round(100 * sum(p) / len(p)), len(p)) for t, p in totals.items()), key=lambda r: (r[1], r[0])
        )
    )


def mistakes(view: AttemptView) -> frozenset[str]:
    """The ids of the questions not fully right in a finished attempt (to practise them again)."""
    return frozenset(s.question.id for s in view.slots if not s.correct)
