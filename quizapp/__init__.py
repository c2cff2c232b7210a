"""quizapp: quizzes grounded in one text.

`create_app()` builds the Flask app (`flask --app quizapp`, `gunicorn 'quizapp:create_app()'`).
Flask is imported
only when it is called, so `quizapp.domain` stays importable (and testable) without any web library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides the environment's settings."""
    from quizapp.factory import build_app

    return build_app(test_config)
