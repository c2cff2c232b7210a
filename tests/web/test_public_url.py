"""Addresses for phones come from PUBLIC_URL, not from the Host header a request names; with TRUSTED_HOSTS
set, a request naming another host is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.config import load_config
from quizapp.web.classroom import _qr
from tests.conftest import make_app
from tests.databases import close_connections
from tests.web.classroom_steps import open_session, text_of
from tests.web.teachers import ADA, make_set, share_set, sign_in_teacher

PUBLIC = "http://192.168.1.20:5000"
FORGED = {"Host": "evil.example"}


def browser_at(app: Flask, host: str) -> FlaskClient:
    """A browser whose every request names `host` (its cookies are that host's)."""
    browser = app.test_client()
    browser.environ_base["HTTP_HOST"] = host
    return browser


@pytest.fixture
def public_app(database: Path) -> Iterator[Flask]:
    """The app with PUBLIC_URL set."""
    app = make_app(database, PUBLIC_URL=PUBLIC)
    yield app
    with app.app_context():
        close_connections()


def test_the_join_link_and_qr_code_use_the_public_url(public_app: Flask) -> None:
    teacher = sign_in_teacher(public_app, browser_at(public_app, "evil.example"), ADA)
    run = open_session(teacher)
    board = text_of(teacher.get(run.board))
    assert f"{PUBLIC}/join" in board
    assert str(_qr(f"{PUBLIC}/join/{run.code}")) in board
    assert "evil.example" not in board


def test_the_share_link_uses_the_public_url(public_app: Flask) -> None:
    teacher = sign_in_teacher(public_app, browser_at(public_app, "evil.example"), ADA)
    set_id = make_set(public_app, ADA)
    token = share_set(public_app, set_id)
    page = text_of(teacher.get(f"/teacher/sets/{set_id}"))
    assert f'value="{PUBLIC}/s/{token}"' in page
    assert "evil.example" not in page


def test_a_host_that_is_not_trusted_is_refused(database: Path) -> None:
    app = make_app(database, TRUSTED_HOSTS=["quiz.school.org", "192.168.1.20"])
    browser = app.test_client()
    assert browser.get("/", headers=FORGED).status_code == 400
    assert browser.get("/join", headers=FORGED).status_code == 400
    assert browser.get("/", base_url="http://quiz.school.org").status_code == 200
    assert browser.get("/", base_url="http://192.168.1.20:5000").status_code == 200
    with app.app_context():
        close_connections()


@pytest.mark.parametrize(
    ("public_url", "trusted_hosts", "expected"),
    [
        ("", "", ("", None)),
        (
            "http://192.168.1.20:5000/",
            "quiz.school.org, 192.168.1.20",
            (PUBLIC, ["quiz.school.org", "192.168.1.20"]),
        ),
        ("https://quiz.school.org", "quiz.school.org", ("https://quiz.school.org", ["quiz.school.org"])),
    ],
)
def test_the_settings_are_read_from_the_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    public_url: str,
    trusted_hosts: str,
    expected: tuple[str, list[str] | None],
) -> None:
    monkeypatch.setenv("PUBLIC_URL", public_url)
    monkeypatch.setenv("TRUSTED_HOSTS", trusted_hosts)
    config = load_config(tmp_path)
    assert (config["PUBLIC_URL"], config["TRUSTED_HOSTS"]) == expected


@pytest.mark.parametrize("public_url", ["192.168.1.20:5000", "ftp://host", "http://host/quiz", "http://"])
def test_a_public_url_that_is_not_one_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, public_url: str
) -> None:
    monkeypatch.setenv("PUBLIC_URL", public_url)
    with pytest.raises(ValueError, match="PUBLIC_URL must look like http://192.168.1.20:5000"):
        load_config(tmp_path)
