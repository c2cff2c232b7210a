"""Files embedded in questions (Moodle's images): served by digest and name, and linked from question texts.

A text links to `@@PLUGINFILE@@/name`, as in Moodle; the `rich` filter makes that the URL of this route when
the question shown (passed to the filter, else the template's `q`) holds a file of that name. Only images and
other types a browser shows without running anything are served, never sniffed, and cached for good (the URL
changes with the content).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from quizapp.domain.formats.mapping import category_names
from quizapp.richtext import render
from quizapp.services.embedded_files import embedded_file, file_digest

bp = Blueprint("question_files", __name__)
bp.add_app_template_filter(category_names, "category_names")  # {{ c.category|category_names|join(' › ') }}


@bp.get("/question-files/<digest>/<path:name>")
def show(digest: str, name: str) -> Response:
    """One embedded file, with the content type of its name; 404 for an unknown or unsafe file."""
    data, mimetype = embedded_file(digest, name)
    response = Response(data, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@pass_context
def rich_text(context: Context, text: str, text_format: str = "plain", question: Any = None) -> Markup:
    """`{{ q.prompt|rich(q.format, q) }}`: safe markup, with the links to the question's embedded files made
    URLs. A macro must pass the question: its arguments are not in the context, where the filter otherwise
    looks for `q`."""
    shown = question if question is not None else context.get("q")
    files = {file.name: file for file in getattr(shown, "files", ())}

    def file_link(name: str) -> str | None:
        file: Any = files.get(name)
        return url_for("question_files.show", digest=file_digest(file), name=name) if file else None

    return render(text, text_format, file_link if files else None)
