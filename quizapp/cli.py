"""Command-line tools: `flask --app quizapp init-db`, `questions check|export|import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from quizapp.domain.bank import check_bank_folder
from quizapp.services import NotFound
from quizapp.services.question_sets import ARTICLE_BANK, InvalidQuestionSet, export_set, import_set
from quizapp.services.accounts import AccountError, create_teacher
from quizapp.services.setup import initialise_database

questions_cli = AppGroup("questions", help="Check, export and import question sets.")
users_cli = AppGroup("users", help="Manage teacher accounts.")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database tables if needed and load the question banks of questions/.

    Safe to run again at any time: changed questions get a new version, attempts and responses are kept.
    """
    try:
        reports = initialise_database(Path(current_app.config["QUESTIONS_DIR"]))
    except InvalidQuestionSet as exc:
        _fail("The question bank has problems; nothing was loaded:", exc.problems)
    for report in reports:
        click.echo(f"Loaded {report}")


@questions_cli.command("check")
def check_command() -> None:
    """Check every question bank in questions/ and list each problem with how to fix it."""
    folder = Path(current_app.config["QUESTIONS_DIR"])
    checks = check_bank_folder(folder)
    problems = [p for check in checks for p in check.problems]
    if problems:
        _fail(f"{len(problems)} problem(s) in {folder}:", problems)
    for check in checks:
        assert check.bank is not None
        click.echo(f"OK {check.bank.path.name}: {len(check.bank.questions)} questions, all grounded")


@questions_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format.")
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
@click.option("--set", "slug", default=ARTICLE_BANK, show_default=True,
              help="Which question set to create or update.")
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
@click.password_option("--password", prompt="Password for the new account",
                       help="Prompted for (twice, hidden) when not given.")
def create_teacher_command(email: str, name: str, password: str) -> None:
    """Create a teacher account (for servers where registration is closed)."""
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        _fail(f"'{email}' is not an e-mail address.", [])
    try:
        teacher = create_teacher(email, name or email.split("@")[0], password)
    except AccountError as exc:
        _fail(str(exc), [])
    click.echo(f"Created the teacher account {teacher.email}.")


def _fail(headline: str, problems: list) -> None:  # type: ignore[type-arg]
    click.echo(headline, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(1)


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(questions_cli)
    app.cli.add_command(users_cli)
