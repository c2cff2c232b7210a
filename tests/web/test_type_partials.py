"""Each question type's template partials (issue 12): every type has all five in its own folder, each renders
for a question of its type, and no generic template branches on a type's name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, render_template

from quizapp.domain.answer_tokens import answer_tokens
from quizapp.domain.questions import QuestionType
from quizapp.services.question_drafts import PreviewSlot
from quizapp.web.editor_forms import FORMS
from tests.unit.factories import build_question

PARTIALS = ("answer", "editor", "preview", "import", "board")
TYPE_NAMES = "|".join(t.value for t in QuestionType)
# A type's name compared to something: `x == 'numeric'`, `x in ('fill_blank', 'numeric')`, `'numeric' != x`.
COMPARED = re.compile(
    rf"""(==|!=|\bin\b)\s*\(?\s*(['"]\w+['"]\s*,\s*)*['"]({TYPE_NAMES})['"]|['"]({TYPE_NAMES})['"]\s*(==|!=)"""
)


def _template_dir(app: Flask) -> Path:
    return Path(app.root_path, app.template_folder or "templates")


@pytest.mark.parametrize("partial", PARTIALS)
@pytest.mark.parametrize("qtype", list(QuestionType))
def test_every_type_has_every_partial(app: Flask, qtype: QuestionType, partial: str) -> None:
    """The registry of partials is the folder: a type without one of the five fails here, not with a 500."""
    assert f"question_types/{qtype.value}/{partial}.html" in app.jinja_env.list_templates()


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_partials_render_a_question_of_their_type(app: Flask, qtype: QuestionType) -> None:
    """Each partial renders from the context its generic template gives; the answer part shows the prompt."""
    q = build_question(qtype.value)
    slot = PreviewSlot(
        tuple(range(len(q.items))), tuple(range(len(q.match_options))), answer_tokens(b"k" * 16, "p", q)
    )
    folder = f"question_types/{qtype.value}"
    with app.test_request_context("/"):
        answer = render_template(
            f"{folder}/answer.html", q=q, slot=slot, values={}, submitted=None, error=None, locked=True
        )
        render_template(f"{folder}/preview.html", q=q)
        render_template(f"{folder}/import.html", shown=q)
        render_template(f"{folder}/board.html", q=q, order=slot.item_order, planned=slot)
        editor = app.jinja_env.get_template(f"{folder}/editor.html").module
        form = FORMS[qtype]()
        form.pad_rows()
        rows = str(editor.rows(form))  # type: ignore[attr-defined]
    shown = q.kind.shown_prompt(q).replace("___", "_____")
    # The words around a cloze's gaps are there; its gaps are inputs (blanked in the shown prompt).
    for words in re.split(r"_+ \(\d+\)", shown):
        assert words in answer
    assert hasattr(editor, "prompt_hint")
    assert ("<fieldset" in rows or "<div" in rows) == q.scored  # a description has no rows of its own


@pytest.mark.parametrize(
    "line",
    [
        "{% if q.type in ('single_choice', 'multiple_choice', 'true_false') %}",
        "{% elif qtype == 'numeric' %}",
        "{{ x|rich('plain' if q.type in ('fill_blank', 'numeric') else q.format) }}",
        "{% if 'ordering' != shown.type %}",
    ],
)
def test_the_check_finds_a_branch_on_a_type(line: str) -> None:
    """The pattern below catches the branches this change removed (else the next test proves nothing)."""
    assert COMPARED.search(line)


def test_no_generic_template_branches_on_a_type(app: Flask) -> None:
    """Outside question_types/, templates ask the type's partials or question_kind(q), never a type's name."""
    root = _template_dir(app)
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.html"))
        if "question_types" not in path.relative_to(root).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COMPARED.search(line)
    ]
    assert found == []
