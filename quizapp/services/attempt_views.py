"""An attempt as its learner sees it: every question with the answer given, read in one statement.

What the pages get are read models (frozen dataclasses filled from a Core select): they hold the columns
listed in them, as stored when read, and nothing else (reading anything more raises AttributeError). Changes
go through the services' update functions, by id.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import Select, Text, bindparam, cast, select
from sqlalchemy.engine import Row

from quizapp.database import read
from quizapp.domain.answer_tokens import AnswerTokens, answer_tokens
from quizapp.domain.answers import answer_from_json
from quizapp.domain.article import Article
from quizapp.domain.questions import Answer
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    QuestionSet,
    QuestionVersion,
    Response,
    domain_question,
)
from quizapp.services import NotFound
from quizapp.services.learners import LEARNER_ID_BY_TOKEN, LearnerRow
from quizapp.services.question_sets import SetRow, set_article


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
    hints_taken: int = 0  # hint steps taken (docs/hints.md)
    hint_share: float = 1.0  # the share of its points they left
    certainty: int | None = None  # how sure the learner said they were (1-3; certainty-based marking)

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
    def answer_points(self) -> float | None:
        """The points the answer itself earned, before the share its hints left (None: no points yet)."""
        if self.points is None or self.hint_share >= 1.0:
            return self.points
        return round(self.points / self.hint_share, 4)

    @property
    def correct(self) -> bool:
        """Fully right (after hints too: the verdict is the answer's, the points say what the hints cost)."""
        return self.answer_points is not None and is_correct(self.answer_points)


@dataclass(frozen=True)
class AttemptRow:
    """An attempt as its pages read it (read model), with its set."""

    id: int
    public_id: str
    learner_id: int
    set_id: int
    session_id: int | None
    mode: str
    settings: dict[str, Any]
    seed: int
    state: str
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    max_score: float
    question_count: int
    unmarked: int
    question_set: SetRow


@dataclass(frozen=True)
class AttemptView:
    """An attempt with its questions and answers (all of them, or the one a class session's page needs)."""

    attempt: AttemptRow
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


def columns(model: type, prefix: str, names: Sequence[str]) -> list[Any]:
    """The model's columns `names`, labelled `<prefix>_<name>` (to select beside other models' columns)."""
    return [getattr(model, name).label(f"{prefix}_{name}") for name in names]


def values(row: Row[Any], prefix: str, names: Sequence[str]) -> dict[str, Any]:
    """The values of the columns `columns(model, prefix, names)` selected, by name."""
    return {name: getattr(row, f"{prefix}_{name}") for name in names}


SET_FIELDS = tuple(f.name for f in fields(SetRow))
ATTEMPT_FIELDS = tuple(f.name for f in fields(AttemptRow) if f.name != "question_set")


def attempt_columns() -> list[Any]:
    """What `attempt_from_row` reads: the attempt (labelled a_*) and its set (set_*), to select beside a
    join of QuestionSet on the attempt's set."""
    return [*columns(Attempt, "a", ATTEMPT_FIELDS), *columns(QuestionSet, "set", SET_FIELDS)]


def attempt_from_row(row: Row[Any]) -> AttemptRow:
    """The attempt of a row holding `attempt_columns()`."""
    question_set = SetRow(**values(row, "set", SET_FIELDS))
    return AttemptRow(**values(row, "a", ATTEMPT_FIELDS), question_set=question_set)


def slot_columns() -> list[Any]:
    """What `slot_from_row` reads, to select beside outer joins of a slot (AttemptQuestion), its question
    version and its answer (Response, all NULL when there is none)."""
    return [
        AttemptQuestion.id.label("slot_id"),
        AttemptQuestion.position,
        AttemptQuestion.question_version_id,
        AttemptQuestion.item_order,
        AttemptQuestion.option_order,
        AttemptQuestion.marked,
        AttemptQuestion.hints_taken,
        AttemptQuestion.hint_share,
        QuestionVersion.content_hash,
        # JSON text: decoded only when this process has not built that version yet (`domain_question`)
        cast(QuestionVersion.content, Text).label("content"),
        Response.id.label("response_id"),
        Response.given,
        Response.points,
        Response.comment,
        Response.certainty,
    ]


def slot_from_row(row: Row[Any], article: Article | None) -> SlotView:
    """A question of an attempt as the learner meets it, from a row holding `slot_columns()` (`article`: the
    set's source text, for the anchor)."""
    question = domain_question(row.content_hash, row.content)
    anchors = article.find_span(question.source) if article else ()
    answered = row.response_id is not None
    return SlotView(
        position=row.position,
        slot_id=row.slot_id,
        version_id=row.question_version_id,
        question=question,
        item_order=tuple(row.item_order),
        option_order=tuple(row.option_order),
        given=answer_from_json(question, row.given) if answered else None,
        points=row.points,
        source_anchor=anchors[0].anchor if anchors else None,
        marked=bool(row.marked),
        comment=row.comment,
        hints_taken=row.hints_taken,
        hint_share=row.hint_share,
        certainty=row.certainty,
    )


# An attempt by public id, its set, and each question with its answer: one row a question; by learner id
# (services) or by the learner's cookie token (the quiz pages: no statement of its own for the learner).
_ATTEMPT = (
    select(*attempt_columns(), *slot_columns())
    .join(QuestionSet, QuestionSet.id == Attempt.set_id)
    .outerjoin(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
    .outerjoin(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
    .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
    .where(Attempt.public_id == bindparam("public_id"))
    .order_by(AttemptQuestion.position)
)
_BY_LEARNER = _ATTEMPT.where(Attempt.learner_id == bindparam("learner_id"))
_BY_TOKEN = _ATTEMPT.where(Attempt.learner_id == LEARNER_ID_BY_TOKEN)


def load_attempt(public_id: str, learner: LearnerRow | None) -> AttemptView:
    """The learner's attempt with everything needed to show it, as stored now; NotFound for anyone else's.
    One statement."""
    if learner is None:
        raise NotFound("attempt")
    return _attempt_view(_BY_LEARNER, {"public_id": public_id, "learner_id": learner.id})


def browser_attempt(public_id: str, learner_token: str | None) -> AttemptView:
    """`load_attempt` for the learner whose cookie holds `learner_token`, in the same one statement."""
    if not learner_token:
        raise NotFound("attempt")
    return _attempt_view(_BY_TOKEN, {"public_id": public_id, "token": learner_token})


def _attempt_view(statement: Select[Any], parameters: dict[str, object]) -> AttemptView:
    rows = read(statement, parameters).all()
    if not rows:
        raise NotFound("attempt")
    attempt = attempt_from_row(rows[0])
    article = set_article(attempt.question_set)
    return AttemptView(attempt, tuple(slot_from_row(row, article) for row in rows if row.slot_id is not None))


def token_key(secret: str | bytes) -> bytes:
    """The key answer tokens are made with, derived from the app's SECRET_KEY (never sent)."""
    return hmac.digest(secret.encode() if isinstance(secret, str) else secret, b"answer tokens", "sha256")


def slot_tokens(secret: str | bytes, slot_id: int, question: DomainQuestion) -> AnswerTokens:
    """The opaque values the page of the attempt's question slot `slot_id` sends, under the app's `secret`."""
    return answer_tokens(token_key(secret), f"slot-{slot_id}", question)


def mistakes(view: AttemptView) -> frozenset[str]:
    """The ids of the questions not fully right in a finished attempt (to practise them again); an answer
    awaiting a teacher's mark is not one."""
    return frozenset(s.question.id for s in view.slots if s.mistake)
