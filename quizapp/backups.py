"""`flask backup FILE`: a consistent copy of the database while the app runs.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) copies every page in one step, inside one
read transaction, so the copy is the database as it was at one instant; under WAL, writers carry on meanwhile.
The copy is left in rollback-journal mode (one self-contained file) and checked with `PRAGMA quick_check`.

PostgreSQL: `pg_dump -Fc` (custom format, for `pg_restore`) of the configured database, the password passed
in pg_dump's environment, never on its command line or in a message.

Either way the copy is written to a private (0600) file beside the target and moved into place only once
complete: a failed backup leaves no half-written file, and `--force` keeps the old backup until the new one is
whole.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError

from quizapp.database import is_sqlite, sqlite_file


class BackupFailed(Exception):
    """The backup could not be made; the message says why in one line, with no password in it."""


@dataclass(frozen=True)
class Backup:
    """A backup written: where, how many bytes, and what kind of file it is."""

    path: Path
    size: int
    kind: str  # "SQLite database" or "pg_dump custom-format archive"


def backup_database(engine: Engine, target: Path, force: bool = False) -> Backup:
    """Write a consistent copy of `engine`'s database to `target` (0600); BackupFailed with the reason."""
    target = target.expanduser().absolute()
    _check_target(engine, target, force)
    if is_sqlite(engine):
        _write_privately(target, force, lambda partial: _sqlite_backup(engine, partial))
        kind = "SQLite database"
    elif engine.dialect.name == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupFailed(
                "pg_dump is not on PATH (Debian: apt-get install postgresql-client); back up by hand with: "
                f"{pg_dump_by_hand(engine.url, target)} (it reads the password from PGPASSWORD or ~/.pgpass)"
            )
        _write_privately(target, force, lambda partial: _pg_dump(pg_dump, engine.url, partial))
        kind = "pg_dump custom-format archive"
    else:
        raise BackupFailed(f"cannot back up a {engine.dialect.name} database: use that database's own tools")
    return Backup(target, target.stat().st_size, kind)


def _check_target(engine: Engine, target: Path, force: bool) -> None:
    """Refuse, before any work, a target that cannot or must not be written."""
    folder = target.parent
    if not folder.is_dir():
        raise BackupFailed(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupFailed(f"cannot write {target}: no permission to create files in {folder}")
    if target.is_dir():
        raise BackupFailed(f"cannot write {target}: it is a folder; give a file name")
    database = sqlite_file(engine)
    if database is not None and target.resolve() in {
        database.resolve(),
        *(database.with_name(database.name + suffix).resolve() for suffix in ("-wal", "-shm", "-journal")),
    }:
        raise BackupFailed(f"cannot write {target}: it is the database itself; choose another file")
    if target.exists() and not force:
        raise BackupFailed(f"{target} already exists; choose another name, or add --force to replace it")


def _write_privately(target: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Call `write(partial)` on a new private file beside `target`, then move it to `target`."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    partial = Path(name)
    try:
        os.fchmod(fd, 0o600)  # mkstemp makes it 0600 already; said here as the promise it is
        os.close(fd)
        write(partial)
        if not force and target.exists():  # made by someone else while we were copying
            raise BackupFailed(f"{target} already exists; choose another name, or add --force to replace it")
        os.replace(partial, target)
    except OSError as exc:
        raise BackupFailed(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_backup(engine: Engine, partial: Path) -> None:
    """Copy the database through one of the engine's own connections (any SQLite URL, `file:` URIs too)."""
    try:
        pooled = engine.raw_connection()
    except (DBAPIError, sqlite3.Error) as exc:
        raise BackupFailed(f"cannot open the database: {getattr(exc, 'orig', None) or exc}") from exc
    try:
        source = pooled.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(copy)  # pages=-1: every page in one step, one read transaction: one instant's data
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            problems = [row[0] for row in copy.execute("PRAGMA quick_check")]
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise BackupFailed(f"the SQLite backup failed: {exc}") from exc
    finally:
        pooled.close()  # back to the pool
    if problems != ["ok"]:
        raise BackupFailed(f"the copy failed SQLite's quick_check: {'; '.join(problems[:3])}")


def libpq_url(url: URL) -> str:
    """The database's address as pg_dump reads it (`postgresql://user@host:port/db?...`), without password."""
    return url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)


def pg_dump_by_hand(url: URL, target: Path) -> str:
    """The pg_dump command line that makes the same backup (the password is asked for, or read from
    PGPASSWORD or ~/.pgpass)."""
    return shlex.join(["pg_dump", "-Fc", "--dbname", libpq_url(url), "--file", str(target)])


def _pg_dump(pg_dump: str, url: URL, partial: Path) -> None:
    """Run pg_dump -Fc into `partial`; BackupFailed with pg_dump's own first error line when it fails."""
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    command = [pg_dump, "-Fc", "--no-password", "--dbname", libpq_url(url)]
    with partial.open("wb") as out:  # the file is ours, 0600; pg_dump's --file would follow the umask
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.decode(errors="replace").splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {result.returncode}"
        if url.password is not None:
            reason = reason.replace(str(url.password), "***")
        raise BackupFailed(f"pg_dump failed: {reason.removeprefix('pg_dump: error: ')}")


def size_in_words(size: int) -> str:
    """'12.3 MB (12,345,678 bytes)'."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"
