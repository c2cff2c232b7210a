"""Creating or upgrading the database and loading the built-in banks."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import stamp, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from quizapp.database import is_sqlite, write_transaction
from quizapp.domain import DomainError
from quizapp.extensions import db
from quizapp.services.question_sets import SyncReport, sync_bank_folder


class DatabaseNotWritable(DomainError):
    """The database cannot be written (a read-only file or folder, a full disk); the message says why."""


def check_writable() -> None:
    """Write to the database and commit (a change of nothing); DatabaseNotWritable when that fails."""
    engine = db.engine
    try:
        if is_sqlite(engine):  # rewrites the file's header: SQLite has to write to the file and its log
            # BEGIN IMMEDIATE: waits for another server's writes (a plain BEGIN fails at once with "database
            # is locked" when another process writes between this read and this write)
            with write_transaction():
                connection = db.session.connection()
                version = int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
                connection.exec_driver_sql(f"PRAGMA user_version = {version}")
        else:
            with engine.begin() as connection:
                connection.exec_driver_sql("CREATE TEMPORARY TABLE quizapp_write_probe (x integer)")
                connection.exec_driver_sql("DROP TABLE quizapp_write_probe")
    except DBAPIError as exc:
        where = engine.url.database if is_sqlite(engine) else engine.url.render_as_string(hide_password=True)
        raise DatabaseNotWritable(
            f"cannot write the database at {where}: {exc.orig} (check the owner and permissions of the file "
            "and its folder, and the free disk space)"
        ) from exc


BASELINE = "0001"  # the first release's schema, which was made with create_all() before migrations existed


def migrate_schema() -> None:
    """Bring the schema to the latest migration (creating it on an empty database)."""
    tables = set(inspect(db.engine).get_table_names())
    if "question_set" in tables and "alembic_version" not in tables:
        stamp(revision=BASELINE)
    upgrade()
    db.session.remove()


def initialise_database(questions_dir: Path) -> list[SyncReport]:
    """Create or upgrade the schema, then bring the banks of `questions_dir` up to date (idempotent)."""
    migrate_schema()
    return sync_bank_folder(questions_dir)
