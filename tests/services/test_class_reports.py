"""Reports after a classroom session (services/class_reports.py), on a small fixed class run through the real
services: create, join, start, answer, flag, remove, close.

The class (6 students, 4 questions, no shuffling) was computed by hand:

            Q1 outlet   Q2 June (T)   Q3 shown        Q4 shared   total   %
    Ana     1 CD        0 False       1 Flag; Probe   1           3       75
    Ben     1 CD        0 False       1 Flag; Probe   1           3       75
    Cai     1 CD        1 True        0.5 Flag        1           3.5     87.5
    Dev     0 GT        1 True        0.5 Flag        1           2.5     62.5
    Eli     0 CGTN      1 True        0 Rocket        1           2       50
    Fay     - none      1 True        - none          1           2       50

Ranked by total (ties by name): Cai, Ana, Ben, Dev, Eli, Fay; thirds of 2: top Cai+Ana, bottom Eli+Fay.
Q2 is answered right by the weaker students only: it discriminates negatively (a wrong key would look so).
A seventh student ("Rude") answers and flags, then is removed: they are in no report.
"""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import ClassSession, QuestionSet, Teacher
from quizapp.models import Question as QuestionRow
from quizapp.services import NotFound, report_csv, set_results, teacher_sets
from quizapp.services import class_reports as reports
from quizapp.services.accounts import create_teacher
from quizapp.services.attempt_views import load_attempt
from quizapp.services.attempts import save_answer
from quizapp.services.classroom import SessionOptions, create_session, join_session
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK, get_set
from quizapp.services.session_flow import start_session
from tests.conftest import counted_statements
from tests.services.indexed_forms import as_sent
from tests.services.reported_class import (
    CHOSEN,
    CLASS,
    FIRST,
    QUESTIONS,
    RIGHT,
    SAMPLES,
    SECOND,
    TEXT,
    run_session,
)
from tests.unit.factories import make_question

PERCENTS = {"Ana": 75.0, "Ben": 75.0, "Cai": 87.5, "Dev": 62.5, "Eli": 50.0, "Fay": 50.0}


# ---- running a class through the services


@pytest.fixture
def teacher(ctx: Flask) -> Teacher:
    return create_teacher("ada@school.org", "Ada", "correct horse battery")


@pytest.fixture
def question_set(teacher: Teacher) -> QuestionSet:
    """Ada's set: the four questions above, grounded in TEXT."""
    created = teacher_sets.create_set(teacher, "Chang’e 6 reading", "", TEXT)
    teacher_sets.add_questions(created, QUESTIONS)
    return created


@pytest.fixture
def session(teacher: Teacher, question_set: QuestionSet) -> ClassSession:
    """The hand-computed class; Eli flags Q2, and so does Rude before being removed."""
    return run_session(
        teacher,
        question_set,
        CLASS,
        flags={"Eli": (2, "I think the answer is wrong"), "Rude": (2, "rude words")},
        removed={"Rude": RIGHT},
        title="Year 9 · Chang’e",
    )


# ---- gradebook


def test_the_gradebook_has_a_row_per_student_and_a_column_per_question(session: ClassSession) -> None:
    book = reports.gradebook(session)
    assert [c.question.id for c in book.columns] == ["outlet", "june", "shown", "shared"]
    assert [c.number for c in book.columns] == [1, 2, 3, 4]
    assert {r.name: r.percent for r in book.rows} == PERCENTS  # Rude, removed, is not there
    assert {r.name: r.total for r in book.rows}["Cai"] == 3.5
    assert all(r.out_of == 4 and r.finished for r in book.rows)


@pytest.mark.parametrize(
    ("name", "number", "points", "answer", "kind"),
    [
        ("Ana", 3, 1.0, "Flag; Probe", "right"),
        ("Cai", 3, 0.5, "Flag", "partial"),
        ("Eli", 1, 0.0, "CGTN", "wrong"),
        ("Ana", 2, 0.0, "False", "wrong"),
        ("Fay", 1, None, "No answer", "skipped"),
        ("Fay", 4, 1.0, "china daily", "right"),  # typed answers as the student typed them
    ],
)
def test_each_cell_holds_the_points_and_the_answer_in_words(
    session: ClassSession, name: str, number: int, points: float | None, answer: str, kind: str
) -> None:
    row = next(r for r in reports.gradebook(session).rows if r.name == name)
    cell = row.cells[number - 1]
    assert (cell.points, cell.answer, cell.kind) == (points, answer, kind)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Ana", "Ben", "Cai", "Dev", "Eli", "Fay"]),
        ("score", ["Cai", "Ana", "Ben", "Dev", "Eli", "Fay"]),
        ("anything else", ["Ana", "Ben", "Cai", "Dev", "Eli", "Fay"]),
    ],
)
def test_the_gradebook_sorts_by_name_or_by_score(session: ClassSession, sort: str, order: list[str]) -> None:
    book = reports.gradebook(session, sort)
    assert [r.name for r in book.rows] == order
    assert book.sort == ("score" if sort == "score" else "name")


def test_columns_follow_the_plan_even_when_each_student_has_their_own_order(
    teacher: Teacher, question_set: QuestionSet
) -> None:
    session, _ = create_session(teacher, question_set, CHOSEN, SessionOptions(shuffle=True))
    learner = ensure_learner(None)
    participant = join_session(session, learner, "Zoe")
    start_session(session)
    view = load_attempt(participant.attempt.public_id, learner)
    outlet = next(s.position for s in view.slots if s.question.id == "outlet")
    save_answer(
        view,
        outlet,
        as_sent(view.slot(outlet), {"answer": [str(view.slot(outlet).question.choices.index("CGTN"))]}),
    )
    db.session.expire_all()
    book = reports.gradebook(session)
    planned = [p["version_id"] for p in session.plan]
    assert [c.version_id for c in book.columns] == planned
    column = next(c for c in book.columns if c.question.id == "outlet")
    (row,) = book.rows
    assert row.cells[column.number - 1].answer == "CGTN"
    assert not row.finished  # still answering: the session is open
    assert sum(c.points is None for c in row.cells) == 3


# ---- item analysis


def items_by_id(session: ClassSession) -> dict[str, reports.ItemReport]:
    return {item.column.question.id: item for item in reports.session_report(session).items}


@pytest.mark.parametrize(
    ("question", "facility", "sd", "discrimination"),
    [
        ("outlet", 50.0, 54.77, 1.0),  # 1,1,1,0,0,0: top 2, bottom 0 -> 2/2
        # 0,0,1,1,1,1: top (Cai 1 + Ana 0) - bottom (Eli 1 + Fay 1) = -1, over 2 -> -0.5
        ("june", 66.67, 51.64, -0.5),
        ("shown", 50.0, 44.72, 0.75),  # 1,1,.5,.5,0,0: top 1.5, bottom 0 -> 0.75
        ("shared", 100.0, 0.0, 0.0),
    ],
)
def test_item_analysis_matches_the_values_computed_by_hand(
    session: ClassSession, question: str, facility: float, sd: float, discrimination: float
) -> None:
    stats = items_by_id(session)[question].stats
    assert stats.students == 6
    assert stats.facility == pytest.approx(facility, abs=0.01)
    assert stats.standard_deviation == pytest.approx(sd, abs=0.01)
    assert stats.discrimination == pytest.approx(discrimination)


def test_flags_are_said_in_plain_words(session: ClassSession) -> None:
    items = items_by_id(session)
    assert items["outlet"].warnings == []
    (negative,) = items["june"].warnings
    assert negative.startswith("Discriminates negatively (-0.5): the weaker students did better")
    assert items["shared"].warnings == [
        "Too easy: the class earned 100 % of the points.",
        "Discriminates weakly (0): the stronger and weaker students did about as well.",
    ]


def test_answer_distribution_has_a_bar_per_choice_and_marks_the_key(session: ClassSession) -> None:
    items = items_by_id(session)
    outlet = items["outlet"]
    assert outlet.answered == 5
    assert [(b.label, b.count, b.correct, b.percent) for b in outlet.bars] == [
        ("China Daily", 3, True, 60),
        ("Global Times", 1, False, 20),
        ("CGTN", 1, False, 20),
    ]
    shown = {b.label: (b.count, b.correct) for b in items["shown"].bars}  # a tick counts for each choice
    assert shown == {"Flag": (4, True), "Probe": (2, True), "Rocket": (1, False), "Rover": (0, False)}
    assert [(b.label, b.count) for b in items["shared"].bars] == [("China Daily", 5), ("china daily", 1)]


def test_items_carry_the_students_flags_and_an_edit_link_for_a_teachers_set(session: ClassSession) -> None:
    items = items_by_id(session)
    june = items["june"]
    assert [(f.name, f.comment) for f in june.student_flags] == [("Eli", "I think the answer is wrong")]
    assert items["outlet"].student_flags == ()
    assert june.editable and june.set_id == session.set_id
    key = db.session.scalar(db.select(QuestionRow.key).where(QuestionRow.id == june.column.question_id))
    assert key == "june"  # the set's question, for the editor's link


def test_the_score_distribution_counts_students_per_10_percent_band(session: ClassSession) -> None:
    report = reports.session_report(session)
    assert report.distribution == (0, 0, 0, 0, 0, 2, 1, 2, 1, 0)
    assert report.facilities == [(1, 50.0), (2, 66.67), (3, 50.0), (4, 100.0)]
    assert report.mean_percent == pytest.approx(sum(PERCENTS.values()) / 6, abs=0.05)


# ---- passage shading


def test_each_sentence_is_shaded_by_the_questions_quoting_it(session: ClassSession) -> None:
    passage = reports.session_report(session).passage
    assert passage is not None
    shaded = {s.text: (s.facility, s.numbers, s.band) for p in passage.paragraphs for s in p}
    assert shaded == {
        FIRST: (50.0, (3,), 2),
        SECOND: (75.0, (1, 4), 3),  # the mean of Q1 (50) and Q4 (100)
        SAMPLES: (66.67, (2,), 3),
        "Scientists are studying them now.": (None, (), 0),
        "More missions will follow.": (None, (), 0),
    }
    assert passage.uncovered == 2


@pytest.mark.parametrize(
    ("facility", "band"),
    [(None, 0), (0.0, 1), (39.99, 1), (40.0, 2), (59.9, 2), (60.0, 3), (79.99, 3), (80.0, 4), (100.0, 4)],
)
def test_facility_bands(facility: float | None, band: int) -> None:
    assert reports.facility_band(facility) == band


def test_a_set_without_source_text_has_no_passage(teacher: Teacher) -> None:
    plain = teacher_sets.create_set(teacher, "No text", "", "")
    teacher_sets.add_questions(plain, [make_question("true_false", id="tf", source="")])
    session = run_session(teacher, plain, {"Ana": {1: {"answer": ["true"]}}}, spec=QuizSpec(count=10))
    report = reports.session_report(session)
    assert report.passage is None
    assert [r.percent for r in report.gradebook.rows] == [100.0]


def test_the_article_bank_is_shaded_but_has_no_editor(teacher: Teacher) -> None:
    bank = get_set(ARTICLE_BANK)
    session, _ = create_session(teacher, bank, QuizSpec(count=3), SessionOptions(shuffle=False))
    db.session.expire_all()
    report = reports.session_report(session)
    assert report.passage is not None and report.passage.title
    covered = [s for p in report.passage.paragraphs for s in p if s.covered]
    assert len(covered) >= 1 and all(s.facility is None for s in covered)  # nobody joined
    assert not any(item.editable for item in report.items)


# ---- a fixed number of queries


def test_reports_take_the_same_number_of_queries_for_any_class_size(
    teacher: Teacher, question_set: QuestionSet, session: ClassSession
) -> None:
    small = run_session(teacher, question_set, {"Ana": RIGHT})
    counts = []
    for each in (small, session):
        db.session.commit()  # each in a transaction of its own, as a request would be
        db.session.expire_all()
        with counted_statements() as statements:
            reports.session_report(db.session.get(ClassSession, each.id))
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8


# ---- best and latest across sessions


@pytest.fixture
def second(teacher: Teacher, question_set: QuestionSet, session: ClassSession) -> ClassSession:
    """A later session on the same set: 'ana' (Ana, in other case) does better, Ben worse, two newcomers."""
    return run_session(
        teacher,
        question_set,
        {"ana": RIGHT, "Ben": {1: RIGHT[1]}, "=2+3": {}, "Gus": {4: RIGHT[4]}},
        title="Retake",
    )


def test_the_set_gradebook_has_best_and_latest_per_student(
    teacher: Teacher, question_set: QuestionSet, second: ClassSession
) -> None:
    run_session(teacher, question_set, {"Ana": {}}, close=False)  # still open: not counted
    book = set_results.set_gradebook(teacher, question_set)
    rows = {r.name: (r.sessions, r.best, r.latest) for r in book.rows}
    assert rows == {
        "ana": (2, 100.0, 100.0),  # the latest spelling of the name
        "Ben": (2, 75.0, 25.0),
        "Cai": (1, 87.5, 87.5),
        "Dev": (1, 62.5, 62.5),
        "Eli": (1, 50.0, 50.0),
        "Fay": (1, 50.0, 50.0),
        "=2+3": (1, 0.0, 0.0),
        "Gus": (1, 25.0, 25.0),
    }
    assert [r.name for r in book.rows][:3] == ["=2+3", "ana", "Ben"]
    assert [(s.title, s.students) for s in book.sessions] == [("Retake", 4), ("Year 9 · Chang’e", 6)]


def test_another_teacher_cannot_open_the_set_gradebook(question_set: QuestionSet) -> None:
    grace = create_teacher("grace@school.org", "Grace", "correct horse battery")
    with pytest.raises(NotFound):
        set_results.reportable_set(grace, question_set.id)
    assert set_results.reportable_set(grace, get_set(ARTICLE_BANK).id).is_builtin
    assert set_results.set_gradebook(grace, question_set).rows == ()  # Ada's sessions are not Grace's


# ---- CSV


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_gradebook_csv_parses_back(session: ClassSession) -> None:
    text = report_csv.gradebook_csv(session)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    header, *rows = read_csv(text)
    assert header[0] == "Student" and header[-3:] == ["Total", "Out of", "Percent"]
    assert header[1].startswith("Q1: Which outlet")
    assert len(rows) == 6
    assert rows[2] == ["Cai", "1", "1", "0.5", "1", "3.5", "4", "87.5"]
    assert rows[5] == ["Fay", "", "1", "", "1", "2", "4", "50"]  # empty: not answered


def test_the_gradebook_rounds_points_like_the_page(teacher: Teacher) -> None:
    """A third of a point is 0.33 in the CSV, as on the page (domain/points.py), never 0.3333."""
    thirds = teacher_sets.create_set(teacher, "Thirds", "", TEXT)
    teacher_sets.add_questions(thirds, [make_question("matching", id="pairs")])  # 3 pairs: 1/3 a pair
    swapped = {"match-0": ["1"], "match-1": ["0"], "match-2": ["2"]}  # one pair of three right
    spec = QuizSpec(count=1, question_ids=frozenset({"pairs"}))
    session = run_session(teacher, thirds, {"Ana": {1: swapped}}, spec=spec)
    header, ana = read_csv(report_csv.gradebook_csv(session))
    assert ana[1:3] == ["0.33", "0.33"]


def test_the_item_analysis_csv_parses_back(session: ClassSession) -> None:
    header, *rows = read_csv(report_csv.items_csv(session))
    assert header[:3] == ["Question", "Question text", "Type"]
    assert len(rows) == 4
    june = dict(zip(header, rows[1], strict=True))
    assert june["Question"] == "Q2"
    assert (june["Facility index (%)"], june["Discrimination index"]) == ("66.67", "-0.5")  # still a number
    assert june["Students' flags"] == "Eli: I think the answer is wrong"
    assert "Discriminates negatively" in june["Warnings"]
    assert "True: 4 (correct)" in june["Answers given"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(second: ClassSession) -> None:
    rows = read_csv(report_csv.gradebook_csv(second))
    names = [row[0] for row in rows[1:]]
    assert "'=2+3" in names and "=2+3" not in names


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        (-0.5, -0.5),
        (3, 3),
    ],
)
def test_safe_cell(value: object, written: object) -> None:
    assert report_csv.safe_cell(value) == written


def test_csv_file_names_come_from_the_session_title(session: ClassSession) -> None:
    assert report_csv.csv_filename(session, "gradebook") == "year-9-chang-e-gradebook.csv"


# ---- flags beside the set's questions


def test_flags_by_question_lists_comments_without_removed_students(
    session: ClassSession, question_set: QuestionSet
) -> None:
    flags = set_results.flags_by_question(question_set)
    ((question_id, notes),) = flags.items()
    assert [(n.comment, n.name, n.session_public_id) for n in notes] == [
        ("I think the answer is wrong", "Eli", session.public_id)
    ]
    june = next(c for c in reports.gradebook(session).columns if c.question.id == "june")
    assert question_id == june.question_id
