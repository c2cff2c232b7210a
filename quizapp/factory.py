"""The app factory: configuration, extensions, blueprints, error pages and CLI, wired together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import cli
from quizapp.config import engine_options, load_config
from quizapp.database import configure_engine
from quizapp.extensions import csrf, db, login_manager, migrate
from quizapp.paths import resource_root
from quizapp.web import register_web
from quizapp.web.buffered_bodies import BufferedBodies


def build_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides the environment's settings."""
    root = resource_root()
    instance = os.environ.get("QUIZAPP_INSTANCE_PATH")
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=str(Path(instance).resolve()) if instance else None,
        instance_relative_config=True,
    )
    app.config.from_mapping(load_config(Path(app.instance_path)), QUESTIONS_DIR=str(root / "questions"))
    if test_config:
        app.config.update(test_config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in test_config:  # for the database (and pool) the test chose
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    configure_engine(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    migrate.init_app(app, db)
    register_web(app)
    cli.init_app(app)
    largest = int(app.config["MAX_CONTENT_LENGTH"]) + int(
        app.config["IMPORT_MAX_BYTES"]
    )  # an import's upload
    app.wsgi_app = BufferedBodies(app.wsgi_app, largest)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:  # behind a reverse proxy: trust its X-Forwarded-For/-Proto headers
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    return app


def warm_up(app: Flask) -> None:
    """Compile every template now rather than on the first request that needs it (~0.5 s for all of them):
    gunicorn's workers call it before serving (gunicorn.conf.py)."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
