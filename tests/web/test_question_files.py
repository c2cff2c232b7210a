"""Files embedded in imported Moodle questions (quizapp/web/question_files.py): a teacher imports a Moodle XML
file with an image into a set, a learner takes the set through its share link and sees the image, served by
digest and name with its type and nosniff; unknown files and types a browser could run (SVG, HTML) are 404."""

from __future__ import annotations

import base64
import re
import struct
import zlib

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.questions import EmbeddedFile
from quizapp.services.embedded_files import file_digest
from tests.conftest import get_token
from tests.web.homework import finish, start
from tests.web.taking import attempt_slots
from tests.web.teachers import ADA, make_set, page_text, set_keys, share_set, sign_in_teacher
from tests.web.uploads import previewed


def png_pixel(rgb: bytes) -> bytes:
    """A real 1x1 PNG of one colour (a browser shows it)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8 bits, RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" + rgb))
        + chunk(b"IEND", b"")
    )


PNG = png_pixel(b"\xcc\x00\x00")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PAGE = b"<html><script>alert(1)</script></html>"


def embedded(name: str, data: bytes) -> str:
    """A Moodle XML <file> element holding `data`."""
    return f'<file name="{name}" path="/" encoding="base64">{base64.b64encode(data).decode()}</file>'


MOODLE_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Crater picture</text></name>
    <questiontext format="html"><text><![CDATA[<p>The crater is <b>red</b>.
      <img src="@@PLUGINFILE@@/crater%20map.png" alt="A map of the crater"></p>]]></text>
      {embedded("crater map.png", PNG)}</questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Unsafe files</text></name>
    <questiontext format="html"><text><![CDATA[<p>Look <a href="@@PLUGINFILE@@/page.html">here</a>
      <img src="@@PLUGINFILE@@/evil.svg" alt="evil"></p>]]></text>
      {embedded("evil.svg", SVG)}{embedded("page.html", PAGE)}</questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
</quiz>
""".encode()
IMAGE = re.compile(r'<img src="(/question-files/[0-9a-f]{32}/crater%20map\.png)" alt="A map of the crater"')


@pytest.fixture
def shared_import(app: Flask, other_client: FlaskClient) -> str:
    """Ada imports the file into one of her sets through the import flow and shares the set: its token."""
    ada = sign_in_teacher(app, other_client, ADA)
    set_id = make_set(app, ADA, "Craters", questions=[])
    address = previewed(ada, MOODLE_XML, into_set=str(set_id))
    confirm = ada.post(address, data={"csrf_token": get_token(ada, address)})
    assert confirm.status_code == 303 and len(set_keys(app, set_id)) == 2
    return share_set(app, set_id)


def learner_pages(app: Flask, client: FlaskClient, token: str) -> dict[str, str]:
    """A learner starts a quiz through the share link: each question's page by its title."""
    public_id = start(client, token, count=10)
    return {
        slot.question.title: page_text(client.get(f"/attempts/{public_id}/{slot.position}"))
        for slot in attempt_slots(app, public_id)
    }


def test_a_learner_sees_the_embedded_image_of_an_imported_question(
    app: Flask, client: FlaskClient, shared_import: str
) -> None:
    page = learner_pages(app, client, shared_import)["Crater picture"]
    assert "@@PLUGINFILE@@" not in page
    [src] = IMAGE.findall(page)
    image = client.get(src)
    assert image.status_code == 200 and image.data == PNG
    assert image.mimetype == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_results_page_shows_the_image_too(app: Flask, client: FlaskClient, shared_import: str) -> None:
    public_id = start(client, shared_import, count=10)
    results = finish(client, public_id)
    assert "@@PLUGINFILE@@/crater" not in results
    [src] = IMAGE.findall(results)
    assert client.get(src).data == PNG


def test_files_a_browser_could_run_are_linked_but_never_served(
    app: Flask, client: FlaskClient, shared_import: str
) -> None:
    page = learner_pages(app, client, shared_import)["Unsafe files"]
    links = re.findall(r'(?:src|href)="(/question-files/[^"]+)"', page)
    assert sorted(link.rsplit("/", 1)[1] for link in links) == ["evil.svg", "page.html"]
    for link in links:
        assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "digest_of"),
    [
        ("crater map.png", PNG, b"other content"),  # the right name with another file's digest
        ("crater.png", PNG, PNG),  # a name no question has
        ("../crater map.png", PNG, PNG),  # a path out of the route
        ("evil.svg", SVG, SVG),  # the right digest, an unsafe type
        ("page.html", PAGE, PAGE),
        ("crater map", PNG, PNG),  # no extension: no type to serve it as
    ],
)
def test_unknown_or_unsafe_files_are_404(
    client: FlaskClient, shared_import: str, name: str, data: bytes, digest_of: bytes
) -> None:
    digest = file_digest(EmbeddedFile(name, base64.b64encode(digest_of).decode()))
    assert client.get(f"/question-files/{digest}/{name}").status_code == 404


def test_the_right_digest_and_name_serve_the_file_without_the_share_link(
    client: FlaskClient, shared_import: str
) -> None:
    """The address is what a learner's page links to: the digest of the content and the file's name."""
    digest = file_digest(EmbeddedFile("crater map.png", base64.b64encode(PNG).decode()))
    response = client.get(f"/question-files/{digest}/crater%20map.png")
    assert response.status_code == 200 and response.data == PNG
