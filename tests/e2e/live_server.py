"""The app served for real on 127.0.0.1, and Debian's Chromium for Playwright (for the tests and scripts)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Playwright
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.services.setup import initialise_database
from tests.databases import close_connections, empty_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def fresh_app(folder: Path) -> Flask:
    """The app on a new database (an SQLite file in `folder`, or PostgreSQL's), with the schema and the
    article's bank loaded."""
    app = create_app(
        {
            "SECRET_KEY": "e2e",
            "SQLALCHEMY_DATABASE_URI": empty_database(folder, "e2e"),
            "REGISTER_LIMIT": "1000/3600",  # every test's teacher registers from 127.0.0.1 on one server
            # phones' stamp polls wait for a change, as in `make run`'s gevent workers (here a thread each)
            "STAMP_HOLD_SECONDS": 5,
        }
    )
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
    return app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free local port in a background thread; yields the base URL, stops on exit."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        app.extensions["student_stamps"].release()  # the polls still waiting end now, not in 5 s
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            close_connections()


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium, quiet (no first-run, sync or update traffic)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
