"""A teacher's sign-in as a session (issue 10 §3): a new session identifier at every sign-in, an idle and an
absolute lifetime with a sign-in again that leads back to the page, sign-out everywhere across them, the
learner's year-long identity untouched, no-store on teacher pages, and __Host- cookies under HTTPS.

Time is moved by rewriting the signed session's own clock (`login_at`, `seen_at`) through the test client,
as a browser that waited would present it; nothing is mocked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.models import Teacher
from tests.conftest import get_token
from tests.web.account_steps import (
    EMAIL,
    PASSWORD,
    add_teacher,
    browser_with_cookie,
    session_cookie,
    session_set_cookie,
    sign_in,
    signed_in,
)
from tests.web.taking import start_selection

HOUR, DAY = 3600, 86400
IDLE_MESSAGE = "You were signed out after 12 hours without activity. Sign in again to continue."
LONGEST_MESSAGE = "A sign-in lasts 7 days at most: you were signed out. Sign in again to continue."


@pytest.fixture
def ada(app: Flask) -> Teacher:
    """Ada's account (EMAIL, PASSWORD)."""
    return add_teacher(app, EMAIL, PASSWORD)


def stored(client: FlaskClient) -> dict[str, object]:
    """What the browser's signed session cookie holds."""
    with client.session_transaction() as session:
        return dict(session)


def age(client: FlaskClient, signed_in_ago: int, seen_ago: int) -> None:
    """Make the sign-in `signed_in_ago` seconds old, its last page `seen_ago` seconds ago."""
    now = int(time.time())
    with client.session_transaction() as session:
        session["login_at"], session["seen_at"] = now - signed_in_ago, now - seen_ago


# ---- a new session identifier at every sign-in


def test_two_sign_ins_of_one_teacher_carry_different_session_identifiers(
    client: FlaskClient, other_client: FlaskClient, ada: Teacher
) -> None:
    sign_in(client)
    sign_in(other_client)
    assert session_cookie(client) != session_cookie(other_client)
    first, second = stored(client), stored(other_client)
    assert first["_user_id"] == second["_user_id"]  # the same account and sign-out epoch...
    assert first["login_id"] != second["login_id"]  # ...but each sign-in its own random identifier
    assert len(str(first["login_id"])) >= 20
    sign_in(client)
    assert stored(client)["login_id"] not in (first["login_id"], second["login_id"])


def test_a_session_planted_before_sign_in_is_replaced(app: Flask, client: FlaskClient, ada: Teacher) -> None:
    """Session fixation: an attacker's own session, handed to the victim, never becomes a signed-in one."""
    attacker = app.test_client()
    get_token(attacker, "/teacher/login")  # the attacker's session, with its CSRF token
    planted = session_cookie(attacker)
    victim = browser_with_cookie(app, planted)
    with victim.session_transaction() as session:
        before = dict(session)
    response = sign_in(victim)
    assert response.status_code == 302
    assert session_set_cookie(response).split(";")[0].removeprefix("session=") != planted
    after = stored(victim)
    assert after.get("csrf_token") != before["csrf_token"]
    assert not signed_in(browser_with_cookie(app, planted))


def test_sign_out_ends_every_sign_in_whatever_its_identifier(
    client: FlaskClient, other_client: FlaskClient, ada: Teacher
) -> None:
    sign_in(client)
    sign_in(other_client)
    client.post("/teacher/logout", data={"csrf_token": get_token(client, "/teacher/")})
    assert not signed_in(client) and not signed_in(other_client)


# ---- idle and absolute lifetimes


@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago", "message"),
    [(13 * HOUR, 12 * HOUR + 5, IDLE_MESSAGE), (7 * DAY + 5, 60, LONGEST_MESSAGE)],
)
def test_an_old_sign_in_asks_to_sign_in_again_and_leads_back(
    client: FlaskClient, ada: Teacher, signed_in_ago: int, seen_ago: int, message: str
) -> None:
    sign_in(client)
    age(client, signed_in_ago, seen_ago)
    response = client.get("/teacher/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/teacher/login?next=" + quote("/teacher/password", safe="")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page and "Sign in to see this page." not in page
    back = sign_in(client, query_string={"next": "/teacher/password"})
    assert back.headers["Location"] == "/teacher/password"
    assert client.get("/teacher/password").status_code == 200


@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago"), [(11 * HOUR, 11 * HOUR), (7 * DAY - 60, 11 * HOUR), (6 * DAY, 0)]
)
def test_a_sign_in_within_both_limits_holds(
    client: FlaskClient, ada: Teacher, signed_in_ago: int, seen_ago: int
) -> None:
    sign_in(client)
    age(client, signed_in_ago, seen_ago)
    assert signed_in(client)


def test_activity_keeps_a_sign_in_but_not_past_its_longest(client: FlaskClient, ada: Teacher) -> None:
    sign_in(client)
    age(client, 2 * DAY, 11 * HOUR)
    assert signed_in(client)
    assert int(time.time()) - int(stored(client)["seen_at"]) < 5  # the page counted as activity
    age(client, 7 * DAY, 0)
    assert not signed_in(client)


def test_the_live_views_polling_is_not_activity(client: FlaskClient, ada: Teacher) -> None:
    """The live page's script asks for a stamp every two seconds: an open tab alone keeps nobody signed in."""
    sign_in(client)
    age(client, HOUR, 11 * HOUR)
    seen = stored(client)["seen_at"]
    client.get("/teacher/sessions/no-such-session/stamp")
    assert stored(client)["seen_at"] == seen


def test_the_limits_are_configurable(app_with: Callable[..., Flask]) -> None:
    strict = app_with(TEACHER_SESSION_IDLE=timedelta(minutes=30), TEACHER_SESSION_MAX=timedelta(hours=8))
    add_teacher(strict, EMAIL, PASSWORD)
    browser = strict.test_client()
    sign_in(browser)
    age(browser, HOUR, 31 * 60)
    response = browser.get("/teacher/")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page


def test_a_sign_in_from_before_the_limits_is_asked_again(client: FlaskClient, ada: Teacher) -> None:
    """A cookie of the old year-long kind (no sign-in time in it) no longer opens teacher pages."""
    sign_in(client)
    with client.session_transaction() as session:
        del session["login_at"], session["seen_at"], session["login_id"]
    response = client.get("/teacher/")
    assert response.status_code == 302
    assert "Please sign in again to continue." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_the_end_of_a_sign_in_keeps_the_browsers_quiz_history(
    client: FlaskClient, ada: Teacher, bank: QuestionBank
) -> None:
    """The cookie also names the learner (for a year): only the teacher's sign-in ends."""
    public_id = start_selection(client, [bank.questions[0].id])
    learner = stored(client)["learner"]
    sign_in(client)
    age(client, 8 * DAY, 8 * DAY)
    assert not signed_in(client)
    assert stored(client)["learner"] == learner
    assert "_user_id" not in stored(client)
    assert client.get(f"/attempts/{public_id}/1").status_code == 200


# ---- caching


def teacher_urls(app: Flask) -> list[str]:
    """Every GET page under /teacher, with 1 for each id (a missing one is a 404 page, a teacher page too)."""
    adapter = app.url_map.bind("localhost")
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/teacher") and "GET" in (rule.methods or ()):
            urls.add(adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1)))
    return sorted(urls)


def test_every_teacher_page_is_no_store(app: Flask, client: FlaskClient, ada: Teacher) -> None:
    urls = teacher_urls(app)
    assert len(urls) > 15 and "/teacher/" in urls and "/teacher/login" in urls
    signed_out = {url: client.get(url).headers.get("Cache-Control") for url in urls}
    sign_in(client)
    signed = {url: client.get(url).headers.get("Cache-Control") for url in urls}
    assert {url: value for url, value in {**signed_out, **signed}.items() if value != "no-store"} == {}


def test_a_signed_in_teachers_other_pages_are_no_store_but_not_the_static_files(
    client: FlaskClient, ada: Teacher
) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")  # a learner's home page
    sign_in(client)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/my-results").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    static.close()
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


# ---- __Host- cookies under HTTPS


def test_under_https_the_session_cookie_is_a_host_cookie(
    monkeypatch: pytest.MonkeyPatch, app_with: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("HTTPS", "1")
    served = app_with()
    assert served.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    add_teacher(served, EMAIL, PASSWORD)
    browser = served.test_client()
    browser.environ_base["wsgi.url_scheme"] = "https"
    response = sign_in(browser, headers={"Referer": "https://localhost/teacher/login"})
    header = session_set_cookie(response, "__Host-session")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    assert {"secure", "httponly", "path"} <= attributes.keys()
    assert attributes["path"] == "Path=/"
    assert "domain" not in attributes
    assert signed_in(browser)


def test_over_plain_http_the_cookie_keeps_its_plain_name(client: FlaskClient, ada: Teacher) -> None:
    """A __Host- cookie needs Secure, which a development server on http:// could not set."""
    response = sign_in(client)
    assert session_set_cookie(response, "session")
    assert signed_in(client)


def test_a_form_sent_after_the_sign_in_ended_leads_back_to_its_page(
    client: FlaskClient, ada: Teacher
) -> None:
    """The password form sent after the sign-in ended: nothing changes, the sign-in page says so, and after
    signing in the teacher is back on the form's page (not on its POST-only address, which would say 405)."""
    sign_in(client)
    age(client, 13 * HOUR, 12 * HOUR + 5)
    data = {
        "current": "x",
        "password": "y",
        "confirm": "y",
        "csrf_token": get_token(client, "/teacher/login"),
    }
    sent = client.post(
        "/teacher/password", data=data, headers={"Referer": "http://localhost/teacher/password"}
    )
    assert sent.headers["Location"] == "/teacher/login?next=" + quote("/teacher/password", safe="")
    assert (
        "What you sent was not saved: sign in, then send it again."
        in client.get(sent.headers["Location"]).text
    )
    elsewhere = client.post(
        "/teacher/password", data=data, headers={"Referer": "http://evil.example/teacher/"}
    )
    assert elsewhere.headers["Location"] == "/teacher/login"
