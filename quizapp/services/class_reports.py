"""Reports over a group of attempts (a class session's, or those made through a set's share link, the
homework): the gradebook, the item analysis, the source text shaded by how well the students read it.

Every report loads the group's students, responses and question versions with a fixed number of queries
(never one per student or per question: services/report_loading.py) and computes the rest in Python.
Students removed by the teacher (their attempts are 'abandoned') are left out everywhere, their flags too. In
homework each attempt is a row and asks its own draw of the set's questions: a question it was not asked is
neither right nor wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
from quizapp.domain.certainty import CbmFigures, CbmResponse, Certainty, cbm_summary
from quizapp.domain.questions import Answer
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.scoring import is_correct
from quizapp.models import (
    ClassSession,
)
from quizapp.richtext import to_plain
from quizapp.services.question_sets import set_article
from quizapp.services.report_loading import AttemptGroup, Column, Loaded, StudentFlag, load, student_flags

SORTS = ("name", "score")
NO_ANSWER = "No answer"
NOT_ASKED = "Not asked"
# Shading of the source text: (lowest facility, band, words for the legend), best band first.
BANDS = (
    (80.0, 4, "80 % or more: well understood"),
    (60.0, 3, "60 to 79 %"),
    (40.0, 2, "40 to 59 %"),
    (0.0, 1, "under 40 %: misread by many"),
)


# ---- what the pages show


@dataclass(frozen=True)
class Cell:
    """One student's result on one question: points (None: not answered) and the answer in words."""

    points: float | None
    answer: str
    asked: bool = True  # homework: each attempt asks its own draw of the set's questions
    awaiting: bool = False  # answered, waiting for the teacher's mark (an essay): no points yet
    hints: int = 0  # hint steps the student took (a session opened with hints): its points are lowered
    certainty: int | None = None  # how sure the student said they were (1-3; certainty-based marking)

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
    cbm: CbmFigures | None = None  # certainty-based marking: Moodle's whole-quiz figures

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

    @property
    def cbm(self) -> bool:
        """Whether the answers were given with certainty-based marking (a column of CBM marks)."""
        return any(row.cbm for row in self.rows)


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
    sure_and_wrong: tuple[str, ...] = ()  # certainty-based marking: who answered wrong at C=3 (a misreading?)

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


# ---- the reports


def _answer(question: DomainQuestion, given: Any) -> Answer:
    return answer_from_json(question, given)


def _answer_words(question: DomainQuestion, answer: Answer | None) -> str:
    """An answer in plain words (a choice may be rich text; typed answers are the student's own words)."""
    words = answer_in_words(question, answer)
    return words if question.kind.typed or answer is None else to_plain(words, question.format)


def _rows(loaded: Loaded) -> list[GradebookRow]:
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
                certainty = loaded.certainty.get((student.attempt_id, column.version_id))
                words = _answer_words(column.question, answer)
                cells.append(Cell(found[1], words, awaiting=awaiting, hints=hints, certainty=certainty))
        total = round(sum(c.points or 0.0 for c in cells), 4)
        out_of = sum(1 for c in cells if c.asked)
        key = student.key or student.name
        cbm = _cbm(loaded.columns, cells) if loaded.cbm else None
        rows.append(
            GradebookRow(
                student.participant_id, student.name, tuple(cells), total, out_of, student.finished, key, cbm
            )
        )
    return rows


def _cbm(columns: Sequence[Column], cells: Sequence[Cell]) -> CbmFigures | None:
    """A student's certainty-based marking over the questions the server scores that they were asked (one
    not answered earns nothing; one awaiting a mark is left out), as on their own results page."""
    responses = [
        CbmResponse(1.0, cell.points, Certainty(cell.certainty) if cell.certainty else None)
        for column, cell in zip(columns, cells, strict=True)
        if cell.asked and not cell.awaiting and column.question.kind.auto_scored
    ]
    summary = cbm_summary(responses)
    return summary.whole_quiz if summary else None


def _sorted(rows: list[GradebookRow], sort: str) -> tuple[GradebookRow, ...]:
    if sort == "score":
        return tuple(sorted(rows, key=lambda r: (-r.total, r.name.casefold(), r.participant_id)))
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.participant_id)))


def _gradebook(loaded: Loaded, sort: str) -> Gradebook:
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
    return _gradebook(load(_group(of)), sort)


def _items(loaded: Loaded, book: Gradebook) -> tuple[ItemReport, ...]:
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
    flags = student_flags(loaded.group.session)
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
                sure_and_wrong=_sure_and_wrong(book, column),
            )
        )
    return tuple(items)


def _sure_and_wrong(book: Gradebook, column: Column) -> tuple[str, ...]:
    """The students who said they were very sure (C=3) of a wrong answer to `column`, by name."""
    cells = ((row.name, row.cells[column.number - 1]) for row in book.rows)
    return tuple(name for name, cell in cells if cell.certainty == Certainty.HIGH and cell.kind == "wrong")


def _passage(loaded: Loaded, items: Sequence[ItemReport]) -> Passage | None:
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
    loaded = load(_group(of))
    book = _gradebook(loaded, sort)
    items = _items(loaded, book)
    distribution = tuple(score_distribution([row.percent for row in book.rows]))
    return SessionReport(book, items, distribution, _passage(loaded, items))
