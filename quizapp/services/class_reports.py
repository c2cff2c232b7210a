"""Reports over a group of attempts (a class session's, or those made through a set's share link, the
homework): the gradebook, the item analysis, the source text shaded by how well the students read it.

Every report loads the group's students, responses and question versions with a fixed number of queries
(never one per student or per question) and computes the rest in Python. Students removed by the teacher
(their attempts are 'abandoned') are left out everywhere, their flags too. In homework each attempt is a row
and asks its own draw of the set's questions: a question it was not asked is neither right nor wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_

from quizapp.domain.analysis import (
    Bar,
    ItemScore,
    ItemStats,
    answer_bars,
    item_analysis,
    score_distribution,
    sentence_facility,
)
from quizapp.domain.answers import answer_from_json, answer_in_words
from quizapp.domain.questions import Answer
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.domain.sessions import Pacing
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptQuestion,
    ClassSession,
    Participant,
    Question,
    QuestionFlag,
    QuestionSet,
    QuestionVersion,
    Response,
)
from quizapp.richtext import to_plain
from quizapp.services.question_sets import set_article

SORTS = ("name", "score")
NO_ANSWER = "No answer"
NOT_ASKED = "Not asked"
NO_NAME = "No name"  # a homework attempt made through a link that did not ask for names
# Shading of the source text: (lowest facility, band, words for the legend), best band first.
BANDS = (
    (80.0, 4, "80 % or more: well understood"),
    (60.0, 3, "60 to 79 %"),
    (40.0, 2, "40 to 59 %"),
    (0.0, 1, "under 40 %: misread by many"),
)


# ---- what the pages show


@dataclass(frozen=True)
class AttemptGroup:
    """The attempts a report analyses: a class session's students, or (session None) the attempts made through
    the set's share link: set_id is the set's and session_id is NULL."""

    question_set: QuestionSet
    session: ClassSession | None = None

    @property
    def title(self) -> str:
        return self.session.title if self.session else self.question_set.title


@dataclass(frozen=True)
class Column:
    """A question of the session, numbered in the session's order (keyed by version: shuffles differ)."""

    number: int
    version_id: int
    question_id: int  # the set's question (for links to the editor and to flags)
    question: DomainQuestion
    withdrawn: bool  # deleted from the set since the session

    @property
    def label(self) -> str:
        """The question in a few plain words (its title, or the start of its prompt)."""
        text = self.question.title or to_plain(self.question.prompt, self.question.format)
        return text if len(text) <= 60 else text[:57].rstrip() + "…"


@dataclass(frozen=True)
class Cell:
    """One student's result on one question: points (None: not answered) and the answer in words."""

    points: float | None
    answer: str
    asked: bool = True  # homework: each attempt asks its own draw of the set's questions
    awaiting: bool = False  # answered, waiting for the teacher's mark (an essay): no points yet
    hints: int = 0  # hint steps the student took (a session opened with hints): its points are lowered

    @property
    def kind(self) -> str:
        """right, partial, wrong, skipped, awaiting (marking) or not-asked (for the page's marks)."""
        if not self.asked:
            return "not-asked"
        if self.awaiting:
            return "awaiting"
        if self.points is None:
            return "skipped"
        if is_correct(self.points):
            return "right"
        return "partial" if self.points > 0 else "wrong"


@dataclass(frozen=True)
class GradebookRow:
    """A student's line of the gradebook (in homework, an attempt's)."""

    participant_id: int  # in homework, the attempt's id
    name: str
    cells: tuple[Cell, ...]
    total: float
    out_of: int
    finished: bool
    key: str  # tells students apart in the item analysis (names repeat in homework)

    @property
    def awaiting(self) -> int:
        """How many of the row's answers wait for the teacher's mark (not in the total yet)."""
        return sum(1 for cell in self.cells if cell.awaiting)

    @property
    def percent(self) -> float:
        return round(100 * self.total / self.out_of, 1) if self.out_of else 0.0


@dataclass(frozen=True)
class Gradebook:
    """One row per student, one column per question."""

    group: AttemptGroup
    columns: tuple[Column, ...]
    rows: tuple[GradebookRow, ...]
    sort: str

    @property
    def session(self) -> ClassSession | None:
        return self.group.session

    @property
    def marked_by_teacher(self) -> bool:
        """Whether any question is marked by the teacher (an essay): the gradebook then counts what awaits."""
        return any(not column.question.kind.auto_scored for column in self.columns)

    @property
    def hints_taken(self) -> bool:
        """Whether any student took hints (a session opened with hints): the page explains its mark."""
        return any(cell.hints for row in self.rows for cell in row.cells)


@dataclass(frozen=True)
class StudentFlag:
    """A student's 'this looks wrong' on a question, with their comment."""

    question_id: int
    name: str
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class ItemReport:
    """One question's analysis: Moodle's statistics, the answers given, and the students' flags."""

    column: Column
    stats: ItemStats
    bars: tuple[Bar, ...]
    answered: int
    student_flags: tuple[StudentFlag, ...]
    set_id: int
    editable: bool  # a teacher's set (the built-in bank has no editor) and still in it
    awaiting: int = 0  # answers waiting for the teacher's mark: left out of the statistics until marked

    @property
    def warnings(self) -> list[str]:
        """The analysis's flags in plain words for a teacher."""
        return [_in_words(flag, self.stats) for flag in self.stats.flags]


@dataclass(frozen=True)
class ShadedSentence:
    """A sentence of the source text with the mean facility of the session's questions quoting it."""

    anchor: str
    text: str
    facility: float | None  # None: not covered, or nobody in the class yet
    numbers: tuple[int, ...]  # the questions (session numbers) quoting it

    @property
    def covered(self) -> bool:
        return bool(self.numbers)

    @property
    def band(self) -> int:
        """1 (misread) to 4 (well understood); 0 when there is nothing to shade."""
        return facility_band(self.facility) if self.covered else 0


@dataclass(frozen=True)
class Passage:
    """The set's source text, paragraph by paragraph, shaded sentence by sentence."""

    title: str
    paragraphs: tuple[tuple[ShadedSentence, ...], ...]

    @property
    def uncovered(self) -> int:
        return sum(1 for p in self.paragraphs for s in p if not s.covered)


@dataclass(frozen=True)
class SessionReport:
    """Everything the report pages show about one session."""

    gradebook: Gradebook
    items: tuple[ItemReport, ...]
    distribution: tuple[int, ...]  # students per 10 % band of the score
    passage: Passage | None  # None: the set has no source text

    @property
    def session(self) -> ClassSession | None:
        return self.gradebook.session

    @property
    def group(self) -> AttemptGroup:
        return self.gradebook.group

    @property
    def facilities(self) -> list[tuple[int, float]]:
        """(question number, facility index) for the per-question chart."""
        return [(item.column.number, item.stats.facility) for item in self.items]

    @property
    def mean_percent(self) -> float | None:
        rows = self.gradebook.rows
        return round(sum(r.percent for r in rows) / len(rows), 1) if rows else None


def facility_band(facility: float | None) -> int:
    """The shading band of a facility index (0: none)."""
    if facility is None:
        return 0
    return next(band for lowest, band, _ in BANDS if facility >= lowest)


def _in_words(flag: str, stats: ItemStats) -> str:
    facility = f"{stats.facility:g}"
    if flag.startswith("too easy"):
        return f"Too easy: the class earned {facility} % of the points."
    if flag.startswith("too hard"):
        return f"Too hard: the class earned only {facility} % of the points."
    if flag.startswith("discriminates negatively"):
        return (
            f"Discriminates negatively ({stats.discrimination:g}): the weaker students did better than the "
            "stronger ones. Check the key and the wording."
        )
    if flag.startswith("discriminates weakly"):
        return (
            f"Discriminates weakly ({stats.discrimination:g}): the stronger and weaker students did about "
            "as well."
        )
    return flag[:1].upper() + flag[1:] + "."


# ---- loading (a fixed number of queries)


@dataclass(frozen=True)
class _Student:
    participant_id: int
    name: str
    attempt_id: int
    finished: bool
    key: str = ""  # default: the name (unique in a session)


@dataclass(frozen=True)
class _Loaded:
    group: AttemptGroup
    columns: tuple[Column, ...]
    students: tuple[_Student, ...]
    responses: dict[tuple[int, int], tuple[Any, float | None]]  # (attempt, version) -> (given, points: None
    # while awaiting the teacher's mark)
    asked: dict[int, frozenset[int]] | None = None  # homework: attempt -> the versions it asks
    hints: dict[tuple[int, int], int] = field(default_factory=dict)  # (attempt, version) -> hint steps taken


def _columns(session: ClassSession) -> tuple[Column, ...]:
    """The session's scored questions in plan order (one query); a teacher-paced session ended early has only
    those it got to (a question nobody was asked is not 'too hard')."""
    plan = session.plan[: session.position] if session.pacing == Pacing.TEACHER else session.plan
    return _columns_of([p["version_id"] for p in plan])


def _columns_of(ids: Sequence[int]) -> tuple[Column, ...]:
    """These question versions, scored ones only, numbered in this order (one query)."""
    rows = {
        row.QuestionVersion.id: row
        for row in db.session.execute(
            db.select(QuestionVersion, Question.hidden)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(QuestionVersion.id.in_(ids))
        )
    }
    columns = []
    for version_id in ids:
        version, hidden = rows[version_id]
        question = version.to_domain()
        if question.scored:
            columns.append(Column(len(columns) + 1, version.id, version.question_id, question, hidden))
    return tuple(columns)


def _load(group: AttemptGroup) -> _Loaded:
    """The group's students, answers and questions: a session's, or the set's homework."""
    return _load_session(group) if group.session else _load_homework(group)


def _load_session(group: AttemptGroup) -> _Loaded:
    """The session's students (not removed), their responses, and its questions: three queries."""
    session = group.session
    assert session is not None
    students = tuple(
        _Student(row.id, row.display_name, row.attempt_id, row.state == "finished")
        for row in db.session.execute(
            db.select(Participant.id, Participant.display_name, Attempt.id.label("attempt_id"), Attempt.state)
            .join(Attempt, Attempt.id == Participant.attempt_id)
            .where(
                Participant.session_id == session.id,
                Participant.removed.is_(False),
                Attempt.state != "abandoned",
            )
            .order_by(Participant.joined_at, Participant.id)
        )
    )
    responses, hints = {}, {}
    for row in db.session.execute(
        db.select(
            Response.attempt_id,
            Response.question_version_id,
            Response.given,
            Response.points,
            AttemptQuestion.hints_taken,
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(AttemptQuestion, AttemptQuestion.id == Response.slot_id)
        .where(Attempt.session_id == session.id, Attempt.state != "abandoned")
    ):
        responses[(row.attempt_id, row.question_version_id)] = (row.given, row.points)
        if row.hints_taken:
            hints[(row.attempt_id, row.question_version_id)] = row.hints_taken
    return _Loaded(group, _columns(session), students, responses, hints=hints)


def homework_attempts(question_set: QuestionSet) -> Any:
    """The condition that picks the attempts made through the set's share link (not in a class session)."""
    return (Attempt.set_id == question_set.id) & Attempt.session_id.is_(None) & (Attempt.state != "abandoned")


def _load_homework(group: AttemptGroup) -> _Loaded:
    """The share-link attempts at the set, oldest first (a row each, named as the student typed it, if the
    link asked), their answers, and every question any of them asks: three queries."""
    chosen = homework_attempts(group.question_set)
    attempts = db.session.execute(
        db.select(Attempt.id, Attempt.public_id, Attempt.settings, Attempt.state)
        .where(chosen)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    students = tuple(
        _Student(a.id, a.settings.get("student_name") or NO_NAME, a.id, a.state == "finished", a.public_id)
        for a in attempts
    )
    asked: dict[int, set[int]] = defaultdict(set)
    responses = {}
    for row in db.session.execute(
        db.select(
            AttemptQuestion.attempt_id,
            AttemptQuestion.question_version_id,
            Response.id.label("response_id"),
            Response.given,
            Response.points,
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .outerjoin(Response, Response.slot_id == AttemptQuestion.id)
        .where(chosen)
    ):
        asked[row.attempt_id].add(row.question_version_id)
        if row.response_id is not None:
            responses[(row.attempt_id, row.question_version_id)] = (row.given, row.points)
    versions = db.session.execute(
        db.select(QuestionVersion.id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.id.in_({v for vs in asked.values() for v in vs}))
        .order_by(Question.position, Question.id, QuestionVersion.number)
    ).scalars()
    frozen = {attempt_id: frozenset(vs) for attempt_id, vs in asked.items()}
    return _Loaded(group, _columns_of(list(versions)), students, responses, frozen)


def _student_flags(session: ClassSession | None) -> dict[int, list[StudentFlag]]:
    """The session's flags by set question, oldest first, without those of removed students (one query);
    none in homework (flags are a class session's)."""
    if session is None:
        return {}
    rows = db.session.execute(
        db.select(
            QuestionFlag.question_id, QuestionFlag.comment, QuestionFlag.created_at, Participant.display_name
        )
        .outerjoin(Participant, Participant.id == QuestionFlag.participant_id)
        .where(
            QuestionFlag.session_id == session.id,
            or_(Participant.id.is_(None), Participant.removed.is_(False)),
        )
        .order_by(QuestionFlag.created_at, QuestionFlag.id)
    )
    flags: dict[int, list[StudentFlag]] = defaultdict(list)
    for row in rows:
        name = row.display_name or "A student"
        flags[row.question_id].append(StudentFlag(row.question_id, name, row.comment, row.created_at))
    return flags


# ---- the reports


def _answer(question: DomainQuestion, given: Any) -> Answer:
    return answer_from_json(question, given)


def _answer_words(question: DomainQuestion, answer: Answer | None) -> str:
    """An answer in plain words (a choice may be rich text; typed answers are the student's own words)."""
    words = answer_in_words(question, answer)
    return words if question.kind.typed or answer is None else to_plain(words, question.format)


def _rows(loaded: _Loaded) -> list[GradebookRow]:
    rows = []
    for student in loaded.students:
        cells = []
        for column in loaded.columns:
            found = loaded.responses.get((student.attempt_id, column.version_id))
            if loaded.asked is not None and column.version_id not in loaded.asked.get(student.attempt_id, ()):
                cells.append(Cell(None, NOT_ASKED, asked=False))
            elif found is None:
                cells.append(Cell(None, NO_ANSWER))
            else:
                answer = _answer(column.question, found[0])
                awaiting = found[1] is None  # only a teacher-marked answer is stored without points
                hints = loaded.hints.get((student.attempt_id, column.version_id), 0)
                words = _answer_words(column.question, answer)
                cells.append(Cell(found[1], words, awaiting=awaiting, hints=hints))
        total = round(sum(c.points or 0.0 for c in cells), 4)
        out_of = sum(1 for c in cells if c.asked)
        key = student.key or student.name
        rows.append(
            GradebookRow(
                student.participant_id, student.name, tuple(cells), total, out_of, student.finished, key
            )
        )
    return rows


def _sorted(rows: list[GradebookRow], sort: str) -> tuple[GradebookRow, ...]:
    if sort == "score":
        return tuple(sorted(rows, key=lambda r: (-r.total, r.name.casefold(), r.participant_id)))
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.participant_id)))


def _gradebook(loaded: _Loaded, sort: str) -> Gradebook:
    sort = sort if sort in SORTS else "name"
    return Gradebook(loaded.group, loaded.columns, _sorted(_rows(loaded), sort), sort)


def _group(of: ClassSession | AttemptGroup) -> AttemptGroup:
    return of if isinstance(of, AttemptGroup) else AttemptGroup(of.question_set, of)


def gradebook(of: ClassSession | AttemptGroup, sort: str = "name") -> Gradebook:
    """One row per student of the session (removed ones left out), or per homework attempt, sorted by name or
    by score (best first).

    A question a student did not answer has no points (None) and earns 0 towards the total; one an attempt was
    not asked (homework) counts neither way.
    """
    return _gradebook(_load(_group(of)), sort)


def _items(loaded: _Loaded, book: Gradebook) -> tuple[ItemReport, ...]:
    """The item analysis of every question, from the gradebook's cells and the stored answers."""
    scores = [
        ItemScore(row.key, str(column.version_id), cell.points or 0.0, cell.answer)
        for row in book.rows
        for column, cell in zip(book.columns, row.cells, strict=True)
        if cell.asked and not cell.awaiting  # an answer not marked yet is neither right nor wrong
    ]
    stats = item_analysis(scores, [str(c.version_id) for c in loaded.columns])
    given: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    attempts = {s.attempt_id for s in loaded.students}
    for (attempt_id, version_id), (stored, points) in loaded.responses.items():
        if attempt_id in attempts:
            tally = given[version_id].setdefault(json.dumps(stored, sort_keys=True), [stored, 0, points])
            tally[1] += 1
    flags = _student_flags(loaded.group.session)
    question_set = loaded.group.question_set
    items = []
    for column, item_stats in zip(loaded.columns, stats, strict=True):
        counted = [
            (_answer(column.question, stored), n, points is not None and is_correct(points))
            for stored, n, points in given[column.version_id].values()
        ]
        answered = sum(n for _, n, _ in counted)
        items.append(
            ItemReport(
                column=column,
                stats=item_stats,
                bars=tuple(answer_bars(column.question, counted, answered)),
                answered=answered,
                student_flags=tuple(flags.get(column.question_id, ())),
                set_id=question_set.id,
                editable=not question_set.is_builtin and not column.withdrawn,
                awaiting=sum(1 for row in book.rows if row.cells[column.number - 1].awaiting),
            )
        )
    return tuple(items)


def _passage(loaded: _Loaded, items: Sequence[ItemReport]) -> Passage | None:
    """The set's source text shaded by the facility of the questions quoting each sentence."""
    article = set_article(loaded.group.question_set)
    if article is None:
        return None
    by_sentence: dict[str, list[str]] = defaultdict(list)
    numbers: dict[str, list[int]] = defaultdict(list)
    for column in loaded.columns:
        for sentence in article.find_span(column.question.source) if column.question.source else ():
            by_sentence[sentence.anchor].append(str(column.version_id))
            numbers[sentence.anchor].append(column.number)
    facility = sentence_facility(by_sentence, [item.stats for item in items])
    return Passage(
        article.title,
        tuple(
            tuple(
                ShadedSentence(s.anchor, s.text, facility.get(s.anchor), tuple(numbers.get(s.anchor, ())))
                for s in paragraph
            )
            for paragraph in article.paragraphs
        ),
    )


def session_report(of: ClassSession | AttemptGroup, sort: str = "name") -> SessionReport:
    """The whole report of a session (or of a set's homework): gradebook, item analysis, score distribution
    and shaded text."""
    loaded = _load(_group(of))
    book = _gradebook(loaded, sort)
    items = _items(loaded, book)
    distribution = tuple(score_distribution([row.percent for row in book.rows]))
    return SessionReport(book, items, distribution, _passage(loaded, items))
