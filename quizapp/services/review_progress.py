"""A learner's progress over time, per topic and per passage, and the passages they keep missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Text, cast, select

from quizapp.domain.review import outcome_of, passage
from quizapp.extensions import db
from quizapp.models import Attempt, Question, QuestionSet, QuestionVersion, Response, domain_question
from quizapp.services.attempt_views import SET_FIELDS, columns, values
from quizapp.services.learners import LearnerRow
from quizapp.services.question_sets import SetRow, set_article

MISSED_OFTEN = 2  # a passage missed this many times or more is one the learner keeps missing


@dataclass(frozen=True)
class DayScore:
    """The share of the points earned on one day (0-100) over `answers` answers."""

    day: date
    percent: int
    answers: int


@dataclass(frozen=True)
class PassageRecord:
    """A sentence of a set's text (by anchor) and how the learner did on the questions quoting it."""

    question_set: SetRow
    anchor: str
    text: str
    days: tuple[DayScore, ...]
    misses: int
    answers: int


@dataclass(frozen=True)
class Progress:
    """Per topic and per passage, the learner's score day by day; the passages missed most, worst first."""

    topics: tuple[tuple[str, tuple[DayScore, ...]], ...]
    passages: tuple[PassageRecord, ...]
    missed: tuple[PassageRecord, ...]


def _days(points_by_day: dict[date, list[float]]) -> tuple[DayScore, ...]:
    return tuple(
        DayScore(day, round(100 * sum(points) / len(points)), len(points))
        for day, points in sorted(points_by_day.items())
    )


def review_progress(learner: LearnerRow | None) -> Progress:
    """Every scored answer of the learner (quizzes, class sessions and reviews; one query), day by day per
    topic and per quoted sentence."""
    if learner is None:
        return Progress((), (), ())
    rows = db.session.execute(
        select(
            Response.points,
            Response.answered_at,
            QuestionVersion.content_hash,
            cast(QuestionVersion.content, Text).label("content"),
            *columns(QuestionSet, "set", SET_FIELDS),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(QuestionSet, QuestionSet.id == Question.set_id)
        .where(Attempt.learner_id == learner.id, Attempt.state != "abandoned", Response.points.is_not(None))
    ).all()
    by_topic: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    by_passage: dict[tuple[int, str], dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    sentences: dict[tuple[int, str], tuple[SetRow, str]] = {}
    for row in rows:
        question = domain_question(row.content_hash, row.content)
        day = row.answered_at.date()
        for topic in question.topics:
            by_topic[topic][day].append(row.points)
        question_set = SetRow(**values(row, "set", SET_FIELDS))
        found = passage(set_article(question_set), question.source)
        if found is not None:
            key = (question_set.id, found.anchor)
            sentences[key] = (question_set, " ".join(s.text for s in found.quoted))
            by_passage[key][day].append(row.points)
    passages = []
    for key, days in by_passage.items():
        points = [p for day in days.values() for p in day]
        misses = sum(1 for p in points if outcome_of(p) != "right")
        question_set, text = sentences[key]
        passages.append(PassageRecord(question_set, key[1], text, _days(days), misses, len(points)))
    passages.sort(key=lambda p: (p.question_set.id, _reading_order(p.anchor)))
    missed = sorted((p for p in passages if p.misses >= MISSED_OFTEN), key=lambda p: (-p.misses, p.anchor))
    topics = tuple(sorted((topic, _days(days)) for topic, days in by_topic.items()))
    return Progress(topics, tuple(passages), tuple(missed))


def _reading_order(anchor: str) -> tuple[int, int]:
    """p3s12 -> (3, 12)."""
    paragraph, _, sentence = anchor[1:].partition("s")
    return int(paragraph), int(sentence)
