"""Shared fixtures: a real database per test (an SQLite file copied from one loaded once, or the run's
PostgreSQL database put back to its loaded state: tests/databases.py), the app, and form helpers."""

from __future__ import annotations

import itertools
import os
import re
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
from tests.databases import (  # noqa: E402
    POSTGRES,
    Snapshot,
    close_connections,
    loaded_copy,
    postgres_name,
    sqlite_url,
    with_query,
)

_TEST_NUMBERS = itertools.count(1)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def make_app(database: str | Path, **overrides: object) -> Flask:
    """An app on `database` (a URL, or an SQLite file's path), configured for tests (CSRF stays on)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": sqlite_url(database) if isinstance(database, Path) else database,
        "ARGON2_MEMORY_KIB": 1024,
    }
    config.update(overrides)
    return create_app(config)


def load(url: str) -> str:
    """Create the schema and load the article's bank into the database at `url`; returns the URL."""
    app = make_app(url)
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        close_connections()
    return url


@pytest.fixture(scope="session")
def loaded_sqlite_file() -> Path:
    """An SQLite file with the schema and the article's bank, built once per run (tests of SQLite's files
    use it on a PostgreSQL run too)."""
    path = _RUN_DIR / "template.sqlite3"
    load(sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def loaded_database(request: pytest.FixtureRequest) -> str:
    """The URL of a database with the schema and the article's bank, built once per run; tests take copies."""
    if POSTGRES is None:
        return sqlite_url(request.getfixturevalue("loaded_sqlite_file"))
    return load(POSTGRES.create("loaded"))


@pytest.fixture(scope="session")
def shared_postgres(loaded_database: str) -> Snapshot:
    """The run's PostgreSQL database for `database`: a copy of the loaded one, put back before each test."""
    assert POSTGRES is not None
    url = POSTGRES.create("shared", template=postgres_name(loaded_database))
    return Snapshot(url, [t.name for t in db.metadata.sorted_tables] + ["alembic_version"])


@pytest.fixture
def database(loaded_database: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """This test's own database in its loaded state (its URL): a copy of the loaded SQLite file, or the
    run's PostgreSQL database with the loaded rows put back."""
    if POSTGRES is not None:
        snapshot: Snapshot = request.getfixturevalue("shared_postgres")
        snapshot.restore()
        # A URL of its own (as each SQLite copy has): a per-process cache keyed by the database's URL and a
        # row id (classroom_live's versions) must not serve the previous test's row of the same id.
        return with_query(snapshot.url, application_name=f"quizapp_test_{next(_TEST_NUMBERS)}")
    return loaded_copy(loaded_database, tmp_path, "quizapp")


@pytest.fixture
def app(database: str) -> Iterator[Flask]:
    """The app on this test's database (pytest-flask's `client` uses it)."""
    app = make_app(database)
    yield app
    with app.app_context():
        close_connections()


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


# Markers (pyproject.toml): `e2e` on every browser test, `slow` on the tests that start gunicorn servers.
# `make test-fast` runs tests/unit and tests/services; `pytest -m "not e2e and not slow"` skips both kinds.
_TESTS = Path(__file__).resolve().parent
_SERVER_MODULES = {
    "test_classroom_concurrency.py",
    "test_concurrency.py",
    "test_login_rate_limit_server.py",
    "test_slow_clients.py",
    "test_two_servers.py",
}


_STATIC_FILE_LEFT_OPEN = (
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/[^']*' mode='rb':"
    "pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if path.is_relative_to(_TESTS / "e2e"):
            item.add_marker(pytest.mark.e2e)
            # The browser tests' server is werkzeug's, in a thread: when Chromium drops a connection in the
            # middle of a static file (a page left while its favicon loads), the file is closed only when
            # collected. Not the app's code (gunicorn serves it in production); a file of the app still fails.
            item.add_marker(pytest.mark.filterwarnings(_STATIC_FILE_LEFT_OPEN))
        if path.name in _SERVER_MODULES:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config: pytest.Config) -> None:
    if POSTGRES is not None:
        # psycopg warns when it collects a connection left open. Tests dispose of their apps' engines while a
        # session may still hold a connection, which then waits in the disposed pool until collected; the
        # app itself never disposes an engine. (SQLite's driver says nothing of the same case.)
        config.addinivalue_line(
            "filterwarnings",
            "ignore:Exception ignored in.*BaseConnection.__del__:pytest.PytestUnraisableExceptionWarning",
        )
