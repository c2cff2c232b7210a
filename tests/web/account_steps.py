"""Teacher accounts through the test client, for the web tests: registering, signing in and out, changing the
password, the login cookie, and the errors beside the account forms' fields."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Teacher
from quizapp.services.accounts import create_teacher
from tests.conftest import get_token

EMAIL, PASSWORD, NEW_PASSWORD = "ada@school.org", "correct horse battery", "a brand new passphrase"


def add_teacher(app: Flask, email: str, password: str, name: str = "Ada Lovelace") -> Teacher:
    """A teacher account on `app`'s database."""
    with app.app_context():
        return create_teacher(email, name, password)


def teacher_rows(app: Flask) -> list[tuple[str, str, str]]:
    """(e-mail, password hash, session token) of every account."""
    with app.app_context():
        query = db.select(Teacher.email, Teacher.password_hash, Teacher.session_token).order_by(Teacher.id)
        return [tuple(row) for row in db.session.execute(query).all()]


def register(client: FlaskClient, **changes: str) -> TestResponse:
    """Fill in and send the registration form (Ada's details, with `changes`)."""
    data = {"name": "Ada Lovelace", "email": EMAIL, "password": PASSWORD, "confirm": PASSWORD, **changes}
    return client.post("/teacher/register", data={**data, "csrf_token": get_token(client, "/teacher/login")})


def sign_in(
    client: FlaskClient, email: str = EMAIL, password: str = PASSWORD, **request: object
) -> TestResponse:
    """Send the sign-in form (extra keyword arguments go to the request, e.g. query_string)."""
    data = {"email": email, "password": password, "csrf_token": get_token(client, "/teacher/login")}
    return client.post("/teacher/login", data=data, **request)  # type: ignore[arg-type]


def signed_in(client: FlaskClient) -> bool:
    """Whether the dashboard opens for this browser (else it is sent to the sign-in page)."""
    response = client.get("/teacher/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def session_cookie(client: FlaskClient) -> str:
    """The browser's current session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def browser_with_cookie(app: Flask, value: str) -> FlaskClient:
    """A new browser that sends `value` as its session cookie (e.g. a copy stolen earlier)."""
    browser = app.test_client()
    browser.set_cookie("session", value)
    return browser


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown beside a form field."""
    return re.findall(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)


def all_errors(html: str) -> list[str]:
    """Every error message on the page."""
    return re.findall(r'<p class="error"[^>]*>([^<]*)</p>', html)


def session_set_cookie(response: TestResponse, name: str = "session") -> str:
    """The Set-Cookie header of the session cookie (named `name`) in a response."""
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, response.headers
    return cookies[-1]


def comparable(html: str) -> str:
    """A page with the typed e-mail and the CSRF token blanked out, to compare two pages' wording."""
    return re.sub(r'value="[^"]*"', 'value=""', html)


def change_password(
    client: FlaskClient, current: str = PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None
) -> TestResponse:
    """Send the password form of a signed-in browser."""
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return client.post(
        "/teacher/password", data={**data, "csrf_token": get_token(client, "/teacher/password")}
    )


def fail(client: FlaskClient, times: int, email: str = EMAIL) -> None:
    """`times` sign-ins with a wrong password, each answered 'wrong e-mail or password'."""
    for _ in range(times):
        assert sign_in(client, email, "not the password").status_code == 400
