"""The command line on real files: `questions check`, `questions export`, `questions import`, `init-db`."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from flask import Flask

from quizapp.domain.question_types import kind_of
from quizapp.extensions import db
from quizapp.paths import resource_root
from tests.databases import empty_database

BUILTIN_QUESTIONS = resource_root() / "questions"
ARTICLE_NAME = "change-lunar-exploration.txt"
BANK_FILE = "teacher-bank.yaml"
EXPORT_KEYS = {"id", "type", "prompt", "choices", "answer", "explanation", "source", "topics", "difficulty"}
GOOD: dict[str, Any] = {
    "id": "flag-outlet",
    "type": "single_choice",
    "prompt": "Which outlet shared the flag event?",
    "choices": ["China Daily", "Global Times", "CGTN"],
    "answer": "China Daily",
    "explanation": "The article says the event was shared by China Daily.",
    "source": "This significant event was shared by China Daily.",
    "topics": ["chang-e-6"],
    "difficulty": 1,
}


def question(**changes: Any) -> dict[str, Any]:
    """The good question with `changes`; a change to None removes the field."""
    raw = {**copy.deepcopy(GOOD), **changes}
    return {k: v for k, v in raw.items() if v is not None}


def write_bank(folder: Path, questions: list[dict[str, Any]]) -> Path:
    """A questions folder holding the article and a bank of `questions` grounded in it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUILTIN_QUESTIONS / ARTICLE_NAME, folder / ARTICLE_NAME)
    bank = {"title": "Teacher bank", "article": ARTICLE_NAME, "questions": questions}
    (folder / BANK_FILE).write_text(
        yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


def run(app: Flask, *args: str) -> Result:
    """Run a flask command of `app`, as `flask --app quizapp ARGS` would.

    The app's own context is pushed: pytest-flask keeps the `app` fixture's context pushed during a test, and
    a command runs in whichever app context is current.
    """
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def export(app: Flask) -> dict[str, Any]:
    """The article bank of `app`'s database, as `questions export --format json` prints it."""
    result = run(app, "questions", "export", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_check_passes_the_built_in_bank(app: Flask, bank_size: int) -> None:
    result = run(app, "questions", "check")
    assert result.exit_code == 0, result.output
    assert f"OK article-bank.yaml: {bank_size} questions, all grounded" in result.output


def test_check_accepts_a_source_typed_with_a_straight_apostrophe(
    make_test_app: Callable[..., Flask], database: Path, tmp_path: Path
) -> None:
    source = "Chang'e-4 made history by being the first mission to land softly on the far side of the moon."
    folder = write_bank(tmp_path / "questions", [question(source=source)])
    result = run(make_test_app(database, QUESTIONS_DIR=str(folder)), "questions", "check")
    assert result.exit_code == 0, result.output
    assert f"OK {BANK_FILE}: 1 questions" in result.output


BROKEN = [
    ([question(type="crossword")], "unknown type 'crossword'", "use one of: single_choice"),
    ([question(explanation=None)], "missing field 'explanation'", "add 'explanation:'"),
    ([question(answer="Xinhua")], "answer 'Xinhua' is not among the choices", "copy one choice exactly"),
    (
        [question(choices=["CGTN", "China Daily", "CGTN"])],
        "duplicate choice 'CGTN'",
        "make every choice different",
    ),
    ([question(), question(prompt="Another?")], "duplicate id", "give every question its own id"),
    ([question(choices=["China Daily", "CGTN"])], "only 2 choices", "give at least 3 choices"),
    ([question(prompt="")], "'prompt' is empty", "write the prompt"),
    (
        [question(source="China Daily shared the news.")],
        "source not found verbatim",
        "copy the sentence exactly",
    ),
]


@pytest.mark.parametrize(("questions", "problem", "fix"), BROKEN)
def test_check_names_file_question_problem_and_fix(
    make_test_app: Callable[..., Flask],
    database: Path,
    tmp_path: Path,
    questions: list[dict[str, Any]],
    problem: str,
    fix: str,
) -> None:
    folder = write_bank(tmp_path / "questions", questions)
    result = run(make_test_app(database, QUESTIONS_DIR=str(folder)), "questions", "check")
    assert result.exit_code == 1
    line = next((ln for ln in result.output.splitlines() if problem in ln), None)
    assert line is not None, result.output
    assert f"{BANK_FILE}: question 'flag-outlet': {problem}" in line
    assert f"(fix: {fix}" in line
    assert "OK" not in result.output


def test_check_lint_passes_the_built_in_bank(app: Flask, bank_size: int) -> None:
    result = run(app, "questions", "check", "--lint")
    assert result.exit_code == 0, result.output
    assert f"OK article-bank.yaml: {bank_size} questions, all grounded (" in result.output
    assert f"{bank_size} questions: 0 problem(s)," in result.output
    assert "questions that re-ask a fact another question asks: 0" in result.output
    assert "FAIL" not in result.output


def test_check_lint_reports_each_check_and_fails_a_bank_that_repeats_a_fact(
    make_test_app: Callable[..., Flask], database: Path, tmp_path: Path
) -> None:
    again = question(
        id="flag-outlet-again", prompt="Which outlet reported the flag?"
    )  # one fact, asked twice
    folder = write_bank(tmp_path / "questions", [question(), again])
    app = make_test_app(database, QUESTIONS_DIR=str(folder))
    assert run(app, "questions", "check").exit_code == 0  # without --lint: a well-formed bank
    result = run(app, "questions", "check", "--lint")
    assert result.exit_code == 1
    assert f"OK {BANK_FILE}: 2 questions, all grounded" in result.output
    assert "Duplicate facts [duplicate-facts]: FAIL" in result.output
    assert "problem: flag-outlet, flag-outlet-again: they quote a common sentence" in result.output
    assert "[answer-shown]: FAIL" in result.output  # each shows the other's key among its choices
    for name in ("longest-key", "key-position", "true-false"):
        assert f"[{name}]: ok" in result.output


def test_check_lint_passes_a_bank_that_asks_each_fact_once(
    make_test_app: Callable[..., Flask], database: Path, tmp_path: Path
) -> None:
    withdrawn = question(id="flag-outlet-old", prompt="Which outlet reported the flag?", withdrawn=True)
    folder = write_bank(tmp_path / "questions", [question(fact="flag-outlet"), withdrawn])
    result = run(make_test_app(database, QUESTIONS_DIR=str(folder)), "questions", "check", "--lint")
    assert result.exit_code == 0, result.output
    assert f"OK {BANK_FILE}: 1 questions, all grounded (1 withdrawn)" in result.output
    assert "1 questions: 0 problem(s), 0 warning(s)." in result.output


def test_check_refuses_a_withdrawn_or_fact_field_of_the_wrong_shape(
    make_test_app: Callable[..., Flask], database: Path, tmp_path: Path
) -> None:
    folder = write_bank(tmp_path / "questions", [question(withdrawn="yes", fact=["a", "b"])])
    result = run(make_test_app(database, QUESTIONS_DIR=str(folder)), "questions", "check")
    assert result.exit_code == 1
    assert (
        "question 'flag-outlet': withdrawn must be true or false (fix: write withdrawn: true)"
        in result.output
    )
    assert "question 'flag-outlet': fact must be a short label" in result.output


def test_export_prints_every_question_as_json(app: Flask, bank_size: int) -> None:
    exported = export(app)
    assert set(exported) == {"title", "questions"}
    assert exported["title"].startswith("Xi Focus")
    assert len(exported["questions"]) == bank_size
    assert len({q["id"] for q in exported["questions"]}) == bank_size
    for item in exported["questions"]:
        assert set(item) >= EXPORT_KEYS, item["id"]
        assert (item["choices"] is None) == (not kind_of(item["type"]).uses_choices), item["id"]


def test_export_import_export_round_trip_into_a_fresh_database(
    app: Flask, make_test_app: Callable[..., Flask], tmp_path: Path, counts: Callable
) -> None:
    first = export(app)
    exported = tmp_path / "bank.json"
    exported.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    fresh = make_test_app(empty_database(tmp_path, "fresh"))
    with fresh.app_context():
        db.create_all()
    result = run(fresh, "questions", "import", str(exported), "--set", "article-bank")
    assert result.exit_code == 0, result.output
    assert f"Imported article-bank: {len(first['questions'])} added" in result.output
    assert counts(fresh)["sets"] == 1
    assert export(fresh) == first
    again = run(fresh, "questions", "export", "--format", "json").stdout
    assert again == run(app, "questions", "export", "--format", "json").stdout


def test_import_of_a_file_that_is_not_json_writes_nothing(
    app: Flask, tmp_path: Path, counts: Callable
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "Half a file", "questions": [', encoding="utf-8")
    before = counts(app)
    result = run(app, "questions", "import", str(broken), "--set", "article-bank")
    assert result.exit_code == 1
    assert "not a JSON file" in result.output and "Nothing was imported" in result.output
    assert counts(app) == before


@pytest.mark.parametrize("content", ["[]", '{"title": "No questions"}', '"just text"'])
def test_import_of_json_without_a_question_list_writes_nothing(
    app: Flask, tmp_path: Path, counts: Callable, content: str
) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(content, encoding="utf-8")
    before = counts(app)
    result = run(app, "questions", "import", str(odd), "--set", "new-set")
    assert result.exit_code == 1
    assert "expected an object with a 'questions' list" in result.output
    assert counts(app) == before


@pytest.mark.parametrize("slug", ["article-bank", "new-set"])
def test_import_with_one_bad_question_writes_nothing(
    app: Flask, tmp_path: Path, counts: Callable, slug: str
) -> None:
    data = export(app)
    choice_question = next(q for q in data["questions"] if q["type"] == "single_choice")
    choice_question["answer"] = "Not a choice"
    data["questions"][-1]["prompt"] += " (edited, must not be saved)"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = counts(app)
    result = run(app, "questions", "import", str(bad), "--set", slug)
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert (
        f"question '{choice_question['id']}': answer 'Not a choice' is not among the choices" in result.output
    )
    assert counts(app) == before


def test_init_db_twice_reports_everything_unchanged(app: Flask, bank_size: int) -> None:
    result = run(app, "init-db")
    assert result.exit_code == 0, result.output
    assert f"Loaded article-bank: 0 added, 0 updated, 0 withdrawn, {bank_size} unchanged" in result.output


def test_init_db_on_a_broken_bank_loads_nothing(
    make_test_app: Callable[..., Flask], tmp_path: Path, counts: Callable
) -> None:
    folder = write_bank(
        tmp_path / "questions", [question(prompt="Another?", id="fine"), question(answer="Xinhua")]
    )
    fresh = make_test_app(empty_database(tmp_path, "fresh"), QUESTIONS_DIR=str(folder))
    result = run(fresh, "init-db")
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert f"{BANK_FILE}: question 'flag-outlet': answer 'Xinhua' is not among the choices" in result.output
    assert "Loaded" not in result.output
    assert counts(fresh) == {"sets": 0, "questions": 0, "versions": 0, "attempts": 0, "responses": 0}


def test_init_db_on_a_broken_copy_of_the_bank_changes_nothing(
    make_test_app: Callable[..., Flask], database: Path, questions_copy: Path, counts: Callable
) -> None:
    bank_path = questions_copy / "article-bank.yaml"
    bank = yaml.load(bank_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    bank["questions"][0]["prompt"] += " (edited)"
    bank["questions"][-1]["difficulty"] = 7
    bank_path.write_text(yaml.dump(bank, Dumper=yaml.CSafeDumper, allow_unicode=True), encoding="utf-8")
    app = make_test_app(database, QUESTIONS_DIR=str(questions_copy))
    before = counts(app)
    result = run(app, "init-db")
    assert result.exit_code == 1
    assert "difficulty 7 is not 1, 2 or 3" in result.output
    assert counts(app) == before
