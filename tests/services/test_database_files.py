"""The database's files are private to the server's account: the SQLite file, its -wal and -shm files and the
instance folder they live in are readable by their owner only."""

from __future__ import annotations

import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from quizapp.config import load_config
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Learner
from tests.databases import with_query


def mode(path: Path) -> int:
    """The permission bits of a file."""
    return stat.S_IMODE(path.stat().st_mode)


def files_of(database: Path) -> list[Path]:
    """The database file and its write-ahead log and shared-memory files."""
    return [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]


def write_a_row(app: Flask) -> None:
    """Create the tables and write one row (SQLite then has its -wal and -shm files open)."""
    with app.app_context():
        db.create_all()
        with write_transaction():
            db.session.add(Learner(token="private-files"))


def test_a_new_database_and_its_wal_and_shm_are_private(
    tmp_path: Path, make_test_app: Callable[..., Flask]
) -> None:
    database = tmp_path / "fresh.sqlite3"
    app = make_test_app(database)
    write_a_row(app)
    with app.app_context(), db.engine.connect():  # a connection open: the -wal and -shm files are there
        assert {path.name: mode(path) for path in files_of(database)} == {
            path.name: 0o600 for path in files_of(database)
        }


def test_an_existing_readable_database_is_made_private(
    tmp_path: Path, loaded_sqlite_file: Path, make_test_app: Callable[..., Flask]
) -> None:
    database = tmp_path / "old.sqlite3"
    shutil.copy(loaded_sqlite_file, database)
    database.chmod(0o644)
    write_a_row(make_test_app(database))
    assert mode(database) == 0o600


def test_the_instance_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    load_config(instance)  # makes the folder (and the secret key in it) when they are not there
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600


def read_only(url: str) -> str:
    """The URL of the same database opened read-only: SQLite's read-only mode, or PostgreSQL sessions whose
    transactions are read-only."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return with_query(url, options="-c default_transaction_read_only=on")


def test_init_db_refuses_a_database_it_cannot_write(
    database: str, make_test_app: Callable[..., Flask]
) -> None:
    """`flask init-db` (which `make run` runs first) stops with one clear line instead of starting a server
    that could save nothing (on either engine)."""
    app = make_test_app(database, SQLALCHEMY_DATABASE_URI=read_only(database))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("cannot write the database at ")
    assert re.search("attempt to write a readonly database|read-only transaction", line), line
    assert line.endswith(
        "(check the owner and permissions of the file and its folder, and the free disk space)"
    )
    assert "Traceback" not in result.output


def test_init_db_writes_a_database_it_can(database: str, make_test_app: Callable[..., Flask]) -> None:
    app = make_test_app(database)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
