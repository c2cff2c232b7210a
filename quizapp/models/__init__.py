"""Storage: typed SQLAlchemy 2.0 models. No rules live here beyond turning rows into domain objects."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.caches import Cache
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.questions import question_from_dict
from quizapp.extensions import db

# Domain questions by content hash: equal hashes mean equal content, so this is safe across databases.
_DOMAIN_CACHE: Cache[str, DomainQuestion] = Cache(max_size=10_000)


def domain_question(content_hash: str, content: dict[str, Any] | str) -> DomainQuestion:
    """A question version's content (or its JSON text, decoded only when needed) as a domain question, built
    once per content (a version never changes; stored content was checked when saved)."""

    def build() -> DomainQuestion:
        return question_from_dict(json.loads(content) if isinstance(content, str) else content, strict=False)

    return _DOMAIN_CACHE.get_or_make(content_hash, build)


def utc_now() -> datetime:
    """The current time in UTC (a function, so each row gets its own)."""
    return datetime.now(UTC).replace(tzinfo=None)


class QuestionSet(db.Model):
    """A titled set of questions; the article's bank is the built-in one (`slug` 'article')."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    source_text: Mapped[str | None] = mapped_column(Text)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id"), index=True)
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    asks_name: Mapped[bool] = mapped_column(default=False, server_default=false())  # on the share page
    hints: Mapped[bool] = mapped_column(default=True, server_default=true())  # hints from the text (practice)
    certainty_marking: Mapped[bool] = mapped_column(default=False, server_default=false())  # CBM
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    owner: Mapped[Teacher | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="question_set", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """A question's identity in its set; its content lives in versions (`current` is the one asked now)."""

    __table_args__ = (UniqueConstraint("set_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_set.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    current_number: Mapped[int] = mapped_column(default=1)
    hidden: Mapped[bool] = mapped_column(default=False)

    question_set: Mapped[QuestionSet] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin=lambda: and_(
            QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.current_number
        ),
        viewonly=True,
        uselist=False,
    )


class QuestionVersion(db.Model):
    """The content of a question at one time; responses point here, so editing never rewrites a score."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(default=1)
    type: Mapped[str] = mapped_column(String(30))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    question: Mapped[Question] = relationship(back_populates="versions")

    def to_domain(self) -> DomainQuestion:
        """This version as a domain question (built once per content: a version never changes)."""
        return domain_question(self.content_hash, self.content)


class Learner(db.Model):
    """Someone taking quizzes, known by a random token in their browser's session cookie."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Attempt(db.Model):
    """One go at a quiz: `in_progress -> finished`; finishing is one conditional update."""

    __table_args__ = (Index("ix_attempt_learner_started", "learner_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id"))
    set_id: Mapped[int] = mapped_column(ForeignKey("question_set.id"))
    mode: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=0.0)
    question_count: Mapped[int] = mapped_column(default=0)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("class_session.id"), index=True)
    unmarked: Mapped[int] = mapped_column(default=0, server_default="0")  # answers awaiting a teacher's mark

    learner: Mapped[Learner] = relationship()
    question_set: Mapped[QuestionSet] = relationship()
    slots: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan"
    )


class AttemptQuestion(db.Model):
    """A question in its place in an attempt, frozen at the version and display order it was given with."""

    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    item_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    option_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    marked: Mapped[bool] = mapped_column(default=False, server_default=false())  # "check again" (a test)
    # hint steps taken (docs/hints.md), and the share of the points they left, as it was when taken
    hints_taken: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    hint_share: Mapped[float] = mapped_column(default=1.0, server_default="1.0")

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    version: Mapped[QuestionVersion] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="slot", uselist=False)


class Response(db.Model):
    """The answer given to one question of an attempt, with the points it earned when it was given; an essay's
    points are NULL until a teacher marks it (`comment`, `marked_at`, `marked_by`: services/marking.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("attempt_question.id"), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    given: Mapped[Any] = mapped_column(JSON)
    points: Mapped[float | None]  # None: awaiting a teacher's mark (an essay)
    answered_at: Mapped[datetime] = mapped_column(default=utc_now)
    comment: Mapped[str | None] = mapped_column(Text)  # the marking teacher's, shown to the student
    marked_at: Mapped[datetime | None]
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="SET NULL"))
    certainty: Mapped[int | None] = mapped_column(SmallInteger)  # 1-3 with certainty-based marking, else None

    slot: Mapped[AttemptQuestion] = relationship(back_populates="response")


class Teacher(db.Model):
    """A teacher's account. `session_token` is in the login cookie: changing it signs out every browser."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_login_at: Mapped[datetime | None]

    # Flask-Login's user interface (a Teacher is only loaded for a signed-in browser).
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its current session token."""
        return f"{self.id}.{self.session_token}"


class RateLimitHit(db.Model):
    """One counted attempt (e.g. a failed login) under a key such as 'login:account:<email>'.

    Kept in the database so that every server worker sees the same counts.
    """

    __table_args__ = (Index("ix_rate_limit_hit_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utc_now)


class PendingImport(db.Model):
    """An uploaded question file kept between its preview and the teacher's confirmation.

    In the database, so that whichever server worker gets the confirmation finds it; old ones are deleted.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    format: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255), default="")
    set_title: Mapped[str] = mapped_column(String(300), default="")
    into_set_id: Mapped[int | None] = mapped_column(ForeignKey("question_set.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


from quizapp.models.classroom import ClassSession, Participant, QuestionFlag  # noqa: E402  (they use the above)
from quizapp.models.review import ReviewCard, ReviewQueue  # noqa: E402

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "ClassSession",
    "Learner",
    "Participant",
    "PendingImport",
    "Question",
    "QuestionFlag",
    "QuestionSet",
    "QuestionVersion",
    "RateLimitHit",
    "Response",
    "ReviewCard",
    "ReviewQueue",
    "Teacher",
    "utc_now",
]
