"""Page weight and SQL per page: every page a student sees, served in-process on a fresh database.

    .venv/bin/python bench/pages.py [--verbose]

For each page: HTML bytes, SQL statements run to serve it, and the median time of 5 requests (GET pages).
Exits 1 (printing 'N+1!') when a page's statement count grows with the number of questions or attempts.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _student import choose_answer, read_form
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from quizapp import create_app
from quizapp.extensions import db
from quizapp.services.question_sets import ARTICLE_BANK, current_questions, get_set
from quizapp.services.setup import initialise_database

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "static" / "css" / "app.css"
REPEATS = 5
# Pairs of pages that must run the same number of statements whatever the size of what they show.
SAME_COST = (
    ("results, 10 questions", "results, 50 questions"),
    ("question page, 10 questions", "question page, 50 questions"),
    ("my-results, 1 attempt", "my-results, 20 attempts"),
)


class Meter:
    """Serves requests through the test client, counting the SQL statements each one runs."""

    def __init__(self, app: Flask, verbose: bool):
        self.app, self.verbose = app, verbose
        self.statements: list[str] = []
        self.rows: dict[str, tuple[int, int, int, float]] = {}  # label -> status, bytes, statements, ms
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        self.statements.append(statement)

    def call(
        self, client: FlaskClient, label: str | None, method: str, path: str, data: object = None
    ) -> str:
        """One request (repeated for the median time when it is a GET); recorded under `label` if given."""
        self.statements = []
        started = time.perf_counter()
        response = client.open(path, method=method, data=data)
        elapsed = [(time.perf_counter() - started) * 1000]
        counted = list(self.statements)
        if label and method == "GET":
            for _ in range(REPEATS - 1):
                started = time.perf_counter()
                client.get(path)
                elapsed.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400, f"{method} {path}: {response.status_code}"
        if label:
            body = response.get_data()
            self.rows[label] = (response.status_code, len(body), len(counted), statistics.median(elapsed))
            if self.verbose:
                print(f"-- {label}:", *(" ".join(s.split())[:150] for s in counted), sep="\n   ")
        return response.get_data(as_text=True)


def fresh_app(folder: Path) -> Flask:
    """The app on a new database in `folder`, with the built-in bank loaded."""
    os.environ["QUIZAPP_INSTANCE_PATH"] = str(folder / "instance")
    database = folder / "pages.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})
    with app.app_context():
        initialise_database(Path(app.config["QUESTIONS_DIR"]))
        db.session.remove()
    return app


def one_question_per_type(app: Flask) -> dict[str, str]:
    """A question id of each type in the built-in bank."""
    with app.app_context():
        picked: dict[str, str] = {}
        for _, version in current_questions(get_set(ARTICLE_BANK)):
            picked.setdefault(version.type, version.content["id"])
    return picked


def start(meter: Meter, client: FlaskClient, fields: dict[str, object], path: str = "/quiz") -> str:
    """Start a quiz (from the home page's token); returns the attempt's URL prefix."""
    token = read_form(meter.call(client, None, "GET", "/")).csrf
    response = client.post(path, data={"csrf_token": token, **fields})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"].rsplit("/", 1)[0]


def answer(meter: Meter, client: FlaskClient, url: str, label: str | None = None, go: str = "next") -> None:
    """Answer the question at `url` as a student would (some answer, right or wrong)."""
    form = read_form(meter.call(client, None, "GET", url))
    data = [("csrf_token", form.csrf), *choose_answer(form, random.Random(url)), ("go", go)]
    meter.call(client, label, "POST", url, data=MultiDict(data))


def take_test(meter: Meter, client: FlaskClient, count: int) -> str:
    """A finished test of `count` questions; returns the attempt's URL prefix."""
    attempt = start(meter, client, {"count": count, "mode": "test"})
    for position in range(1, count + 1):
        answer(meter, client, f"{attempt}/{position}", go="finish" if position == count else "next")
    return attempt


def measure_all(meter: Meter, app: Flask) -> None:
    """Every page a student sees, in the order a student meets them."""
    client = app.test_client()
    meter.call(client, "home", "GET", "/")
    by_type = one_question_per_type(app)
    attempt = start(
        meter, client, {"question_ids": ",".join(by_type.values()), "mode": "test"}, "/quiz/selection"
    )
    for position in range(1, len(by_type) + 1):
        html = meter.call(client, None, "GET", f"{attempt}/{position}")
        kind = re.search(r'class="type-tag">([^<]+)<', html).group(1)  # type: ignore[union-attr]
        meter.call(client, f"question page: {kind}", "GET", f"{attempt}/{position}")
        if position < len(by_type):  # the last one stays unanswered, so the finish page has to ask
            answer(meter, client, f"{attempt}/{position}", "answer POST (test)" if position == 1 else None)
    meter.call(client, "finish page", "GET", f"{attempt}/finish")
    token = read_form(meter.call(client, None, "GET", f"{attempt}/finish")).csrf
    meter.call(client, "finish POST", "POST", f"{attempt}/finish", data={"csrf_token": token})
    practice = start(
        meter, client, {"question_ids": next(iter(by_type.values())), "mode": "practice"}, "/quiz/selection"
    )
    answer(meter, client, f"{practice}/1", "answer POST (practice check)", go="check")
    meter.call(client, "practice feedback", "GET", f"{practice}/1")
    for count in (10, 50):
        attempt = take_test(meter, client, count)
        meter.call(client, f"results, {count} questions", "GET", f"{attempt}/results")
        unfinished = start(meter, client, {"count": count, "mode": "test"})
        meter.call(client, f"question page, {count} questions", "GET", f"{unfinished}/1")
    article = meter.call(client, "article", "GET", "/article")
    anchor = re.search(r'href="(/article/[^"#]+)"', article).group(1)  # type: ignore[union-attr]
    meter.call(client, "sentence page", "GET", anchor)
    learner = app.test_client()  # a new browser, so its history holds only what follows
    for done in range(1, 21):
        take_test(meter, learner, 10)
        if done in (1, 20):
            meter.call(learner, f"my-results, {done} attempt{'s' if done > 1 else ''}", "GET", "/my-results")


def report(meter: Meter) -> int:
    """Print the table and the N+1 check; 1 when a count grows with the size of the page's content."""
    print(f"CSS {CSS.relative_to(ROOT)}: {CSS.stat().st_size} bytes (one file, cached after the first page)")
    print(f"{'page':<34}{'status':>7}{'HTML bytes':>12}{'SQL':>6}{'ms':>8}")
    for label, (status, size, statements, ms) in meter.rows.items():
        print(f"{label:<34}{status:>7}{size:>12}{statements:>6}{ms:>8.1f}")
    failed = 0
    for small, large in SAME_COST:
        a, b = meter.rows[small][2], meter.rows[large][2]
        flag = "N+1!" if b > a else "ok"
        failed |= b > a
        print(f"{flag:<5} {small}: {a} statements, {large}: {b} statements")
    return int(failed)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every page on a fresh database; 1 when a page's SQL grows with its content."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each page's SQL statements")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quizapp-pages-") as folder:
        app = fresh_app(Path(folder))
        meter = Meter(app, args.verbose)
        measure_all(meter, app)
        with app.app_context():
            db.engine.dispose()
    return report(meter)


if __name__ == "__main__":
    sys.exit(main())
