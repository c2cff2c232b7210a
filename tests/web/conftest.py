"""Web-test fixtures: browsers (test clients) that never share a request context, and the article's bank."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank, read_bank_file
from quizapp.paths import resource_root
from tests.conftest import make_app
from tests.databases import close_connections
from tests.web.homework import QUESTIONS
from tests.web.teachers import ADA, make_set, share_set, sign_in_teacher


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replace pytest-flask's fixture of this name: it keeps one request context pushed for the whole test.

    Every request of every client would then reuse that context's `g` and database session, so a second
    browser would be served as the first one's learner. Web tests need each request on its own.
    """


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser: a test client with its own cookies that keeps no context between requests."""
    return app.test_client()


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """Another browser on the same site, with no cookie of the first."""
    return app.test_client()


@pytest.fixture
def app_with(database: str) -> Iterator[Callable[..., Flask]]:
    """Build the app on this test's database with some settings changed; connections closed afterwards."""
    apps: list[Flask] = []

    def build(**overrides: object) -> Flask:
        apps.append(make_app(database, **overrides))
        return apps[-1]

    yield build
    for built in apps:
        with built.app_context():
            close_connections()


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    """The article's bank as the domain reads it from questions/ (with its article)."""
    check = read_bank_file(resource_root() / "questions" / "article-bank.yaml")
    assert check.bank is not None, check.problems
    return check.bank


@pytest.fixture
def shared(app: Flask, other_client: FlaskClient) -> tuple[int, str]:
    """Ada's set of four questions on a source text, shared: (set id, token). Ada signs in elsewhere."""
    sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA, "Flag quiz", questions=QUESTIONS)
    return set_id, share_set(app, set_id)
