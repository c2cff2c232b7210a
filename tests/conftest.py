"""Shared fixtures: a real SQLite file per test (copied from one loaded once), the app, and form helpers."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event

_RUN_DIR = Path(tempfile.mkdtemp(prefix="quizapp-tests-"))
os.environ["QUIZAPP_INSTANCE_PATH"] = str(_RUN_DIR / "instance")  # never write into the checkout's instance/
os.environ.pop("DATABASE_URL", None)

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.services.setup import initialise_database  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def make_app(database: Path, **overrides: object) -> Flask:
    """An app on the SQLite file `database`, configured for tests (CSRF stays on)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "ARGON2_MEMORY_KIB": 1024,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def loaded_database() -> Path:
    """A database file with the schema and the article's bank, built once per run."""
    path = _RUN_DIR / "template.sqlite3"
    app = make_app(path)
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        db.engine.dispose()
    return path


@pytest.fixture
def database(loaded_database: Path, tmp_path: Path) -> Path:
    """This test's own copy of the loaded database file."""
    path = tmp_path / "quizapp.sqlite3"
    shutil.copy(loaded_database, path)
    return path


@pytest.fixture
def app(database: Path) -> Iterator[Flask]:
    """The app on this test's database (pytest-flask's `client` uses it)."""
    app = make_app(database)
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def get_token(client: FlaskClient, path: str = "/") -> str:
    """GET `path` and return its form's CSRF token."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return csrf_token(response.get_data(as_text=True))


def start_quiz(client: FlaskClient, **fields: object) -> str:
    """Start a quiz from the home page's form; returns the attempt's public id."""
    data: dict[str, object] = {"count": 10, "mode": "practice", **fields}
    data["csrf_token"] = get_token(client)
    response = client.post("/quiz", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.match(r".*/attempts/([^/]+)/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


@contextmanager
def counted_statements(engine: Engine | None = None) -> Iterator[list[str]]:
    """The SQL statements run on `engine` (default: the app context's) inside the block."""
    engine = engine if engine is not None else db.engine
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
