"""`flask users create-teacher`: creates an account (password as an option or typed twice at the prompt),
refuses a taken e-mail, a short password or a non-e-mail with exit code 1 and a clear message, and never
prints the password."""

from __future__ import annotations

import pytest
from click.testing import Result
from flask import Flask

from quizapp.extensions import db
from quizapp.models import Teacher

PASSWORD = "a long enough secret"


def invoke(app: Flask, *args: str, typed: str | None = None) -> Result:
    """Run `flask users ARGS` on `app`, with `typed` as what the user types at the prompts."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["users", *args], input=typed)


def teachers(app: Flask) -> list[tuple[str, str]]:
    """(e-mail, name) of every teacher account."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(db.select(Teacher.email, Teacher.name)).all()]


def password_hash(app: Flask, email: str) -> str:
    """The stored hash of the account with this e-mail."""
    with app.app_context():
        return db.session.scalar(db.select(Teacher.password_hash).where(Teacher.email == email))


def test_create_teacher_with_the_password_option(app: Flask) -> None:
    result = invoke(
        app, "create-teacher", "Grace@School.org", "--name", "Grace Hopper", "--password", PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert "Created the teacher account grace@school.org." in result.output
    assert PASSWORD not in result.output
    assert teachers(app) == [("grace@school.org", "Grace Hopper")]
    assert password_hash(app, "grace@school.org").startswith("$argon2id$")


def test_create_teacher_prompts_twice_and_names_from_the_email(app: Flask) -> None:
    result = invoke(app, "create-teacher", "alan@school.org", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password for the new account") == 1
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output
    assert teachers(app) == [("alan@school.org", "alan")]


def test_prompt_asks_again_when_the_two_passwords_differ(app: Flask) -> None:
    typed = f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n"
    result = invoke(app, "create-teacher", "alan@school.org", typed=typed)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert PASSWORD not in result.output and "something else" not in result.output
    assert teachers(app) == [("alan@school.org", "alan")]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("GRACE@school.org", PASSWORD, "An account with this e-mail already exists"),
        ("new@school.org", "short pw", "Password refused: Use at least 12 characters."),
        ("new@school.org", "qwertyuiop123", "Password refused: This password is on a list of common"),
        ("not-an-email", PASSWORD, "'not-an-email' is not an e-mail address."),
        ("@school.org", PASSWORD, "is not an e-mail address"),
        ("grace@", PASSWORD, "is not an e-mail address"),
    ],
)
def test_create_teacher_refusals_exit_1_and_change_nothing(
    app: Flask, email: str, password: str, message: str
) -> None:
    assert invoke(app, "create-teacher", "grace@school.org", "--password", PASSWORD).exit_code == 0
    result = invoke(app, "create-teacher", email, "--password", password)
    assert result.exit_code == 1
    assert message in result.output
    assert password not in result.output
    assert "Created" not in result.output
    assert teachers(app) == [("grace@school.org", "grace")]
