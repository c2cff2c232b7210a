"""Command-line tools: `flask --app quizapp init-db`, `backup`, `questions check|export|import`, `users`,
`sets`, `sessions`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from quizapp.backups import BackupFailed, backup_database, size_in_words
from quizapp.domain.bank import check_bank_folder
from quizapp.domain.bank_lint import lint_bank
from quizapp.extensions import db
from quizapp.services import NotFound
from quizapp.services.accounts import AccountError, create_teacher, find_teacher
from quizapp.services.exchange import (
    FORMATS,
    ImportFailed,
    ImportReport,
    default_set_title,
    import_file,
    located_message,
    preview_import,
)
from quizapp.services.exporting import export_file, find_set
from quizapp.services.idle_sessions import close_idle_sessions
from quizapp.services.question_sets import ARTICLE_BANK, InvalidQuestionSet, export_set, import_set
from quizapp.services.setup import DatabaseNotWritable, check_writable, initialise_database

questions_cli = AppGroup("questions", help="Check, export and import question sets.")
users_cli = AppGroup("users", help="Manage teacher accounts.")
sets_cli = AppGroup("sets", help="Import and export question sets: GIFT, Aiken, Moodle XML, JSON.")
sessions_cli = AppGroup("sessions", help="Look after class sessions.")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database tables if needed and load the question banks of questions/.

    Safe to run again at any time: changed questions get a new version, attempts and responses are kept.
    Fails (exit status 1) when the database cannot be written, so that `make run` does not start a server
    that could not save anything.
    """
    try:
        check_writable()
    except DatabaseNotWritable as exc:
        _fail(str(exc), [])
    try:
        reports = initialise_database(Path(current_app.config["QUESTIONS_DIR"]))
    except InvalidQuestionSet as exc:
        _fail("The question bank has problems; nothing was loaded:", exc.problems)
    for report in reports:
        click.echo(f"Loaded {report}")


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists (kept until the new copy is whole).")
@with_appcontext
def backup_command(file: Path, force: bool) -> None:
    """Write a consistent copy of the database to FILE while the app runs (private to you: mode 0600).

    SQLite: a copy of the database file made with SQLite's online backup API. PostgreSQL: `pg_dump -Fc` of the
    configured database (restore with `pg_restore`); without pg_dump on PATH, says how to run it by hand.
    Fails (exit status 1) with one line saying why; FILE is never left half-written.
    """
    try:
        backup = backup_database(db.engine, file, force)
    except BackupFailed as exc:
        _fail(f"No backup made: {exc}", [])
    click.echo(f"Wrote {backup.path}: {backup.kind}, {size_in_words(backup.size)}.")


@questions_cli.command("check")
@click.option(
    "--lint", is_flag=True, help="Also check that each bank teaches: duplicate facts, answers shown, biases."
)
def check_command(lint: bool) -> None:
    """Check every question bank in questions/ and list each problem with how to fix it; with --lint, also
    print each bank's lint report (docs/question-format.md, "Checking that a bank teaches")."""
    folder = Path(current_app.config["QUESTIONS_DIR"])
    checks = check_bank_folder(folder)
    problems = [p for check in checks for p in check.problems]
    if problems:
        _fail(f"{len(problems)} problem(s) in {folder}:", problems)
    failed = False
    for check in checks:
        bank = check.bank
        assert bank is not None and bank.path is not None
        withdrawn = f" ({len(bank.withdrawn)} withdrawn)" if bank.withdrawn else ""
        click.echo(f"OK {bank.path.name}: {len(bank.questions)} questions, all grounded{withdrawn}")
        if lint:
            report = lint_bank(bank.questions, bank.article, bank.facts)
            click.echo(f"Lint of {bank.path.name}:")
            click.echo("\n".join(f"  {line}" for line in report.lines()))
            failed = failed or report.failed
    if failed:
        sys.exit(1)


@questions_cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True, help="Output format."
)
@click.option("--set", "slug", default=ARTICLE_BANK, show_default=True, help="Which question set.")
def export_command(fmt: str, slug: str) -> None:
    """Print a question set (the article's bank by default) as JSON on standard output."""
    try:
        data = export_set(slug)
    except NotFound:
        _fail(f"No question set '{slug}'. Run 'flask --app quizapp init-db' first.", [])
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--set", "slug", default=ARTICLE_BANK, show_default=True, help="Which question set to create or update."
)
def import_command(file: Path, slug: str) -> None:
    """Load a JSON question set (as written by 'questions export') into the database, all or nothing."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{file}: not a JSON file ({exc}). Nothing was imported.", [])
    try:
        report = import_set(data, slug)
    except InvalidQuestionSet as exc:
        _fail(f"{file}: nothing was imported, because:", exc.problems)
    click.echo(f"Imported {report}")


@users_cli.command("create-teacher")
@click.argument("email")
@click.option("--name", default="", help="The teacher's name (default: the part of the e-mail before @).")
@click.password_option(
    "--password", prompt="Password for the new account", help="Prompted for (twice, hidden) when not given."
)
def create_teacher_command(email: str, name: str, password: str) -> None:
    """Create a teacher account (for servers where registration is closed)."""
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        _fail(f"'{email}' is not an e-mail address.", [])
    try:
        teacher = create_teacher(email, name or email.split("@")[0], password)
    except AccountError as exc:
        _fail(str(exc), [])
    click.echo(f"Created the teacher account {teacher.email}.")


@sessions_cli.command("close-idle")
def close_idle_command() -> None:
    """Close every class session left open with no activity for SESSION_IDLE_HOURS (default 12), as its
    teacher would; the teachers' pages also do it when they are read."""
    closed = close_idle_sessions()
    click.echo(f"Closed {closed} idle session{'s' if closed != 1 else ''}.")


@sets_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", required=True, help="E-mail of the teacher account that will own the new set.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The file's format (default: detected from its content).",
)
@click.option("--set-title", default="", help="Title of the new set (default: the file's name).")
@click.option("--dry-run", is_flag=True, help="Only report what the import would do; save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def sets_import_command(
    file: Path, owner: str, fmt: str | None, set_title: str, dry_run: bool, as_json: bool
) -> None:
    """Import a question file into a new set of a teacher's, all or nothing.

    The report lists every question with its type, the questions skipped (types quizapp has no equivalent
    for) and every error with its line; on any error nothing is saved and the exit status is 1.
    """
    teacher = find_teacher(owner)
    if teacher is None:
        _fail(f"No teacher account has the e-mail '{owner}'. Nothing was imported.", [])
    data = file.read_bytes()
    report = preview_import(data, fmt)
    _print_report(file, report, as_json)
    if dry_run or not report.importable:
        if not report.importable:
            click.echo(f"{file}: {'nothing would be' if dry_run else 'nothing was'} imported.", err=True)
        sys.exit(0 if report.importable else 1)
    try:
        title = set_title or report.title or default_set_title(file.name)
        question_set = import_file(teacher, data, fmt, title)
    except ImportFailed as exc:
        _fail(f"{file}: nothing was imported: {exc}", [])
    click.echo(
        f"Imported {len(report.questions)} question(s) into set {question_set.id} "
        f"'{question_set.title}' (owner {teacher.email}).",
        err=as_json,
    )


def _print_report(file: Path, report: ImportReport, as_json: bool) -> None:
    """The import report, as JSON or as lines for people (errors on standard error)."""
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{file} ({report.format}): {len(report.questions)} question(s) to import, "
        f"{len(report.skipped)} skipped, {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)."
    )
    for item in report.to_json()["questions"]:
        click.echo(f"  line {item['line']}: {item['type']} ({item['moodle_type']}) {item['title']}")
    for skipped in report.skipped:
        click.echo(
            f"  skipped, line {skipped.line or skipped.name} ({skipped.moodle_type}): {skipped.reason}"
        )
    for warning in report.warnings:
        click.echo(f"  warning, line {warning.line}: {located_message(warning)}")
    for error in report.errors:
        click.echo(f"  error, line {error.line}: {located_message(error)}", err=True)


@sets_cli.command("export")
@click.argument("set_reference", metavar="SET")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="The file format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
def sets_export_command(set_reference: str, fmt: str, output: Path | None) -> None:
    """Export a set (its id, or a slug such as 'article-bank') as GIFT, Aiken, Moodle XML or JSON.

    Questions the format cannot hold (e.g. all but single choice in Aiken) are left out and listed.
    """
    try:
        filename, _, body, left_out = export_file(find_set(set_reference), fmt)
    except NotFound:
        _fail(f"No question set '{set_reference}' (give its id or its slug).", [])
    for question in left_out:
        click.echo(f"left out: '{question.title}' ({question.type}): {question.reason}", err=True)
    if output is None:
        click.echo(body, nl=False)
    else:
        output.write_bytes(body)
        click.echo(f"Wrote {output} ({len(body)} bytes; suggested name {filename}).", err=True)


def _fail(headline: str, problems: list) -> None:  # type: ignore[type-arg]
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(1)


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(questions_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(sets_cli)
    app.cli.add_command(sessions_cli)
