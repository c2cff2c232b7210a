"""Creating or upgrading the database and loading the built-in banks."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import stamp, upgrade
from sqlalchemy import inspect

from quizapp.extensions import db
from quizapp.services.question_sets import SyncReport, sync_bank_folder

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
