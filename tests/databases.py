"""Where the tests keep their data: SQLite files (the default), or PostgreSQL when TEST_DATABASE_URL is set.

`make test` runs on SQLite files and needs no server. `TEST_DATABASE_URL=postgresql+psycopg://user@host/db
make test` runs the same tests on PostgreSQL: the run makes its own databases on that server (named
`quizapp_test_<pid>_<name>`; the URL's own database is only used to connect) and drops them when it ends.

Isolation on PostgreSQL: the tests that take the `database` fixture share one database per run, put back to
the loaded state (schema and the article's bank) before each test by TRUNCATE and a copy of the loaded rows
kept in a schema beside them (creating and dropping a database per test would cost ~0.6 s each). A fixture
that outlives one test (a module's live server) gets a database of its own, copied from the loaded one.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
if TEST_DATABASE_URL and not ON_POSTGRES:
    raise SystemExit(f"TEST_DATABASE_URL must be a postgresql+psycopg:// URL, not {TEST_DATABASE_URL!r}")

SNAPSHOT = "quizapp_snapshot"  # the schema holding the loaded rows, beside `public`


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def engine_name() -> str:
    """The engine the run's tests use: 'postgresql' or 'sqlite'."""
    return "postgresql" if ON_POSTGRES else "sqlite"


class PostgresServer:
    """The PostgreSQL server of TEST_DATABASE_URL: creates this run's databases, drops them at the end."""

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        self.prefix = f"quizapp_test_{os.getpid()}"
        self.created: list[str] = []
        self.count = 0
        atexit.register(self.drop_all)

    def _admin(self) -> Engine:
        return create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        """A new database `<prefix>_<n>_<name>` (a copy of `template` when given); returns its URL."""
        self.count += 1
        full = f"{self.prefix}_{self.count}_{name}"[:63]
        engine = self._admin()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{full}" WITH (FORCE)')
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.exec_driver_sql(f'CREATE DATABASE "{full}"{copy}')
        engine.dispose()
        self.created.append(full)
        return self.url_of(full)

    def drop_all(self) -> None:
        if not self.created:
            return
        engine = self._admin()
        with engine.connect() as connection:
            for name in reversed(self.created):
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()
        self.created.clear()


POSTGRES = PostgresServer(TEST_DATABASE_URL) if ON_POSTGRES else None


class Snapshot:
    """The loaded rows of a PostgreSQL database, kept in a schema beside them and put back on `restore()`."""

    def __init__(self, url: str, tables: list[str]) -> None:
        self.url = url
        engine = create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {SNAPSHOT}")
            for table in tables:
                connection.exec_driver_sql(f'CREATE TABLE {SNAPSHOT}."{table}" AS TABLE public."{table}"')
            serials = connection.exec_driver_sql(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND (column_default LIKE 'nextval(%%' OR is_identity = 'YES') ORDER BY table_name"
            ).all()
        engine.dispose()
        quoted = ", ".join(f'public."{t}"' for t in tables)
        statements = [
            "SET lock_timeout = '10s'",  # a connection a test left open fails here, loudly, not forever
            f"TRUNCATE {quoted} RESTART IDENTITY CASCADE",
            *(f'INSERT INTO public."{t}" SELECT * FROM {SNAPSHOT}."{t}"' for t in tables),
            *(
                f"SELECT setval(pg_get_serial_sequence('public.\"{t}\"', '{c}'),"
                f' COALESCE((SELECT max("{c}") FROM public."{t}"), 0) + 1, false)'
                for t, c in serials
            ),
        ]
        self.sql = ";\n".join(statements)

    def restore(self) -> None:
        """Close every other connection to the database, then put the loaded rows back."""
        engine = create_engine(self.url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            connection.exec_driver_sql(self.sql)
        engine.dispose()


def postgres_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?", 1)[0]


def empty_database(folder: Path, name: str) -> str:
    """The URL of a new, empty database (an SQLite file in `folder`, or a PostgreSQL database)."""
    return sqlite_url(folder / f"{name}.sqlite3") if POSTGRES is None else POSTGRES.create(name)


def loaded_copy(loaded: str, folder: Path, name: str) -> str:
    """The URL of a new copy of the loaded database, for a fixture that outlives one test."""
    if POSTGRES is None:
        path = folder / f"{name}.sqlite3"
        shutil.copy(loaded.removeprefix("sqlite:///"), path)
        return sqlite_url(path)
    return POSTGRES.create(name, template=postgres_name(loaded))


def with_query(url: str, **options: str) -> str:
    """The URL with these query options added (e.g. psycopg's `application_name` or `options`)."""
    parsed = make_url(url)
    return parsed.update_query_dict(options).render_as_string(hide_password=False)


def query(url: str, sql: str, **params: object) -> list[tuple]:
    """The rows of one read on the database at `url` (either engine), on a connection of its own."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def json_value(stored: object) -> object:
    """A JSON column's value as read by a raw query: text on SQLite, already parsed on PostgreSQL."""
    return json.loads(stored) if isinstance(stored, str | bytes) else stored


def close_connections() -> None:
    """In an app context: end the session and close the engine's connections (the session's too, which
    `dispose()` alone would leave open: PostgreSQL's driver warns of them when they are collected)."""
    from quizapp.extensions import db

    db.session.remove()
    db.engine.dispose()
