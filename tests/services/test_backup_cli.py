"""`flask backup FILE` on either engine: the copy holds the answers, is private, never overwrites by accident,
and a bad path or a missing pg_dump gives one clear line and exit status 1.

SQLite copies are opened and read; PostgreSQL's are pg_dump archives (they start with PGDMP), read back as SQL
text by `pg_restore -f -` (no database needed) when pg_restore is there.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from quizapp.domain.generation import QuizSpec
from quizapp.domain.questions import Question
from quizapp.services.attempt_views import Mode, load_attempt
from quizapp.services.attempts import start_attempt
from quizapp.services.learners import ensure_learner
from quizapp.services.question_sets import ARTICLE_BANK
from tests.databases import ON_POSTGRES, POSTGRES, query, sqlite_url
from tests.services.indexed_forms import save_indexed

ANSWER_SQL = (
    "SELECT attempt.public_id, CAST(response.given AS TEXT), response.points FROM response"
    " JOIN attempt ON attempt.id = response.attempt_id WHERE attempt.public_id = :public_id"
)


def run(app: Flask, *args: str) -> Result:
    """`flask --app quizapp ARGS` on `app`, in its own app context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def answer_one(app: Flask, single_choice_id: str, answer_right: Callable[[Question], dict]) -> str:  # type: ignore[type-arg]
    """A learner answers one question, saved in `app`'s database; returns the attempt's public id."""
    with app.app_context():
        learner = ensure_learner(None)
        spec = QuizSpec(count=1, question_ids=frozenset({single_choice_id}))
        attempt, _ = start_attempt(learner, spec, Mode.PRACTICE, ARTICLE_BANK)
        view = load_attempt(attempt.public_id, learner)
        assert save_indexed(view, 1, answer_right(view.slot(1).question))
        return attempt.public_id


def test_the_backup_holds_the_answers(
    app: Flask,
    database: str,
    single_choice_id: str,
    answer_right: Callable[[Question], dict],  # type: ignore[type-arg]
    tmp_path: Path,
) -> None:
    public_id = answer_one(app, single_choice_id, answer_right)
    stored = query(database, ANSWER_SQL, public_id=public_id)
    assert len(stored) == 1
    target = tmp_path / "backup"

    result = run(app, "backup", str(target))

    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert result.output.startswith(f"Wrote {target}: ")
    assert f"{size:,} bytes" in result.output
    assert mode(target) == 0o600  # like the database: every account and every answer is in it
    if not ON_POSTGRES:
        assert "SQLite database" in result.output
        assert query(sqlite_url(target), ANSWER_SQL, public_id=public_id) == stored
        assert not target.with_name("backup-wal").exists()  # one self-contained file
        return
    assert "pg_dump custom-format archive" in result.output
    assert target.read_bytes()[:5] == b"PGDMP"
    if shutil.which("pg_restore"):  # the archive as SQL text: the attempt and its answer are in it
        script = subprocess.run(
            ["pg_restore", "-f", "-", str(target)], capture_output=True, text=True, check=True
        ).stdout
        _, given, _ = stored[0]
        assert public_id in script
        assert given in script


def test_a_sqlite_backup_is_consistent_while_a_write_is_under_way(
    loaded_sqlite_file: Path, make_test_app: Callable[..., Flask], tmp_path: Path
) -> None:
    """The copy is taken while another connection holds the write lock with a row not yet committed: it
    neither waits for that writer nor holds its row (one read transaction: one instant's data)."""
    database = tmp_path / "live.sqlite3"
    shutil.copy(loaded_sqlite_file, database)
    app = make_test_app(database)
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO learner (token, created_at) VALUES ('not-committed', '2025-01-01')")
        result = run(app, "backup", str(tmp_path / "copy.sqlite3"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite_url(tmp_path / "copy.sqlite3")
    assert query(copy, "SELECT count(*) FROM learner WHERE token = 'not-committed'") == [(0,)]
    assert query(copy, "SELECT count(*) FROM question_set") == query(
        sqlite_url(database), "SELECT count(*) FROM question_set"
    )


def backups_folder(tmp_path: Path) -> Path:
    """An empty folder for the backups (on SQLite the test's database lives in tmp_path)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_an_existing_file_is_kept_unless_forced(app: Flask, tmp_path: Path) -> None:
    folder = backups_folder(tmp_path)
    target = folder / "backup"
    target.write_bytes(b"last night's backup")

    refused = run(app, "backup", str(target))

    assert refused.exit_code == 1
    assert refused.output == (
        f"No backup made: {target} already exists; choose another name, or add --force to replace it\n"
    )
    assert target.read_bytes() == b"last night's backup"

    forced = run(app, "backup", "--force", str(target))

    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != b"last night's backup"
    assert mode(target) == 0o600
    assert [p.name for p in folder.iterdir()] == ["backup"]  # no partial file left beside it


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda out: out / "no-such-folder" / "backup", "the folder {out}/no-such-folder does not exist"),
        (lambda out: out, "it is a folder; give a file name"),
    ],
    ids=["missing folder", "a folder"],
)
def test_a_bad_path_gives_one_clear_line(
    app: Flask, tmp_path: Path, where: Callable[[Path], Path], message: str
) -> None:
    folder = backups_folder(tmp_path)
    target = where(folder)

    result = run(app, "backup", str(target))

    assert result.exit_code == 1
    assert result.output == f"No backup made: cannot write {target}: {message.format(out=folder)}\n"
    assert list(folder.iterdir()) == []


def test_the_sqlite_database_itself_is_refused_even_with_force(
    loaded_sqlite_file: Path, make_test_app: Callable[..., Flask], tmp_path: Path
) -> None:
    database = tmp_path / "quizapp.sqlite3"
    shutil.copy(loaded_sqlite_file, database)
    before = database.read_bytes()

    result = run(make_test_app(database), "backup", "--force", str(database))

    assert result.exit_code == 1
    assert "it is the database itself" in result.output
    assert database.read_bytes() == before


def test_without_pg_dump_it_says_how_to_run_it_and_never_the_password(
    make_test_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No server is needed: the command stops before connecting."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump there
    app = make_test_app("postgresql+psycopg://quizapp:s3cret-Pa55@db.school.example:5433/quizapp")
    target = tmp_path / "quizapp.dump"

    result = run(app, "backup", str(target))

    assert result.exit_code == 1
    assert "pg_dump is not on PATH" in result.output
    assert (
        f"pg_dump -Fc --dbname postgresql://quizapp@db.school.example:5433/quizapp --file {target}"
        in result.output
    )
    assert "s3cret" not in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


if ON_POSTGRES:  # a test of the PostgreSQL run only (it needs the server of TEST_DATABASE_URL)

    def test_a_pg_dump_failure_gives_its_reason_and_leaves_no_file(
        make_test_app: Callable[..., Flask], tmp_path: Path
    ) -> None:
        assert POSTGRES is not None
        missing = POSTGRES.url.set(database="quizapp_no_such_database", password="s3cret-Pa55")
        app = make_test_app(missing.render_as_string(hide_password=False))

        result = run(app, "backup", str(tmp_path / "quizapp.dump"))

        assert result.exit_code == 1
        assert result.output.startswith("No backup made: pg_dump failed: ")
        assert 'database "quizapp_no_such_database" does not exist' in result.output
        assert "s3cret" not in result.output
        assert list(tmp_path.iterdir()) == []
