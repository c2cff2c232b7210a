"""Teacher accounts through the test client: registering (open or closed), signing in and out, changing the
password, the login cookie, rate limits on sign-in, CSRF on every account form, and pages that need a sign-in.

Each browser is its own test client (see conftest.py); the login cookie holds '<teacher id>.<token>' and the
token changes at sign-out and at a password change, so any copy of an older cookie stops working.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.domain.bank import QuestionBank
from quizapp.extensions import db
from quizapp.models import RateLimitHit, Teacher
from tests.conftest import csrf_token, get_token
from tests.web.account_steps import (
    EMAIL,
    NEW_PASSWORD,
    PASSWORD,
    add_teacher,
    all_errors,
    browser_with_cookie,
    change_password,
    comparable,
    fail,
    field_errors,
    register,
    session_cookie,
    session_set_cookie,
    sign_in,
    signed_in,
    teacher_rows,
)
from tests.web.taking import start_selection

WRONG = "Wrong e-mail or password."
CSRF_MESSAGE = "The form had expired or came from another site, so nothing was saved."
LOGIN_REDIRECT = "/teacher/login?next=" + quote("/teacher/", safe="")


# ---- helpers


@pytest.fixture
def teacher(app: Flask) -> Teacher:
    """Ada's account (EMAIL, PASSWORD), created through the service."""
    return add_teacher(app, EMAIL, PASSWORD)


def counted_attempts(app: Flask) -> int:
    """How many sign-in attempts the rate limits currently count."""
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(RateLimitHit))


# ---- registration


def test_registration_leads_to_sign_in_with_the_email_filled_in(app: Flask, client: FlaskClient) -> None:
    """The account is made; the teacher signs in with it (a taken e-mail gets the same answer: see
    test_registration.py), and lands on the dashboard."""
    response = register(client, email="Ada@School.org")
    assert (response.status_code, response.headers["Location"]) == (302, "/teacher/login")
    page = client.get("/teacher/login").get_data(as_text=True)
    assert "Sign in with your e-mail address and password to continue." in page
    assert f'value="{EMAIL}"' in page
    assert not signed_in(client)
    assert sign_in(client).headers["Location"] == "/teacher/"
    assert "<title>Dashboard · quizapp</title>" in client.get("/teacher/").get_data(as_text=True)
    [(email, password_hash, _)] = teacher_rows(app)
    assert email == EMAIL
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash


REGISTER_ERRORS = [
    ({"name": ""}, "name", "Tell us your name."),
    ({"email": "ada-at-school.org"}, "email", "Enter an e-mail address like name@school.org."),
    ({"email": ""}, "email", "Enter your e-mail address."),
    ({"password": "too short", "confirm": "too short"}, "password", "Use at least 12 characters."),
    ({"confirm": "correct horse batterY"}, "confirm", "The two passwords are not the same."),
]


@pytest.mark.parametrize(("changes", "field", "message"), REGISTER_ERRORS)
def test_registration_errors_show_beside_their_field(
    app: Flask, client: FlaskClient, changes: dict[str, str], field: str, message: str
) -> None:
    response = register(client, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, field) == [message]
    assert all_errors(html) == [message]
    assert teacher_rows(app) == []


@pytest.mark.parametrize("email", [EMAIL, "ADA@School.ORG", "Ada@school.org"])
def test_registration_with_a_taken_email_whatever_its_case_changes_nothing(
    app: Flask, client: FlaskClient, teacher: Teacher, email: str
) -> None:
    before = teacher_rows(app)
    response = register(client, email=email, name="Impostor", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/teacher/login")
    assert teacher_rows(app) == before
    assert not signed_in(client)
    assert sign_in(client, password=NEW_PASSWORD).status_code == 400


@pytest.mark.parametrize(
    "changes",
    [{"name": ""}, {"confirm": "something else"}, {"password": "password1234", "confirm": "password1234"}],
)
def test_a_refused_registration_never_echoes_the_password(
    client: FlaskClient, teacher: Teacher, changes: dict[str, str]
) -> None:
    html = register(client, **changes).get_data(as_text=True)
    assert PASSWORD not in html and "something else" not in html and "password1234" not in html
    password_inputs = re.findall(r'<input[^>]*type="password"[^>]*>', html)
    assert len(password_inputs) == 2
    assert all('value=""' in tag for tag in password_inputs)


def test_closed_registration_refuses_get_and_post_and_creates_nothing(app_with: Callable[..., Flask]) -> None:
    closed = app_with(REGISTRATION="closed")
    client = closed.test_client()
    page = client.get("/teacher/register")
    assert page.status_code == 403
    assert "Registration is closed" in page.get_data(as_text=True)
    response = register(client)
    assert response.status_code == 403
    assert "teacher accounts are created by the administrator" in response.get_data(as_text=True)
    assert teacher_rows(closed) == []
    assert "Create a teacher account" not in client.get("/teacher/login").get_data(as_text=True)


# ---- signing in


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        (None, "/teacher/"),
        ("/teacher/", "/teacher/"),
        ("/teacher/password", "/teacher/password"),
        ("https://evil.example/", "/teacher/"),
        ("//evil.example", "/teacher/"),
        ("/\\evil.example", "/teacher/"),
        ("/\t/evil.example", "/teacher/"),
        ("/\n/evil.example", "/teacher/"),
        ("javascript:alert(1)", "/teacher/"),
    ],
)
def test_sign_in_follows_next_only_to_a_local_path(
    client: FlaskClient, teacher: Teacher, target: str | None, lands_on: str
) -> None:
    response = sign_in(client, query_string={"next": target} if target else None)
    assert (response.status_code, response.headers["Location"]) == (302, lands_on)
    assert signed_in(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(client: FlaskClient, teacher: Teacher) -> None:
    wrong_password = sign_in(client, EMAIL, "not the password")
    unknown_email = sign_in(client, "nobody@school.org", PASSWORD)
    pages = [r.get_data(as_text=True) for r in (wrong_password, unknown_email)]
    assert [r.status_code for r in (wrong_password, unknown_email)] == [400, 400]
    assert [all_errors(html) for html in pages] == [[WRONG], [WRONG]]
    assert comparable(pages[0]) == comparable(pages[1])
    assert "not the password" not in pages[0] and PASSWORD not in pages[1]
    assert not signed_in(client)


def test_signing_in_replaces_the_learners_session_cookie(
    client: FlaskClient, teacher: Teacher, bank: QuestionBank
) -> None:
    """A browser that already had a session (a learner's quiz) gets a new cookie at sign-in."""
    start_selection(client, [bank.questions[0].id])
    before = session_cookie(client)
    response = sign_in(client)
    assert response.status_code == 302
    after = session_set_cookie(response).split(";")[0].removeprefix("session=")
    assert after != before and session_cookie(client) == after
    assert not signed_in(browser_with_cookie(client.application, before))


@pytest.mark.parametrize(("https", "secure"), [("", False), ("1", True)])
def test_login_cookie_is_httponly_samesite_lax_and_secure_over_https(
    monkeypatch: pytest.MonkeyPatch, app_with: Callable[..., Flask], https: str, secure: bool
) -> None:
    monkeypatch.setenv("HTTPS", https)
    served = app_with()
    add_teacher(served, EMAIL, PASSWORD)
    browser = served.test_client()
    browser.environ_base["wsgi.url_scheme"] = "https"
    response = sign_in(
        browser, headers={"Referer": "https://localhost/teacher/login"}
    )  # CSRF checks it on https
    header = session_set_cookie(response, "__Host-session" if secure else "session")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert "httponly" in attributes
    assert "SameSite=Lax" in header
    assert ("secure" in attributes) is secure


# ---- signing out, changing the password


def test_sign_out_makes_the_old_cookie_worthless(app: Flask, client: FlaskClient, teacher: Teacher) -> None:
    sign_in(client)
    stolen = session_cookie(client)
    assert signed_in(browser_with_cookie(app, stolen))  # the control: the copy works while signed in
    response = client.post("/teacher/logout", data={"csrf_token": get_token(client, "/teacher/")})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert not signed_in(client)
    copy = browser_with_cookie(app, stolen).get("/teacher/")
    assert (copy.status_code, copy.headers["Location"]) == (302, LOGIN_REDIRECT)


def test_sign_out_is_post_only(client: FlaskClient, teacher: Teacher) -> None:
    sign_in(client)
    assert client.get("/teacher/logout").status_code == 405
    assert signed_in(client)


def test_password_change_signs_out_every_other_browser(
    app: Flask, client: FlaskClient, other_client: FlaskClient, teacher: Teacher
) -> None:
    sign_in(client)
    sign_in(other_client)
    old_cookie = session_cookie(client)
    response = change_password(client)
    assert (response.status_code, response.headers["Location"]) == (302, "/teacher/")
    assert "Your password is changed." in client.get("/teacher/").get_data(as_text=True)
    assert signed_in(client)
    assert not signed_in(other_client)
    assert not signed_in(browser_with_cookie(app, old_cookie))


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("not my password", NEW_PASSWORD, None, "current", "The current password is not right."),
        (PASSWORD, "short", None, "password", "Use at least 12 characters."),
        (PASSWORD, NEW_PASSWORD, "a brand new passphrasE", "confirm", "The two passwords are not the same."),
        ("", NEW_PASSWORD, None, "current", "Enter your current password."),
    ],
)
def test_password_change_errors_show_beside_their_field(
    app: Flask,
    client: FlaskClient,
    teacher: Teacher,
    current: str,
    new: str,
    confirm: str | None,
    field: str,
    message: str,
) -> None:
    sign_in(client)
    before = teacher_rows(app)
    response = change_password(client, current, new, confirm)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, field) == [message]
    assert all_errors(html) == [message]
    assert NEW_PASSWORD not in html and PASSWORD not in html
    assert teacher_rows(app) == before


def test_after_a_password_change_only_the_new_password_signs_in(
    client: FlaskClient, other_client: FlaskClient, teacher: Teacher
) -> None:
    sign_in(client)
    assert change_password(client).status_code == 302
    assert sign_in(other_client, EMAIL, PASSWORD).status_code == 400
    assert sign_in(other_client, EMAIL, NEW_PASSWORD).status_code == 302
    assert signed_in(other_client)


# ---- rate limits


def test_sixth_attempt_is_refused_even_with_the_right_password(client: FlaskClient, teacher: Teacher) -> None:
    fail(client, 5)
    response = sign_in(client)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 901
    assert all_errors(response.get_data(as_text=True)) == ["Too many attempts. Please wait 15 minute(s)."]
    assert not signed_in(client)


def test_a_success_does_not_count_as_a_failure(
    client: FlaskClient, other_client: FlaskClient, teacher: Teacher
) -> None:
    fail(client, 4)
    assert sign_in(other_client).status_code == 302
    fail(client, 1)  # the fifth counted attempt: had the success counted, this one would be refused
    assert sign_in(client).status_code == 429


def test_address_limit_stops_every_account_from_one_address(app_with: Callable[..., Flask]) -> None:
    limited = app_with(LOGIN_LIMIT_ADDRESS="8/900")
    add_teacher(limited, EMAIL, PASSWORD)
    add_teacher(limited, "grace@school.org", PASSWORD, name="Grace")
    client = limited.test_client()
    fail(client, 5)
    assert sign_in(client).status_code == 429  # Ada's account is at its limit
    assert sign_in(client, "grace@school.org").status_code == 302  # Grace, from the same address, is not
    stranger = limited.test_client()  # another browser at the address, that never signed in to Grace's
    fail(stranger, 3, "grace@school.org")
    assert sign_in(stranger, "grace@school.org").status_code == 429  # now the address is at its limit
    assert sign_in(client, "grace@school.org").status_code == 302  # but Grace's own browser is known
    elsewhere = limited.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert sign_in(elsewhere, "grace@school.org").status_code == 302


# ---- CSRF and pages that need a sign-in


def rename(client: FlaskClient, name: str) -> TestResponse:
    """Send the name form of a signed-in browser (it is on the account page, beside the password form)."""
    return client.post(
        "/teacher/name", data={"name": name, "csrf_token": get_token(client, "/teacher/password")}
    )


def test_a_teacher_changes_the_name_shown(app: Flask, client: FlaskClient, teacher: Teacher) -> None:
    sign_in(client)
    assert 'value="Ada Lovelace"' in client.get("/teacher/password").get_data(as_text=True)
    response = rename(client, "  Ada King  ")
    assert response.status_code == 302 and response.headers["Location"] == "/teacher/password"
    assert teacher_names(app) == ["Ada King"]
    assert "Your name is now “Ada King”." in client.get("/teacher/password").get_data(as_text=True)
    assert "Signed in as Ada King" in client.get("/teacher/").get_data(as_text=True)


@pytest.mark.parametrize(("name", "message"), [("   ", "Tell us your name."), ("x" * 101, "100 characters")])
def test_a_name_that_is_empty_or_too_long_is_refused(
    app: Flask, client: FlaskClient, teacher: Teacher, name: str, message: str
) -> None:
    sign_in(client)
    response = rename(client, name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert teacher_names(app) == ["Ada Lovelace"]


def state(app: Flask) -> tuple[object, ...]:
    """What an account POST could change: the accounts (hashes, tokens, names) and the counted attempts."""
    return teacher_rows(app), counted_attempts(app), teacher_names(app)


def teacher_names(app: Flask) -> list[str]:
    """The name of every account, in order."""
    with app.app_context():
        return list(db.session.scalars(db.select(Teacher.name).order_by(Teacher.id)))


CSRF_POSTS = [
    (
        "/teacher/register",
        {"name": "Eve", "email": "eve@school.org", "password": PASSWORD, "confirm": PASSWORD},
    ),
    ("/teacher/login", {"email": EMAIL, "password": PASSWORD}),
    ("/teacher/logout", {}),
    ("/teacher/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    ("/teacher/name", {"name": "Ada King"}),
]


@pytest.mark.parametrize(("path", "data"), CSRF_POSTS)
@pytest.mark.parametrize("sent_token", ["missing", "another browser's"])
def test_account_posts_without_this_browsers_token_change_nothing(
    app: Flask,
    client: FlaskClient,
    other_client: FlaskClient,
    teacher: Teacher,
    path: str,
    data: dict[str, str],
    sent_token: str,
) -> None:
    """The browser has a session and a token of its own (and is signed in for logout and password)."""
    teacher_only = path in ("/teacher/logout", "/teacher/password", "/teacher/name")
    if teacher_only:
        sign_in(client)
    else:
        get_token(client, "/teacher/login")
    if sent_token != "missing":
        data = {**data, "csrf_token": csrf_token(other_client.get("/teacher/login").get_data(as_text=True))}
    before = state(app)
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
    assert state(app) == before
    assert signed_in(client) is teacher_only  # still signed in, or still not


@pytest.mark.parametrize("path", ["/teacher/", "/teacher/password"])
def test_teacher_pages_send_a_signed_out_browser_to_sign_in_and_back(
    client: FlaskClient, teacher: Teacher, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/teacher/login?next=" + quote(path, safe="")
    assert "Sign in to see this page." in client.get(response.headers["Location"]).get_data(as_text=True)
    back = sign_in(client, query_string={"next": path})
    assert back.headers["Location"] == path
    assert client.get(path).status_code == 200
