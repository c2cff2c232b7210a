"""Wrong passwords cannot lock a teacher out (issue 10 §3): failures count per account *and address*, per
address, per account from everywhere (a higher ceiling), and on their own for a browser that signed in to the
account before; the password form's current password is limited too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.models import Teacher
from tests.conftest import get_token
from tests.web.account_steps import (
    EMAIL,
    NEW_PASSWORD,
    PASSWORD,
    add_teacher,
    all_errors,
    change_password,
    fail,
    field_errors,
    sign_in,
    signed_in,
    teacher_rows,
)

SCHOOL, HOME, PHONE = "203.0.113.9", "198.51.100.20", "192.0.2.77"


@pytest.fixture
def ada(app: Flask) -> Teacher:
    """Ada's account (EMAIL, PASSWORD)."""
    return add_teacher(app, EMAIL, PASSWORD)


def browser_at(app: Flask, address: str) -> FlaskClient:
    """A new browser whose requests come from `address`."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def sign_out(browser: FlaskClient) -> None:
    """Press 'Sign out' (which signs out every browser)."""
    browser.post("/teacher/logout", data={"csrf_token": get_token(browser, "/teacher/")})


def test_a_student_guessing_at_school_does_not_lock_the_teacher_out_at_home(app: Flask, ada: Teacher) -> None:
    student = browser_at(app, SCHOOL)
    fail(student, 5)
    assert sign_in(student, EMAIL, "still guessing").status_code == 429
    assert sign_in(browser_at(app, HOME)).status_code == 302  # the owner, elsewhere
    assert sign_in(browser_at(app, SCHOOL)).status_code == 429  # a new browser at the student's address
    assert sign_in(student).status_code == 429  # even the right password, from there


def test_the_teachers_own_browser_gets_in_even_on_the_students_address(app: Flask, ada: Teacher) -> None:
    """The school's one address: the teacher's laptop signed in there before, so its tries count apart."""
    laptop = browser_at(app, SCHOOL)
    assert sign_in(laptop).status_code == 302
    sign_out(laptop)
    student = browser_at(app, SCHOOL)
    fail(student, 5)
    assert sign_in(student).status_code == 429
    assert sign_in(laptop).status_code == 302
    assert signed_in(laptop)


def test_a_known_browser_has_its_own_limit(app: Flask, ada: Teacher) -> None:
    laptop = browser_at(app, SCHOOL)
    sign_in(laptop)
    sign_out(laptop)
    fail(laptop, 5)
    assert sign_in(laptop).status_code == 429
    assert sign_in(browser_at(app, PHONE)).status_code == 302


def test_guessing_from_many_addresses_meets_a_ceiling_per_account(app_with: Callable[..., Flask]) -> None:
    limited = app_with(LOGIN_LIMIT_ACCOUNT_TOTAL="8/3600")
    add_teacher(limited, EMAIL, PASSWORD)
    laptop = browser_at(limited, HOME)
    sign_in(laptop)
    sign_out(laptop)
    for address in ("192.0.2.1", "192.0.2.2"):
        fail(browser_at(limited, address), 4)
    refused = sign_in(browser_at(limited, "192.0.2.3"))
    assert refused.status_code == 429
    assert all_errors(refused.get_data(as_text=True)) == ["Too many attempts. Please wait 60 minute(s)."]
    assert sign_in(laptop).status_code == 302  # a browser that signed in before is not held by the ceiling


def test_the_default_ceiling_is_above_the_per_address_limit(app: Flask) -> None:
    assert app.config["LOGIN_LIMIT_ACCOUNT"] == "5/900"
    assert app.config["LOGIN_LIMIT_ACCOUNT_TOTAL"] == "100/3600"


def test_wrong_current_passwords_on_the_password_form_are_limited(
    app: Flask, client: FlaskClient, ada: Teacher
) -> None:
    sign_in(client)
    before = teacher_rows(app)
    for _ in range(5):
        response = change_password(client, current="not my password")
        assert response.status_code == 400
    refused = change_password(client)  # the right one, too late
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 901
    assert field_errors(refused.get_data(as_text=True), "current") == [
        "Too many attempts. Please wait 15 minute(s)."
    ]
    assert teacher_rows(app) == before
    assert signed_in(client)
    assert sign_in(browser_at(app, HOME)).status_code == 302  # signing in is not held by it


def test_a_right_current_password_is_not_counted(app: Flask, client: FlaskClient, ada: Teacher) -> None:
    sign_in(client)
    for _ in range(4):
        change_password(client, current="not my password")
    assert change_password(client).status_code == 302
    # the fifth counted attempt: had the success counted, this one would be refused
    assert change_password(client, current="not my password", new=PASSWORD).status_code == 400
    assert change_password(client, current=NEW_PASSWORD, new=PASSWORD).status_code == 429
