"""Question sets in the database: loading the built-in bank, versioning, JSON export and import."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Text, and_, bindparam, cast, func, select
from sqlalchemy.orm import selectinload

from quizapp.caches import Cache
from quizapp.database import lock_key, read, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.article import Article, parse_article
from quizapp.domain.bank import QuestionBank, check_bank_folder, check_questions
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.questions import Problem, question_to_dict
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.extensions import db
from quizapp.models import Question, QuestionSet, QuestionVersion, domain_question
from quizapp.services import NotFound

ARTICLE_BANK = "article-bank"


class InvalidQuestionSet(DomainError):
    """A set could not be loaded; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass
class SyncReport:
    """What loading a set changed."""

    slug: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.slug}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.hidden)} withdrawn, {self.unchanged} unchanged"
        )


def content_hash(question: DomainQuestion) -> str:
    """A fingerprint of a question's content: a new version is made only when it changes."""
    text = json.dumps(question_to_dict(question), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def new_version(number: int, question: DomainQuestion) -> QuestionVersion:
    """Version `number` of a question, holding its exchange-form content and that content's hash."""
    return QuestionVersion(
        number=number,
        type=question.type.value,
        content=question_to_dict(question),
        content_hash=content_hash(question),
    )


def _sync_question(
    row: Question | None,
    question_set: QuestionSet,
    question: DomainQuestion,
    position: int,
    report: SyncReport,
) -> None:
    if row is None:
        row = Question(key=question.id, position=position, current_number=1)
        question_set.questions.append(row)
        row.versions.append(new_version(1, question))
        report.added.append(question.id)
        return
    row.position, row.hidden = position, False
    latest = row.versions[-1]
    if latest.content_hash == content_hash(question):
        report.unchanged += 1
        return
    row.current_number = latest.number + 1
    row.versions.append(new_version(row.current_number, question))
    report.updated.append(question.id)


def save_question_set(slug: str, bank: QuestionBank, builtin: bool = False) -> SyncReport:
    """Create or update set `slug` to hold exactly `bank`'s questions, in place.

    Changed questions get a new version; questions no longer in the bank are withdrawn (hidden), never
    deleted, so every past attempt and response stays as it was.
    """
    report = SyncReport(slug)
    with write_transaction():
        lock_key(f"bank:{slug}")  # PostgreSQL: two servers' `init-db` at once load it one after the other
        question_set = db.session.scalar(
            db.select(QuestionSet)
            .where(QuestionSet.slug == slug)
            .options(selectinload(QuestionSet.questions).selectinload(Question.versions))
        )
        if question_set is None:
            question_set = QuestionSet(slug=slug, title=bank.title, is_builtin=builtin)
            db.session.add(question_set)
        question_set.title = bank.title
        question_set.source_text = bank.article_text or question_set.source_text
        rows = {row.key: row for row in question_set.questions}
        for position, question in enumerate(bank.questions, start=1):
            _sync_question(rows.pop(question.id, None), question_set, question, position, report)
        for row in rows.values():
            if not row.hidden:
                row.hidden = True
                report.hidden.append(row.key)
    return report


def sync_bank_folder(folder: Path) -> list[SyncReport]:
    """Load every bank file of `folder` into the database (all or nothing per file); raises on problems."""
    checks = check_bank_folder(folder)
    problems = [p for check in checks for p in check.problems]
    if problems:
        raise InvalidQuestionSet(problems)
    return [
        save_question_set(_slug(check.bank.path), check.bank, builtin=True) for check in checks if check.bank
    ]


def _slug(path: Path | None) -> str:
    return path.stem if path else ARTICLE_BANK


def get_set(slug: str) -> QuestionSet:
    """The set with this slug, or NotFound."""
    question_set = db.session.scalar(db.select(QuestionSet).where(QuestionSet.slug == slug))
    if question_set is None:
        raise NotFound(slug)
    return question_set


def current_questions(question_set: QuestionSet) -> list[tuple[Question, QuestionVersion]]:
    """The set's questions that are asked now, with their current versions, in set order (one query)."""
    rows = db.session.execute(
        db.select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
        .where(Question.set_id == question_set.id, Question.hidden.is_(False))
        .order_by(Question.position)
    ).all()
    return [(row.Question, row.QuestionVersion) for row in rows]


# The set's asked questions: current version id, content hash and content as JSON text, in set order.
_ASKED = (
    select(
        QuestionVersion.id, QuestionVersion.content_hash, cast(QuestionVersion.content, Text).label("content")
    )
    .join(
        Question,
        (QuestionVersion.question_id == Question.id) & (QuestionVersion.number == Question.current_number),
    )
    .where(Question.set_id == bindparam("set_id"), Question.hidden.is_(False))
    .order_by(Question.position)
)


def asked_questions(set_id: int) -> list[tuple[int, DomainQuestion]]:
    """What a new quiz is drawn from: the set's questions asked now, as (current version id, domain question),
    in set order. One Core select; each version's content is decoded once per process (`domain_question`)."""
    return [
        (row.id, domain_question(row.content_hash, row.content)) for row in read(_ASKED, {"set_id": set_id})
    ]


def export_set(slug: str) -> dict[str, Any]:
    """The exchange form of a set: {"title", "questions": [...]} (see docs/question-format.md)."""
    question_set = get_set(slug)
    return {
        "title": question_set.title,
        "questions": [version.content for _, version in current_questions(question_set)],
    }


def import_set(data: Any, slug: str) -> SyncReport:
    """Load an exchange-form set into set `slug` (created or updated in place); all or nothing.

    When the set already has a source text, every question's source must be found in it.
    """
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise InvalidQuestionSet([Problem("", "expected an object with a 'questions' list", "")])
    existing = db.session.scalar(db.select(QuestionSet).where(QuestionSet.slug == slug))
    article = set_article(existing) if existing else None
    questions, problems = check_questions(data["questions"], article)
    if problems:
        raise InvalidQuestionSet(problems)
    title = str(data.get("title") or (existing.title if existing else slug))
    bank = QuestionBank(title, tuple(questions), article, existing.source_text or "" if existing else "")
    return save_question_set(slug, bank, builtin=bool(existing and existing.is_builtin))


@dataclass(frozen=True)
class SetRow:
    """A set as an attempt's pages read it (read model: what is not here was not read, and raises
    AttributeError): its title, its text for the quotes' anchors, whether it is open to new quizzes, and
    whether its practice quizzes offer hints from the text, and whether its quizzes use certainty-based
    marking (docs/hints.md)."""

    id: int
    slug: str
    title: str
    source_text: str | None
    is_builtin: bool
    share_token: str | None
    hints: bool
    certainty_marking: bool


# Parsed source texts, by the text itself (and whether it has a title line): never stale.
_ARTICLES: Cache[tuple[str, bool], Article] = Cache(max_size=64)


def set_article(question_set: QuestionSet | SetRow) -> Article | None:
    """The set's source text as an article (sentences with anchors), or None.

    The built-in bank's text is an article with its title line; a teacher's pasted text has none.
    """
    text, titled = question_set.source_text, question_set.is_builtin
    if not text:
        return None
    return _ARTICLES.get_or_make((text, titled), lambda: parse_article(text, titled))


@dataclass(frozen=True)
class GroundedSentence:
    """A sentence of the source text and the questions quoting it."""

    anchor: str
    text: str
    paragraph: int
    questions: tuple[DomainQuestion, ...]


def grounded_text(question_set: QuestionSet) -> list[list[GroundedSentence]]:
    """The set's source text, paragraph by paragraph, each sentence with the questions grounded in it."""
    article = set_article(question_set)
    if article is None:
        return []
    by_anchor: dict[str, list[DomainQuestion]] = {}
    for _, version in current_questions(question_set):
        question = version.to_domain()
        for sentence in article.find_span(question.source):
            by_anchor.setdefault(sentence.anchor, []).append(question)
    return [
        [
            GroundedSentence(s.anchor, s.text, s.paragraph, tuple(by_anchor.get(s.anchor, ())))
            for s in paragraph
        ]
        for paragraph in article.paragraphs
    ]


# The ids and content hashes of a set's current question versions (those asked now).
_CURRENT_VERSIONS = (
    select(QuestionVersion.id, QuestionVersion.content_hash)
    .join(
        Question,
        and_(QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.current_number),
    )
    .where(Question.set_id == bindparam("set_id", type_=Integer), Question.hidden.is_(False))
)
# Topics and types per set of question contents (by hash: the same contents always have the same topics and
# types, whatever the database).
_TOPICS: Cache[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = Cache(max_size=1_000)


def _topics_and_types(question_set: QuestionSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The topics and the scored types of the set's current questions: the versions' hashes are read (one
    light query) and the rest computed once per set of contents, not on every page."""
    rows = db.session.execute(_CURRENT_VERSIONS, {"set_id": question_set.id}).all()
    key = tuple(sorted(row.content_hash for row in rows))
    return _TOPICS.get_or_make(key, lambda: _count_topics_and_types([row.id for row in rows]))


def _count_topics_and_types(version_ids: list[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    contents = list(
        db.session.scalars(db.select(QuestionVersion.content).where(QuestionVersion.id.in_(version_ids)))
    )
    topics = tuple(sorted({topic for content in contents for topic in content.get("topics", [])}))
    present = {content.get("type") for content in contents}
    return topics, tuple(t.value for t in SCORED_TYPES if t.value in present)


def set_topics(question_set: QuestionSet) -> list[str]:
    """Every topic of the set's current questions, sorted (the home page and every quiz form list them)."""
    return list(_topics_and_types(question_set)[0])


def set_types(question_set: QuestionSet) -> list[str]:
    """The scored question types the set's current questions have, in the registry's order (the quiz forms'
    type filter offers only these)."""
    return list(_topics_and_types(question_set)[1])


@dataclass(frozen=True)
class SetSummary:
    """A set as the dashboard lists it."""

    question_set: QuestionSet
    type_counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.type_counts.values())


def set_summaries(sets: Sequence[QuestionSet]) -> list[SetSummary]:
    """Each set with its number of questions per type (one aggregate query for all of them)."""
    rows = db.session.execute(
        db.select(Question.set_id, QuestionVersion.type, func.count())
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_number),
        )
        .where(Question.set_id.in_([s.id for s in sets]), Question.hidden.is_(False))
        .group_by(Question.set_id, QuestionVersion.type)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for set_id, qtype, count in rows:
        counts.setdefault(set_id, {})[qtype] = count
    return [SetSummary(s, counts.get(s.id, {})) for s in sets]


def builtin_sets() -> list[QuestionSet]:
    """The sets that come with quizapp (the article's bank)."""
    return list(
        db.session.scalars(
            db.select(QuestionSet).where(QuestionSet.is_builtin.is_(True)).order_by(QuestionSet.id)
        )
    )
