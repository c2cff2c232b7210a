"""The registry of question types: every type has every part, and the generic code works for each through it.

A new type fails here until its module, editor form, template partials and a factory example exist."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
from factories import _ANSWERS, build_question, make_question

from quizapp.domain.answers import answer_from_json, answer_in_words, answer_to_json, correct_answer_in_words
from quizapp.domain.authoring import form_from_question, question_from_form
from quizapp.domain.formats import read_moodle_xml, write_moodle_xml
from quizapp.domain.formats.mapping import SKIP_REASONS, map_report, to_moodle
from quizapp.domain.question_types import KINDS, kind_of, moodle_kind
from quizapp.domain.question_types.base import QuestionKind
from quizapp.domain.questions import QuestionType, question_from_dict, question_to_dict
from quizapp.domain.scoring import score_response
from quizapp.paths import resource_root
from quizapp.richtext import clean_html
from quizapp.web.editor_forms import FORMS

ROOT = resource_root()
PARTIALS = ("answer.html", "editor.html", "preview.html", "import.html", "board.html")
REQUIRED = ("check_answer", "build_answer", "parse", "score", "from_form", "to_form")
TYPES = [t.value for t in QuestionType]


def test_every_question_type_is_registered_once() -> None:
    assert set(KINDS) == set(QuestionType)
    assert all(isinstance(kind, QuestionKind) and kind.name is name for name, kind in KINDS.items())
    assert len({kind.label for kind in KINDS.values()}) == len(KINDS)


@pytest.mark.parametrize("name", TYPES)
def test_each_type_implements_every_part(name: str) -> None:
    kind = kind_of(name)
    missing = [m for m in REQUIRED if getattr(type(kind), m) is getattr(QuestionKind, m)]
    assert missing == [], f"{name} lacks {missing}"
    assert kind.label and kind.label[0].isupper()
    assert FORMS[kind.name].qtype is kind.name, f"{name} has no editor form"
    folder = ROOT / "templates" / "question_types" / name
    assert [p for p in PARTIALS if not (folder / p).is_file()] == [], f"{name} lacks template partials"
    assert name in _ANSWERS, f"tests/unit/factories.py has no example {name} question"


@pytest.mark.parametrize("name", TYPES)
def test_each_type_round_trips_its_file_form(name: str) -> None:
    question = build_question(name)
    assert question.kind is kind_of(name)
    assert question_from_dict(question_to_dict(question)) == question


@pytest.mark.parametrize("name", TYPES)
def test_each_type_scores_its_key_and_stores_it(name: str) -> None:
    question = build_question(name)
    if not question.kind.scored:
        assert correct_answer_in_words(question) == "No answer needed"
        return
    key = question.kind.key_answer(question)
    if question.kind.auto_scored:  # an essay waits for a teacher's mark: no key, nothing to score
        assert score_response(question, key) == 1.0
    assert answer_from_json(question, answer_to_json(key)) == key
    assert answer_in_words(question, key).strip()
    assert correct_answer_in_words(question).strip()


@pytest.mark.parametrize("name", TYPES)
def test_each_type_round_trips_through_the_editor(name: str) -> None:
    raw = make_question(name, feedback=[]) if name != "description" else make_question(name)
    question = question_from_dict(raw)
    values = form_from_question(question_to_dict(question))
    draft = question_from_form(question.type, values)
    assert draft.errors == {}
    rebuilt = question_from_dict({**draft.question, "id": question.id})
    assert rebuilt == question


def _names_a_type(node: ast.AST | None) -> bool:
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "QuestionType"
        for n in ast.walk(node or ast.Pass())
    )


def _compares_a_type(node: ast.AST) -> bool:
    """`x.type is QuestionType.X`, `t in (QuestionType.X, ...)`, or a table keyed by type."""
    if isinstance(node, ast.Compare):
        return _names_a_type(node)
    return isinstance(node, ast.Dict) and any(_names_a_type(key) for key in node.keys)


def test_no_code_outside_the_type_modules_branches_on_a_type() -> None:
    """The issue's rule: no `if type == ...` outside the type's own module (Python and templates)."""
    offenders = []
    for path in sorted((ROOT / "quizapp").rglob("*.py")):
        if "question_types" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if _compares_a_type(n)]
    names = "|".join(TYPES)
    literal = re.compile(rf"""(==|!=|\bin)\s*\(?\s*['"]({names})['"]""")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "question_types" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if literal.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


@pytest.mark.parametrize("name", TYPES)
def test_each_type_declares_its_moodle_mapping(name: str) -> None:
    """A type with a Moodle equivalent writes it and reads it back unchanged through Moodle XML; a type
    without one says why each Moodle format cannot hold it (export leaves it out instead of failing)."""
    kind, question = kind_of(name), build_question(name)
    if not kind.moodle_types:
        assert all(kind.not_exportable(question, f) for f in ("moodle-xml", "gift", "aiken")), name
        return
    missing = [m for m in ("from_moodle", "to_moodle") if getattr(type(kind), m) is getattr(QuestionKind, m)]
    assert missing == [], f"{name} lacks {missing}"
    assert not set(kind.moodle_types) & set(SKIP_REASONS), f"{name} reads a Moodle type listed as skipped"
    assert kind.not_exportable(question, "moodle-xml") == ""
    moodle = to_moodle(question)
    assert moodle.moodle_type == kind.moodle_types[0] and moodle_kind(moodle) is kind
    mapped = map_report(read_moodle_xml(write_moodle_xml([moodle])), clean_html)
    assert mapped.errors == [] and len(mapped.questions) == 1, mapped.errors
    rebuilt = question_from_dict(mapped.questions[0].raw, strict=False)
    assert replace(rebuilt, moodle={}) == replace(question, moodle={}, source="")  # the source: the bank's


def test_a_new_type_is_found_by_its_folder_not_a_list_elsewhere() -> None:
    """Partials are found by the type's name: every folder under question_types/ is a registered type."""
    folders = {p.name for p in (ROOT / "templates" / "question_types").iterdir() if p.is_dir()}
    assert folders == set(TYPES)


def test_the_registry_documents_how_to_add_a_type() -> None:
    doc = (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8")
    assert "How to add a question type" in doc
    assert Path(kind_of("single_choice").__module__.replace(".", "/") + ".py").name == "single_choice.py"
