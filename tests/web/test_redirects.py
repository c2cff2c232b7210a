"""Every `next` and `back` a browser sends leads to a path on this site or to the page's default, never to
another site, and never to an error: one helper (quizapp/web/redirects.py) decides for the whole app."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import QuestionFlag
from quizapp.web.redirects import safe_local_path
from tests.conftest import get_token
from tests.web.classroom_steps import join_student, open_session, step, text_of, token
from tests.web.teachers import ADA, PASSWORD, sign_in_teacher

# What browsers would read as another site (or a script), directly or once something decoded it.
NASTY = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\x00/evil.example",
    "/\u3000/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/x\\..\\..\\evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/ok\r\nSet-Cookie: x=1",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/" + "a" * 3000,
]
LOCAL = ["/", "/play/abc", "/play/abc?change=1", "/teacher/sessions/new?set=bank", "/teacher/sets/1#sharing"]


@pytest.mark.parametrize("target", NASTY)
def test_odd_targets_are_refused(target: str) -> None:
    assert safe_local_path(target) is None


@pytest.mark.parametrize("target", LOCAL)
def test_plain_local_paths_are_kept(target: str) -> None:
    assert safe_local_path(target) == target


@pytest.mark.parametrize("target", NASTY)
def test_the_flag_page_goes_back_only_to_this_site(app: Flask, client: FlaskClient, target: str) -> None:
    """The form drops an odd `back`; posted anyway, the student lands on the play page, the flag saved."""
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher)
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "start")
    form = ana.client.get(f"{ana.play}/flag/1", query_string={"back": target})
    assert form.status_code == 200
    assert 'name="back" value=""' in text_of(form)
    data = {"csrf_token": token(ana.client), "comment": "Looks wrong", "back": target}
    sent = ana.client.post(f"{ana.play}/flag/1", data=data)
    assert (sent.status_code, sent.headers["Location"]) == (302, ana.play)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionFlag.id))) == 1


@pytest.mark.parametrize("target", NASTY)
def test_sign_in_goes_on_only_to_this_site(app: Flask, client: FlaskClient, target: str) -> None:
    sign_in_teacher(app, app.test_client(), ADA)  # opens the account
    data = {"email": ADA, "password": PASSWORD, "csrf_token": get_token(client, "/teacher/login")}
    response = client.post("/teacher/login", data=data, query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (302, "/teacher/")
