"""Uploading a question file through the teacher's import form, for the web tests."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from tests.conftest import get_token
from tests.services.exchange_files import GOOD_GIFT
from tests.web.teachers import page_text

UPLOAD = "/teacher/import"


PREVIEW = re.compile(r"/teacher/import/([A-Za-z0-9_-]{20,})")


def upload(client: FlaskClient, data: bytes, filename: str = "moon_quiz.gift", **fields: str) -> TestResponse:
    """Send a file through the upload form (with this browser's CSRF token unless `fields` give one).

    The body is encoded in memory: the test client would spool a big one to a temporary file that nobody
    closes when the app refuses it unread.
    """
    form = {
        "file_format": "",
        "into_set": "",
        "set_title": "",
        "csrf_token": get_token(client, UPLOAD),
        **fields,
    }
    file = FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")
    boundary, body = encode_multipart(MultiDict({**form, "file": file}))
    return client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def previewed(client: FlaskClient, data: bytes = GOOD_GIFT, **fields: str) -> str:
    """Upload a good file; the preview's address (the upload answered with a redirect to it)."""
    response = upload(client, data, **fields)
    assert response.status_code == 303, page_text(response)
    assert PREVIEW.fullmatch(response.headers["Location"])
    return response.headers["Location"]
