"""Files embedded in questions (Moodle's images and sounds), served to whoever is shown the question: by
the digest of their content, only of the types a browser shows safely."""

from __future__ import annotations

import base64
import hashlib
import json

from quizapp.domain.questions import EmbeddedFile
from quizapp.extensions import db
from quizapp.models import QuestionVersion
from quizapp.services import NotFound

SAFE_FILE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "webm": "video/webm",
}  # no SVG or HTML: they can run scripts


def file_digest(file: EmbeddedFile) -> str:
    """A name for a file's content in URLs (it changes when the content does)."""
    return hashlib.sha256(file.data.encode()).hexdigest()[:32]


def embedded_file(digest: str, name: str) -> tuple[bytes, str]:
    """(content, MIME type) of the embedded file `name` with this digest, in some question version;
    NotFound when there is none, or when its type is not one a browser shows safely."""
    mimetype = SAFE_FILE_TYPES.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None
    if mimetype is None:
        raise NotFound(f"file {name}")
    candidates = db.session.scalars(
        db.select(QuestionVersion).where(
            db.cast(QuestionVersion.content, db.Text).contains(json.dumps(name), autoescape=True)
        )
    )
    for version in candidates:
        for file in version.to_domain().files:
            if file.name == name and file_digest(file) == digest:
                return base64.b64decode(file.data), mimetype
    raise NotFound(f"file {name}")
