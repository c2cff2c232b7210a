"""Teachers' own question sets: create, edit, reorder, version, copy, duplicate and share.

Every function taking a `teacher` only ever touches that teacher's sets: anything else is NotFound.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.database import lock_row, write_transaction
from quizapp.domain.bank import grounding_problems, with_source_text
from quizapp.domain.generation import QuizSpec, matching_questions
from quizapp.domain.questions import Problem, QuestionType, question_from_dict, validate_question
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.extensions import db
from quizapp.models import AttemptQuestion, Question, QuestionSet, QuestionVersion, Teacher, utc_now
from quizapp.services import NotFound
from quizapp.services.question_sets import (
    InvalidQuestionSet,
    content_hash,
    current_questions,
    new_version,
    set_article,
)

MAX_TITLE = 300


def teacher_sets(teacher: Teacher) -> list[QuestionSet]:
    """The teacher's sets, most recently changed first."""
    return list(
        db.session.scalars(
            db.select(QuestionSet)
            .where(QuestionSet.owner_id == teacher.id)
            .order_by(QuestionSet.updated_at.desc())
        )
    )


def owned_set(teacher: Teacher, set_id: int) -> QuestionSet:
    """The teacher's set `set_id`; NotFound when it does not exist or is someone else's."""
    question_set = db.session.get(QuestionSet, set_id)
    if question_set is None or question_set.owner_id != teacher.id:
        raise NotFound(f"set {set_id}")
    return question_set


def owned_question(question_set: QuestionSet, question_id: int) -> Question:
    """A question of the set (withdrawn ones excluded); NotFound otherwise."""
    question = db.session.get(Question, question_id)
    if question is None or question.set_id != question_set.id or question.hidden:
        raise NotFound(f"question {question_id}")
    return question


def bank_questions(
    bank: QuestionSet, topics: Iterable[str], types: Iterable[str], difficulties: Iterable[str]
) -> list[DomainQuestion]:
    """The bank's questions on any of `topics`, of any of `types` and `difficulties` (empty: any); unknown
    values in the filters (a hand-edited address) are ignored."""
    known_types = {t.value for t in QuestionType}
    spec = QuizSpec(
        topics=frozenset(topics),
        types=frozenset(QuestionType(t) for t in types if t in known_types),
        difficulties=frozenset(int(d) for d in difficulties if str(d).isdigit()),
    )
    return matching_questions([v.to_domain() for _, v in current_questions(bank)], spec)


def create_set(
    teacher: Teacher,
    title: str,
    description: str = "",
    source_text: str = "",
    *,
    hints: bool = True,
    certainty_marking: bool = False,
) -> QuestionSet:
    """A new, empty set of the teacher's (hints from the text on and certainty-based marking off, unless
    told otherwise)."""
    with write_transaction():
        question_set = QuestionSet(
            slug=f"set-{secrets.token_urlsafe(9)}",
            title=title.strip()[:MAX_TITLE] or "Untitled set",
            description=description.strip(),
            source_text=source_text.strip() or None,
            owner_id=teacher.id,
            hints=hints,
            certainty_marking=certainty_marking,
        )
        db.session.add(question_set)
    return question_set


def update_set(question_set: QuestionSet, title: str, description: str, source_text: str) -> list[Problem]:
    """Change a set's title, description and source text.

    Returns the questions whose quoted source is no longer found in the new source text (as warnings:
    the change is saved, the teacher is told which questions to fix).
    """
    with write_transaction():
        row = db.session.get(QuestionSet, question_set.id)
        row.title = title.strip()[:MAX_TITLE] or row.title  # type: ignore[union-attr]
        row.description = description.strip()  # type: ignore[union-attr]
        row.source_text = source_text.strip() or None  # type: ignore[union-attr]
        row.updated_at = utc_now()  # type: ignore[union-attr]
    return ungrounded_questions(row)  # type: ignore[arg-type]


def ungrounded_questions(question_set: QuestionSet) -> list[Problem]:
    """Questions whose `source` is not (or no longer) found in the set's source text."""
    if not question_set.source_text:
        return []
    article = set_article(question_set)
    assert article is not None
    return [
        p
        for _, v in current_questions(question_set)
        if v.content.get("source")
        for p in grounding_problems(v.content["id"], v.content["source"], article)
    ]


def check_question(question_set: QuestionSet, raw: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a question written for this set (format, answer, and grounding when it has a text)."""
    problems = validate_question(raw, strict=False)
    if not problems and question_set.source_text and raw.get("source"):
        article = set_article(question_set)
        assert article is not None
        problems = grounding_problems(str(raw["id"]), str(raw["source"]), article)
    return problems


def new_question_key(question_set: QuestionSet) -> str:
    """An id for a new question, unique in its set."""
    taken = set(db.session.scalars(db.select(Question.key).where(Question.set_id == question_set.id)))
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def add_questions(question_set: QuestionSet, raws: Sequence[Mapping[str, Any]]) -> list[Question]:
    """Append questions to the set, all or nothing: InvalidQuestionSet lists every problem. What a question
    takes from the set's text is filled in first (an evidence question named by anchors, like `p3s2`, gets
    its sentences and the passage offered around them)."""
    article = set_article(question_set)
    raws = [with_source_text(raw, article) for raw in raws]
    problems = [p for raw in raws for p in check_question(question_set, raw)]
    keys = [str(raw["id"]) for raw in raws]
    taken = set(db.session.scalars(db.select(Question.key).where(Question.set_id == question_set.id)))
    problems += [
        Problem(k, "this id is already used in the set", "give the question another id")
        for k in keys
        if k in taken or keys.count(k) > 1
    ]
    if problems:
        raise InvalidQuestionSet(problems)
    with write_transaction():
        rows = append_questions(question_set.id, raws)
        _touch(question_set)
    return rows


def append_questions(set_id: int, raws: Sequence[Mapping[str, Any]], rename: bool = False) -> list[Question]:
    """Add checked questions at the end of set `set_id`, inside the caller's write transaction.

    With `rename`, an id the set already uses gets a suffix (`-2`, `-3`, ...) instead of clashing. The set's
    row is locked first on PostgreSQL: two additions at once number their ids and places one after the other.
    """
    lock_row(QuestionSet, set_id)
    taken, last = set(), 0
    for key, position in db.session.execute(
        db.select(Question.key, Question.position).where(Question.set_id == set_id)
    ):
        taken.add(key)
        last = max(last, position)
    rows = []
    for offset, raw in enumerate(raws, start=1):
        key = _free_key(str(raw["id"]), taken) if rename else str(raw["id"])
        question = question_from_dict({**raw, "id": key}, strict=False)
        row = Question(set_id=set_id, key=key, position=last + offset, current_number=1)
        row.versions.append(new_version(1, question))
        db.session.add(row)
        rows.append(row)
    return rows


def _free_key(key: str, taken: set[str]) -> str:
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}-{number}"
    taken.add(candidate)
    return candidate


def _touch(question_set: QuestionSet) -> None:
    db.session.execute(
        db.update(QuestionSet).where(QuestionSet.id == question_set.id).values(updated_at=utc_now())
    )


def update_question(question_set: QuestionSet, question: Question, raw: Mapping[str, Any]) -> bool:
    """Save an edited question as a new version (past attempts keep theirs); False when nothing changed."""
    problems = check_question(question_set, {**raw, "id": question.key})
    if problems:
        raise InvalidQuestionSet(problems)
    domain = question_from_dict({**raw, "id": question.key}, strict=False)
    with write_transaction():
        lock_row(Question, question.id)  # PostgreSQL: two saves at once number their versions in turn
        row = db.session.get(
            Question, question.id, options=[selectinload(Question.versions)], populate_existing=True
        )
        latest = row.versions[-1]  # type: ignore[union-attr]
        if latest.content_hash == content_hash(domain):
            return False
        row.current_number = latest.number + 1  # type: ignore[union-attr]
        row.versions.append(new_version(row.current_number, domain))  # type: ignore[union-attr]
        _touch(question_set)
    return True


def delete_question(question_set: QuestionSet, question: Question) -> bool:
    """Remove a question from the set; one asked in an attempt is only withdrawn (returns True then)."""
    try:
        with write_transaction():
            used = db.session.scalar(
                db.select(func.count(AttemptQuestion.id))
                .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
                .where(QuestionVersion.question_id == question.id)
            )  # asked in any attempt (answered or not): keep it for that attempt's history
            row = db.session.get(Question, question.id)
            if used:
                row.hidden = True  # type: ignore[union-attr]
            else:
                db.session.delete(row)
            _touch(question_set)
    except IntegrityError:
        # PostgreSQL: an attempt that started meanwhile asks it (SQLite would have counted that attempt)
        with write_transaction():
            db.session.execute(db.update(Question).where(Question.id == question.id).values(hidden=True))
            _touch(question_set)
        return True
    return bool(used)


def move_question(question_set: QuestionSet, question: Question, step: int) -> None:
    """Move a question up (step -1) or down (+1) in the set's order."""
    rows = [q for q, _ in current_questions(question_set)]
    index = next(i for i, q in enumerate(rows) if q.id == question.id)
    target = index + step
    if not 0 <= target < len(rows):
        return
    rows[index], rows[target] = rows[target], rows[index]
    with write_transaction():
        for position, row in enumerate(rows, start=1):
            db.session.execute(db.update(Question).where(Question.id == row.id).values(position=position))
        _touch(question_set)


def copy_questions(source: QuestionSet, target: QuestionSet, keys: Iterable[str]) -> list[Question]:
    """Copy questions (their current versions) from `source` (e.g. the article's bank) into `target`.

    Copies get new ids when theirs are taken; a quoted source is kept only if the target's text holds it.
    """
    wanted = set(keys)
    raws = []
    taken = set(db.session.scalars(db.select(Question.key).where(Question.set_id == target.id)))
    for _, version in current_questions(source):
        if version.content["id"] not in wanted:
            continue
        raw = dict(version.content)
        while raw["id"] in taken:
            raw["id"] = f"{raw['id']}-copy"
        taken.add(raw["id"])
        if raw.get("source") and target.source_text and check_question(target, raw):
            raw["source"] = ""  # the quote is not in the target's own text, so it would ground nothing
        raws.append(raw)
    return add_questions(target, raws)


def duplicate_set(teacher: Teacher, question_set: QuestionSet) -> QuestionSet:
    """A copy of one of the teacher's sets (questions at their current versions, its hint and certainty
    switches; no share link).

    A quote already missing from the set's text is dropped from the copy, as when copying questions.
    """
    copy = create_set(
        teacher,
        f"{question_set.title} (copy)",
        question_set.description,
        question_set.source_text or "",
        hints=question_set.hints,
        certainty_marking=question_set.certainty_marking,
    )
    copy_questions(question_set, copy, [v.content["id"] for _, v in current_questions(question_set)])
    return copy


def share(question_set: QuestionSet) -> str:
    """Turn on the set's share link (a new unguessable token) and return the token."""
    token = secrets.token_urlsafe(16)
    with write_transaction():
        db.session.get(QuestionSet, question_set.id).share_token = token  # type: ignore[union-attr]
    return token


def unshare(question_set: QuestionSet) -> None:
    """Revoke the share link: the old address stops working at once."""
    with write_transaction():
        db.session.get(QuestionSet, question_set.id).share_token = None  # type: ignore[union-attr]


def ask_names(question_set: QuestionSet, on: bool) -> None:
    """Whether the share page asks each student for a name (kept with their attempt) before a quiz."""
    with write_transaction():
        db.session.get(QuestionSet, question_set.id).asks_name = on  # type: ignore[union-attr]


def shared_set(token: str) -> QuestionSet:
    """The set a share link points to; NotFound for an unknown or revoked link."""
    question_set = db.session.scalar(db.select(QuestionSet).where(QuestionSet.share_token == token))
    if question_set is None or not token:
        raise NotFound("share link")
    return question_set
