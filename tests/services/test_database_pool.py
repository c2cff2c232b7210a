"""The PostgreSQL connection pool: DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW from the environment, checked
at start-up, applied (with pre-ping) to PostgreSQL only; SQLite keeps its fixed pool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from quizapp.config import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, SQLITE_ENGINE_OPTIONS, load_config
from quizapp.extensions import db
from tests.databases import ON_POSTGRES

POSTGRES_URL = "postgresql+psycopg://quizapp@db.school.example/quizapp"


def test_postgres_gets_the_pool_settings_with_pre_ping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "8")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "0")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_size": 8,
        "max_overflow": 0,
        "pool_pre_ping": True,
    }


def test_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    monkeypatch.delenv("DATABASE_MAX_OVERFLOW", raising=False)
    options = load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_size": 10, "max_overflow": 0, "pool_pre_ping": True}  # all kept open
    assert (DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW) == (10, 0)


def test_sqlite_keeps_its_own_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "2")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"] == SQLITE_ENGINE_OPTIONS


@pytest.mark.parametrize(
    ("name", "value", "least"),
    [
        ("DATABASE_POOL_SIZE", "ten", 1),
        ("DATABASE_POOL_SIZE", "0", 1),
        ("DATABASE_POOL_SIZE", "2.5", 1),
        ("DATABASE_MAX_OVERFLOW", "-1", 0),
        ("PAGE_SLOTS", "-1", 0),
        ("PAGE_SLOTS", "two", 0),
    ],
)
def test_a_bad_value_stops_the_start_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, least: int
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=f"^{name} must be a whole number, {least} or more .*not '{value}'$"):
        load_config(tmp_path)


def test_the_app_on_this_runs_database_uses_them(
    database: str, make_test_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine itself: on the PostgreSQL run, a pool of the settings' size that pings; SQLite's own."""
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "2")
    app = make_test_app(database)
    with app.app_context():
        pool = db.engine.pool
        expected = (3, 2, True) if ON_POSTGRES else (10, 20, False)
        assert (pool.size(), pool._max_overflow, pool._pre_ping) == expected  # type: ignore[attr-defined]
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
