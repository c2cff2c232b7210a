"""Loading banks into the database: idempotent, versioned on edit, withdrawn (never deleted) on removal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from quizapp.domain.generation import MAX_COUNT, NoMatchingQuestions, QuizSpec
from quizapp.extensions import db
from quizapp.models import Learner, Question, Response
from quizapp.services.attempt_views import Mode, load_attempt
from quizapp.services.attempts import finish_attempt, start_attempt
from quizapp.services.question_sets import ARTICLE_BANK, InvalidQuestionSet, sync_bank_folder
from quizapp.services.setup import initialise_database
from tests.databases import empty_database
from tests.services.indexed_forms import save_indexed
from tests.unit.factories import real_bank

Questions = list[dict[str, Any]]


def rewrite_bank(folder: Path, change: Callable[[Questions], None]) -> None:
    """Apply `change` to the list of questions of the bank file in `folder`, and write it back."""
    path = folder / "article-bank.yaml"
    bank = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    change(bank["questions"])
    text = yaml.dump(bank, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def question_row(key: str) -> Question:
    """The stored question with this id in the article's bank."""
    return db.session.scalar(db.select(Question).where(Question.key == key))


def change_key(key: str) -> Callable[[Questions], None]:
    """An edit of single-choice question `key`: another choice becomes the answer; the prompt changes."""

    def change(questions: Questions) -> None:
        target = next(q for q in questions if q["id"] == key)
        target["answer"] = next(c for c in target["choices"] if c != target["answer"])
        target["prompt"] += " (edited)"

    return change


def remove(key: str) -> Callable[[Questions], None]:
    """An edit taking question `key` out of the bank."""

    def change(questions: Questions) -> None:
        questions[:] = [q for q in questions if q["id"] != key]

    return change


def answered_attempt(learner: Learner, key: str, answer_right: Callable) -> str:
    """A finished test attempt at question `key` alone, answered right; returns its public id."""
    spec = QuizSpec(count=1, question_ids=frozenset({key}))
    attempt, _ = start_attempt(learner, spec, Mode.TEST, ARTICLE_BANK)
    view = load_attempt(attempt.public_id, learner)
    assert save_indexed(view, 1, answer_right(view.slots[0].question))
    assert finish_attempt(view.attempt)
    return attempt.public_id


@pytest.fixture
def edited(single_choice_id: str) -> str:
    """The id of the question the tests edit or remove (a single-choice question of the bank)."""
    return single_choice_id


def test_loading_a_fresh_database_twice_adds_then_changes_nothing(
    make_test_app: Callable[..., Flask], tmp_path: Path, counts: Callable, bank_size: int
) -> None:
    app = make_test_app(empty_database(tmp_path, "fresh"))
    with app.app_context():
        first = initialise_database(Path(app.config["QUESTIONS_DIR"]))
        second = initialise_database(Path(app.config["QUESTIONS_DIR"]))
    n = bank_size
    assert [(r.slug, len(r.added), r.updated, r.hidden, r.unchanged) for r in first] == [
        (ARTICLE_BANK, n, [], [], 0)
    ]
    assert [(r.slug, r.added, r.updated, r.hidden, r.unchanged) for r in second] == [
        (ARTICLE_BANK, [], [], [], n)
    ]
    assert str(second[0]) == f"article-bank: 0 added, 0 updated, 0 withdrawn, {n} unchanged"
    assert counts(app) == {"sets": 1, "questions": n, "versions": n, "attempts": 0, "responses": 0}


def test_loading_the_loaded_database_again_reports_all_unchanged(ctx: Flask, counts: Callable) -> None:
    before = counts(ctx)
    (report,) = initialise_database(Path(ctx.config["QUESTIONS_DIR"]))
    assert (report.added, report.updated, report.hidden, report.unchanged) == (
        [],
        [],
        [],
        before["questions"],
    )
    assert counts(ctx) == before


def test_editing_a_question_adds_version_2_and_keeps_version_1(
    ctx: Flask, questions_copy: Path, edited: str, bank_size: int
) -> None:
    old_answer = question_row(edited).current.content["answer"]
    rewrite_bank(questions_copy, change_key(edited))
    (report,) = sync_bank_folder(questions_copy)
    assert (report.updated, report.added, report.unchanged) == ([edited], [], bank_size - 1)
    row = question_row(edited)
    assert [v.number for v in row.versions] == [1, 2]
    assert row.current_number == 2
    assert row.versions[0].content["answer"] == old_answer
    assert row.versions[1].content["answer"] != old_answer
    assert row.current.content["prompt"].endswith("(edited)")


def test_an_edit_never_rewrites_a_past_score(
    ctx: Flask, learner: Learner, questions_copy: Path, edited: str, answer_right: Callable
) -> None:
    old_answer = question_row(edited).current.content["answer"]
    public_id = answered_attempt(learner, edited, answer_right)
    rewrite_bank(questions_copy, change_key(edited))
    sync_bank_folder(questions_copy)
    db.session.expire_all()
    view = load_attempt(public_id, learner)
    assert (view.attempt.score, view.slots[0].points) == (1.0, 1.0)
    assert view.slots[0].question.answer == old_answer
    version_1 = question_row(edited).versions[0]
    assert view.slots[0].version_id == version_1.id
    response = db.session.scalar(db.select(Response).where(Response.attempt_id == view.attempt.id))
    assert (response.question_version_id, response.points, response.given) == (version_1.id, 1.0, old_answer)


def test_a_new_quiz_asks_the_edited_version(
    ctx: Flask, learner: Learner, questions_copy: Path, edited: str
) -> None:
    rewrite_bank(questions_copy, change_key(edited))
    sync_bank_folder(questions_copy)
    attempt, _ = start_attempt(learner, QuizSpec(question_ids=frozenset({edited})), Mode.TEST, ARTICLE_BANK)
    view = load_attempt(attempt.public_id, learner)
    version_2 = question_row(edited).versions[1]
    assert view.slots[0].version_id == version_2.id
    assert view.slots[0].question.answer == version_2.content["answer"]


def test_a_removed_question_is_withdrawn_not_deleted(
    ctx: Flask, learner: Learner, questions_copy: Path, edited: str, answer_right: Callable, counts: Callable
) -> None:
    public_id = answered_attempt(learner, edited, answer_right)
    before = counts(ctx)
    rewrite_bank(questions_copy, remove(edited))
    (report,) = sync_bank_folder(questions_copy)
    assert (report.hidden, report.added, report.updated) == ([edited], [], [])
    assert question_row(edited).hidden is True
    assert counts(ctx) == before
    assert load_attempt(public_id, learner).slots[0].points == 1.0


def test_a_question_marked_withdrawn_is_hidden_like_a_removed_one(
    ctx: Flask, learner: Learner, questions_copy: Path, edited: str, answer_right: Callable
) -> None:
    public_id = answered_attempt(learner, edited, answer_right)

    def withdraw(questions: Questions) -> None:
        next(q for q in questions if q["id"] == edited)["withdrawn"] = True

    rewrite_bank(questions_copy, withdraw)
    (report,) = sync_bank_folder(questions_copy)
    assert (report.hidden, report.added, report.updated) == ([edited], [], [])
    assert question_row(edited).hidden is True and len(question_row(edited).versions) == 1
    assert load_attempt(public_id, learner).slots[0].points == 1.0  # the old attempt keeps its question
    with pytest.raises(NoMatchingQuestions):
        start_attempt(learner, QuizSpec(question_ids=frozenset({edited})), Mode.TEST, ARTICLE_BANK)


def test_a_withdrawn_question_is_not_used_by_new_quizzes(
    ctx: Flask, learner: Learner, questions_copy: Path, edited: str
) -> None:
    rewrite_bank(questions_copy, remove(edited))
    sync_bank_folder(questions_copy)
    others = [q.id for q in real_bank().questions if q.id != edited][: MAX_COUNT - 1]  # a quiz's most
    named = frozenset({edited, *others})  # by name: a draw leaves clashing ones out
    attempt, plan = start_attempt(
        learner, QuizSpec(count=len(named), question_ids=named), Mode.TEST, ARTICLE_BANK
    )
    view = load_attempt(attempt.public_id, learner)
    assert (len(view.slots), plan.shortfall, plan.left_out) == (len(named) - 1, 1, 0)
    assert edited not in {s.question.id for s in view.slots}
    with pytest.raises(NoMatchingQuestions):
        start_attempt(learner, QuizSpec(question_ids=frozenset({edited})), Mode.TEST, ARTICLE_BANK)


def test_a_question_put_back_is_asked_again_without_a_new_version(
    ctx: Flask, questions_copy: Path, edited: str, bank_size: int
) -> None:
    original = (questions_copy / "article-bank.yaml").read_text(encoding="utf-8")
    rewrite_bank(questions_copy, remove(edited))
    sync_bank_folder(questions_copy)
    (questions_copy / "article-bank.yaml").write_text(original, encoding="utf-8")
    (report,) = sync_bank_folder(questions_copy)
    assert (report.added, report.updated, report.unchanged) == ([], [], bank_size)
    row = question_row(edited)
    assert row.hidden is False and len(row.versions) == 1


def test_a_broken_bank_loads_nothing(ctx: Flask, questions_copy: Path, edited: str, counts: Callable) -> None:
    def edit_one_break_another(questions: Questions) -> None:
        change_key(edited)(questions)
        other = next(q for q in questions if q["type"] == "single_choice" and q["id"] != edited)
        other["choices"] = [other["answer"], "Another"]

    before = counts(ctx)
    rewrite_bank(questions_copy, edit_one_break_another)
    with pytest.raises(InvalidQuestionSet) as caught:
        sync_bank_folder(questions_copy)
    assert "only 2 choices" in str(caught.value)
    db.session.expire_all()
    assert counts(ctx) == before
    assert question_row(edited).current_number == 1
