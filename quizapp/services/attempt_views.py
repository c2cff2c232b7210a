"""An attempt as its learner sees it: every question with the answer given, read in one statement."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import Select, bindparam, select

from quizapp.domain.answer_tokens import AnswerTokens, answer_tokens
from quizapp.domain.answers import answer_from_json
from quizapp.domain.article import Article
from quizapp.domain.questions import Answer
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    Learner,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.prepared import Prepared, columns_of, copy_of, transient
from quizapp.services import NotFound
from quizapp.services.question_sets import set_article


class Mode(StrEnum):
    """Practice shows feedback after each question; test only at the end."""

    PRACTICE = "practice"
    TEST = "test"


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
    marked: bool = False  # the learner marked it to check again before finishing (a test)
    comment: str | None = None  # the teacher's, on an answer they marked (an essay)

    @property
    def answered(self) -> bool:
        return self.given is not None

    @property
    def awaiting(self) -> bool:
        """Answered, and waiting for a teacher's mark (an essay): no points yet."""
        return self.given is not None and self.points is None

    @property
    def mistake(self) -> bool:
        """Not fully right: skipped, wrong or partly right (an answer awaiting marking is none yet)."""
        return not self.correct and not self.awaiting

    @cached_property
    def tokens(self) -> AnswerTokens:
        """The opaque values its form sends (never authored indexes); made when a page first asks."""
        return slot_tokens(current_app.config["SECRET_KEY"], self.slot_id, self.question)

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
    def marked(self) -> list[int]:
        """The questions the learner marked to check again."""
        return [s.position for s in self.slots if s.marked]

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
        Response.comment.label("r_comment"),
    ]


def slot_from_row(row: Any, article: Article | None) -> SlotView:
    """A question of an attempt from a row holding `slot_columns()` (read-only copies, no ORM loading)."""
    slot = copy_of(AttemptQuestion, row, "q")
    version = transient(
        QuestionVersion,
        {"id": slot.question_version_id, "content": row.v_content, "content_hash": row.v_content_hash},
    )
    answer = (
        transient(Response, {"given": row.r_given, "points": row.r_points, "comment": row.r_comment})
        if row.r_id is not None
        else None
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


def token_key(secret: str | bytes) -> bytes:
    """The key answer tokens are made with, derived from the app's SECRET_KEY (never sent)."""
    return hmac.digest(secret.encode() if isinstance(secret, str) else secret, b"answer tokens", "sha256")


def slot_tokens(secret: str | bytes, slot_id: int, question: DomainQuestion) -> AnswerTokens:
    """The opaque values the page of the attempt's question slot `slot_id` sends, under the app's `secret`."""
    return answer_tokens(token_key(secret), f"slot-{slot_id}", question)


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
        marked=bool(slot.marked),
        comment=response.comment if response else None,
    )


def mistakes(view: AttemptView) -> frozenset[str]:
    """The ids of the questions not fully right in a finished attempt (to practise them again); an answer
    awaiting a teacher's mark is not one."""
    return frozenset(s.question.id for s in view.slots if s.mistake)
