"""The PostgreSQL connection pool: DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW from the environment, checked
at start-up, applied to PostgreSQL only; SQLite keeps its fixed pool. A connection left idle is checked before
use (database._ping_when_idle), one used a moment ago is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from quizapp.config import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, SQLITE_ENGINE_OPTIONS, load_config
from quizapp.database import _ping_when_idle
from quizapp.extensions import db
from tests.databases import ON_POSTGRES

POSTGRES_URL = "postgresql+psycopg://quizapp@db.school.example/quizapp"


def test_postgres_gets_the_pool_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "8")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "0")
    assert load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_size": 8,
        "max_overflow": 0,
    }


def test_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    monkeypatch.delenv("DATABASE_MAX_OVERFLOW", raising=False)
    options = load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_size": 10, "max_overflow": 0}  # all kept open
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
    """The engine itself: on the PostgreSQL run, a pool of the settings' size (no ping at every checkout:
    `_ping_when_idle` instead); SQLite's own."""
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "2")
    app = make_test_app(database)
    with app.app_context():
        pool = db.engine.pool
        expected = (3, 2, False) if ON_POSTGRES else (10, 20, False)
        assert (pool.size(), pool._max_overflow, pool._pre_ping) == expected  # type: ignore[attr-defined]
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1


def _kill(engine: Engine, connection: Any) -> None:
    """The database server ends `connection` (PostgreSQL: as a restart or a firewall would), or on SQLite the
    driver's connection is closed behind the pool's back."""
    if engine.dialect.name == "sqlite":
        connection.close()
        return
    killer = create_engine(engine.url, poolclass=NullPool)  # not the pool's: it would hand out that one
    try:
        with killer.connect() as other:
            pid = int(connection.info.backend_pid)
            assert other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})").scalar() is True
    finally:
        killer.dispose()


@pytest.mark.parametrize("idle", [True, False])
def test_a_connection_that_died_while_idle_is_replaced_before_use(database: str, idle: bool) -> None:
    engine = create_engine(database, pool_size=1, max_overflow=0)
    _ping_when_idle(engine, 0.0 if idle else 3600.0)  # 0: every connection given back counts as idle
    try:
        with engine.connect() as first:
            dead = first.connection.driver_connection
        _kill(engine, dead)
        with engine.connect() as again:
            if idle:  # pinged, found dead and replaced: the request never sees it
                assert again.connection.driver_connection is not dead
                assert again.exec_driver_sql("SELECT 1").scalar() == 1
            else:  # used a moment ago: handed out unchecked, its first statement fails (a 503, "try again")
                with pytest.raises(DBAPIError) as failed:
                    again.exec_driver_sql("SELECT 1")
                assert failed.value.connection_invalidated
        with engine.connect() as after:  # either way the next request has a live connection
            assert after.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()
