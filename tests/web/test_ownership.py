"""Every URL of a teacher's set is theirs alone: another teacher gets 404 on each (GET and POST, with a valid
CSRF token so that only ownership can refuse), nothing changes, and a signed-out browser is sent to sign in.

The routes are read from the app's URL map, so every route with a `set_id` in its URL is covered, including
those of blueprints added later (question editor, import and export): a route with a `question_id` is also
tried with the other teacher's own set and the owner's question.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.services import teacher_sets
from quizapp.services.attempt_views import Mode, load_attempt
from quizapp.services.attempts import save_answer, start_attempt
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set
from tests.conftest import get_token, make_app
from tests.unit.factories import make_question
from tests.web.teachers import (
    ADA,
    BANK_QUESTION,
    GRACE,
    SECOND,
    database_state,
    make_set,
    share_set,
    sign_in_teacher,
)

# Values for URL parts other than the ids (e.g. an export's format); anything else gets "x".
OTHER_VALUES = {"fmt": "json", "format": "json", "type": "single_choice", "kind": "single_choice"}
# Form fields a POST might read: a route that forgot its ownership check would act on them.
POST_DATA = {
    "title": "Taken over",
    "description": "",
    "source_text": "",
    "action": "stop",
    "question_ids": BANK_QUESTION,
    "direction": "up",
    "type": "single_choice",
}


def owned_rules(app: Flask) -> list[Rule]:
    """The app's routes whose URL names a set."""
    return sorted((r for r in app.url_map.iter_rules() if "set_id" in r.arguments), key=lambda r: r.rule)


def route_cases() -> list[tuple[str, str]]:
    """(endpoint, method) for every method of every route of a set, read from a freshly built app."""
    app = make_app(Path(tempfile.gettempdir()) / "quizapp-ownership-routes.sqlite3")  # never connected
    return [
        (rule.endpoint, method)
        for rule in owned_rules(app)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


ROUTES = route_cases()
GET_ROUTES = [endpoint for endpoint, method in ROUTES if method == "GET"]


def test_the_map_covers_every_route_of_the_sets_blueprint() -> None:
    endpoints = {endpoint for endpoint, _ in ROUTES}
    assert {
        "sets.show",
        "sets.edit",
        "sets.duplicate",
        "sets.share",
        "sets.copy_from_bank",
        "sets.source_text",
        "homework.index",
        "homework.attempt",
        "homework.gradebook",
        "homework.items",
        "homework.passage",
        "homework.gradebook_csv",
        "homework.items_csv",
    } <= endpoints
    assert ("sets.edit", "POST") in ROUTES and ("sets.copy_from_bank", "POST") in ROUTES


# ---- the owner's set, and the URLs to try


@pytest.fixture
def owned(app: Flask, other_client: FlaskClient) -> dict[str, int]:
    """Ada's shared set, the id of one of its questions and an attempt made through its link (homework); Ada
    signs in in another browser."""
    sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA)
    token = share_set(app, set_id)
    with app.app_context():
        question_id = current_questions(db.session.get(QuestionSet, set_id))[0][0].id
    student = app.test_client()
    data = {"count": 1, "mode": "test", "csrf_token": get_token(student, f"/s/{token}")}
    attempt = student.post(f"/s/{token}", data=data).headers["Location"].split("/")[2]
    return {"set_id": set_id, "question_id": question_id, "attempt": attempt, **essay_answered(app, set_id)}  # type: ignore[dict-item]


def essay_answered(app: Flask, set_id: int) -> dict[str, int]:
    """An essay added to the set and answered in a homework attempt (its marking page exists): its version."""
    with app.app_context():
        question_set = db.session.get(QuestionSet, set_id)
        teacher_sets.add_questions(question_set, [make_question("essay", id="essay", source=SECOND)])
        learner = ensure_learner(None)
        spec = QuizSpec(count=1, question_ids=frozenset({"essay"}))
        attempt, _ = start_attempt(learner, spec, Mode.TEST, question_set.slug)
        assert save_answer(load_attempt(attempt.public_id, learner), 1, {"answer": ["The far side."]})
        return {"version_id": attempt.slots[0].question_version_id}


def rule_of(app: Flask, endpoint: str) -> Rule:
    """The endpoint's route."""
    return next(app.url_map.iter_rules(endpoint))


def url(app: Flask, endpoint: str, ids: dict[str, int]) -> str:
    """The endpoint's URL for these ids, other parts filled with plausible values."""
    rule = rule_of(app, endpoint)
    values: dict[str, object] = {}
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif re.search(rf"<int:{name}>", rule.rule):
            values[name] = 1
        else:
            values[name] = OTHER_VALUES.get(name, "x")
    with app.test_request_context():
        return url_for(endpoint, **values)


def intruder_urls(app: Flask, endpoint: str, method: str, owned: dict[str, int], own_set: int) -> list[str]:
    """The URLs another teacher tries: the owner's set; a set that does not exist; with a question, their own
    set and the owner's question. POSTs also try the built-in bank, which anyone may read (export) but no
    teacher may change."""
    urls = [url(app, endpoint, owned), url(app, endpoint, {**owned, "set_id": 99999})]
    if "question_id" in rule_of(app, endpoint).arguments:
        urls.append(url(app, endpoint, {**owned, "set_id": own_set}))
    if method != "GET":
        with app.app_context():
            urls.append(url(app, endpoint, {**owned, "set_id": get_set(ARTICLE_BANK).id}))
    return urls


def send(client: FlaskClient, method: str, target: str, token: str) -> int:
    """Send a request as the page's form would (POSTs carry POST_DATA and a valid CSRF token)."""
    if method == "GET":
        return client.get(target, query_string={"type": "single_choice"}).status_code
    return client.open(target, method=method, data={**POST_DATA, "csrf_token": token}).status_code


# ---- the tests


@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_another_teacher_gets_404_and_changes_nothing(
    app: Flask, client: FlaskClient, owned: dict[str, int], endpoint: str, method: str
) -> None:
    grace = sign_in_teacher(app, client, GRACE, "Grace Hopper")
    own_set = make_set(app, GRACE, "Grace's own")
    token = get_token(grace, "/teacher/sets/new")
    before = database_state(app)
    for target in intruder_urls(app, endpoint, method, owned, own_set):
        assert send(grace, method, target, token) == 404, target
    assert database_state(app) == before


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_the_owner_opens_the_same_urls(
    app: Flask, other_client: FlaskClient, owned: dict[str, int], endpoint: str
) -> None:
    """The URLs above are real pages: only ownership made them 404."""
    assert send(other_client, "GET", url(app, endpoint, owned), "") == 200


@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_a_signed_out_browser_is_sent_to_sign_in(
    app: Flask, client: FlaskClient, owned: dict[str, int], endpoint: str, method: str
) -> None:
    token = get_token(client, "/teacher/login")
    target = url(app, endpoint, owned)
    before = database_state(app)
    data = {**POST_DATA, "csrf_token": token} if method != "GET" else None
    response = client.open(target, method=method, data=data)
    assert response.status_code == 302
    back = target if method == "GET" else None  # a form's address answers POST only: no way back to it
    assert response.headers["Location"] == "/teacher/login" + (
        f"?next={quote(back, safe='')}" if back else ""
    )
    assert database_state(app) == before
