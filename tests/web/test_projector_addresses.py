"""The projector page opened on 127.0.0.1 or localhost: phones cannot use that address, so the page says so
and shows this computer's addresses on the local network (with their QR codes) instead. With PUBLIC_URL set,
or opened on a network address, it shows that address and no warning."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.web import public_url
from quizapp.web.local_addresses import local_ipv4_addresses
from tests.web.classroom_steps import open_session, text_of
from tests.web.teachers import ADA, sign_in_teacher

WARNING = "Phones cannot use this page's address"
LAN = ("192.168.1.23", "10.0.0.7")


@pytest.fixture
def on_lan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer whose local network addresses are LAN."""
    monkeypatch.setattr(public_url, "local_ipv4_addresses", lambda: LAN)


def board_on(app: Flask, client: FlaskClient, host: str) -> str:
    """The text of a new session's projector page, the app opened as http://<host>/ (sign-in included)."""
    teacher = sign_in_teacher(app, client, ADA)
    run = open_session(teacher)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = teacher.get_cookie(name)
    assert cookie is not None
    teacher.set_cookie(name, cookie.value, domain=urlsplit(f"http://{host}").hostname or "")
    return text_of(teacher.get(run.board, headers={"Host": host}))


@pytest.mark.parametrize("opened_on", ["127.0.0.1:5000", "localhost:5000", "[::1]:5000"])
@pytest.mark.usefixtures("on_lan")
def test_opened_on_this_computer_the_board_shows_the_network_addresses(
    app: Flask, client: FlaskClient, opened_on: str
) -> None:
    page = board_on(app, client, opened_on)
    assert WARNING in page
    assert "http://192.168.1.23:5000/join" in page  # the port kept; the default route's address first
    assert "http://10.0.0.7:5000/join" in page
    assert page.index("192.168.1.23") < page.index("10.0.0.7")
    assert "127.0.0.1:5000/join" not in page and "localhost:5000/join" not in page
    assert page.count("QR code of the join link") == 2  # a QR code per address (its SVG's title)


def test_without_any_network_address_the_board_says_what_to_do(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_url, "local_ipv4_addresses", lambda: ())
    page = board_on(app, client, "127.0.0.1:5000")
    assert WARNING in page and "HOST=0.0.0.0 make run" in page
    assert "/join" not in page.replace("make run", "")


@pytest.mark.usefixtures("on_lan")
def test_opened_on_a_network_address_the_board_shows_it_without_warning(
    app: Flask, client: FlaskClient
) -> None:
    page = board_on(app, client, "192.168.1.23:5000")
    assert WARNING not in page
    assert "http://192.168.1.23:5000/join" in page and "10.0.0.7" not in page


@pytest.mark.usefixtures("on_lan")
def test_public_url_wins_and_shows_no_warning(app: Flask, client: FlaskClient) -> None:
    app.config["PUBLIC_URL"] = "https://quiz.school.example"
    page = board_on(app, client, "127.0.0.1:5000")
    assert WARNING not in page
    assert "https://quiz.school.example/join" in page and "192.168.1.23" not in page


def test_this_computers_addresses_are_ipv4_and_not_loopback() -> None:
    for address in local_ipv4_addresses():  # whatever this machine has (maybe none, offline)
        ip = ipaddress.ip_address(address)
        assert ip.version == 4 and not ip.is_loopback, address
