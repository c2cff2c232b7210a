"""Registration and new passwords through the test client (issue 10 §3): a taken e-mail gets exactly the
answer a new one gets (and changes nothing), registrations are rate limited per address, and weak passwords
are refused beside the field on the registration and password-change forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.passwords import COMMON, ONLY_SPACES, PATTERN, PERSONAL, TOO_SHORT
from quizapp.models import Teacher
from tests.web.account_steps import (
    EMAIL,
    NEW_PASSWORD,
    PASSWORD,
    add_teacher,
    all_errors,
    change_password,
    comparable,
    field_errors,
    register,
    sign_in,
    signed_in,
    teacher_rows,
)

REGISTERED = "Sign in with your e-mail address and password to continue."


@pytest.fixture
def ada(app: Flask) -> Teacher:
    """Ada's account (EMAIL, PASSWORD)."""
    return add_teacher(app, EMAIL, PASSWORD)


def registered_page(client: FlaskClient, email: str) -> tuple[int, str, str]:
    """Register `email` with NEW_PASSWORD: the status, where it leads, and that page without its e-mail."""
    response = register(client, email=email, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    location = response.headers.get("Location", "")
    page = client.get(location).get_data(as_text=True) if location else response.get_data(as_text=True)
    return response.status_code, location, comparable(page.replace(email, "E-MAIL"))


def test_a_taken_email_gets_the_same_answer_as_a_new_one(
    app: Flask, client: FlaskClient, other_client: FlaskClient, ada: Teacher
) -> None:
    before = teacher_rows(app)
    taken = registered_page(client, EMAIL)
    assert teacher_rows(app) == before  # nothing made, Ada's password and sign-ins untouched
    new = registered_page(other_client, "grace@school.org")
    assert taken == new
    assert taken[:2] == (302, "/teacher/login") and REGISTERED in taken[2]
    assert [row[0] for row in teacher_rows(app)] == [EMAIL, "grace@school.org"]
    assert not signed_in(client) and not signed_in(other_client)
    assert sign_in(client, EMAIL, NEW_PASSWORD).status_code == 400  # the registration set no password
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302


def test_registrations_from_one_address_are_limited(app_with: Callable[..., Flask]) -> None:
    limited = app_with(REGISTER_LIMIT="3/3600")
    client = limited.test_client()
    for number in range(3):
        assert register(client, email=f"t{number}@school.org").status_code == 302
    refused = register(client, email="t3@school.org")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3601
    assert all_errors(refused.get_data(as_text=True)) == ["Too many attempts. Please wait 60 minute(s)."]
    assert register(client, email=EMAIL).status_code == 429  # a taken or new e-mail alike
    elsewhere = limited.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert register(elsewhere, email="t4@school.org").status_code == 302
    assert [row[0] for row in teacher_rows(limited)] == [f"t{n}@school.org" for n in (0, 1, 2, 4)]


def test_thirty_registrations_in_a_row_make_at_most_ten_accounts(app: Flask, client: FlaskClient) -> None:
    """Issue 10's report: 30 accounts in 5 s from one address. The default limit is 10 an hour."""
    statuses = [register(client, email=f"bot{n}@school.org").status_code for n in range(30)]
    assert statuses == [302] * 10 + [429] * 20
    assert len(teacher_rows(app)) == 10


WEAK = [
    ("aaaaaaaaaa", TOO_SHORT),
    ("1234567890", TOO_SHORT),
    (" " * 10, TOO_SHORT),
    (" " * 14, ONLY_SPACES),
    ("aaaaaaaaaaaa", PATTERN),
    ("123456789012", PATTERN),
    ("Password2024!", COMMON),
    ("quizapp123456", COMMON),
]


@pytest.mark.parametrize(("password", "message"), [*WEAK, ("Ada Lovelace!!", PERSONAL)])
def test_registration_refuses_weak_passwords_beside_the_field(
    app: Flask, client: FlaskClient, password: str, message: str
) -> None:
    response = register(client, password=password, confirm=password)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, "password") == [message]
    assert all_errors(html) == [message]
    assert teacher_rows(app) == []


@pytest.mark.parametrize(("password", "message"), [*WEAK, ("ada@school.org!!", PERSONAL)])
def test_password_change_refuses_weak_passwords_beside_the_field(
    app: Flask, client: FlaskClient, ada: Teacher, password: str, message: str
) -> None:
    sign_in(client)
    before = teacher_rows(app)
    response = change_password(client, new=password)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, "password") == [message]
    assert teacher_rows(app) == before
    assert signed_in(client)


def test_the_form_states_the_policy(client: FlaskClient) -> None:
    page = client.get("/teacher/register").get_data(as_text=True)
    assert "At least 12 characters." in page and "common passwords are refused" in page
