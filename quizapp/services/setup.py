"""Creating the database and loading the built-in banks."""

from __future__ import annotations

from pathlib import Path

from quizapp.extensions import db
from quizapp.services.question_sets import SyncReport, sync_bank_folder


def initialise_database(questions_dir: Path) -> list[SyncReport]:
    """Create missing tables, then bring the banks of `questions_dir` up to date (idempotent)."""
    db.create_all()
    return sync_bank_folder(questions_dir)
