"""Templates fail loudly on a field an object lacks (a read model's field that was not loaded, a form's field
that is not there), as Python would; a name a page was not given still reads as empty."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask, render_template_string
from jinja2 import UndefinedError

from quizapp.services.class_play import SessionRow

ROW = SessionRow(
    id=1,
    public_id="abc",
    title="The far side",
    state="running",
    pacing="teacher",
    settings={},
    position=0,
    question_state="open",
    question_opened_at=datetime(2026, 12, 7, tzinfo=UTC),
)


def render(app: Flask, source: str, **values: object) -> str:
    with app.test_request_context():
        return render_template_string(source, **values)


def test_a_read_models_field_renders(app: Flask) -> None:
    assert render(app, "{{ s.title }}", s=ROW) == "The far side"


@pytest.mark.parametrize(
    "source",
    [
        "{{ s.join_code }}",  # printed
        "{% if s.started_at %}yes{% endif %}",  # tested
        "{% for p in s.participants %}{{ p }}{% endfor %}",  # iterated
        "{{ s.plan|length }}",  # measured
        "{{ s.join_code == 'X' }}",  # compared
    ],
)
def test_a_field_the_read_model_lacks_is_an_error(app: Flask, source: str) -> None:
    with pytest.raises(UndefinedError, match="join_code|started_at|participants|plan"):
        render(app, source, s=ROW)


def test_asking_whether_a_field_is_there_still_works(app: Flask) -> None:
    source = "{{ 'yes' if s.join_code is defined else 'no' }} {{ s.plan|default('none') }}"
    assert render(app, source, s=ROW) == "no none"


def test_a_name_not_given_and_a_key_not_in_a_dict_read_as_empty(app: Flask) -> None:
    assert render(app, "[{{ error }}]{% if error %}x{% endif %}[{{ d.missing }}]", d={}) == "[][]"


def test_a_page_with_a_missing_field_is_the_error_page_not_a_traceback(app: Flask) -> None:
    @app.get("/broken-template")
    def broken() -> str:
        return render_template_string("{{ s.join_code }}", s=ROW)

    response = app.test_client().get("/broken-template")
    assert response.status_code == 500
    assert b"Traceback" not in response.data and b"UndefinedError" not in response.data
