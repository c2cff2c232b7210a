"""The web layer: blueprints, error pages, security headers."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, SecurityError

from quizapp.domain.answers import answer_in_words, correct_answer_in_words
from quizapp.domain.feedback import answer_feedback, answer_marks, credit_note
from quizapp.domain.points import points_text
from quizapp.domain.question_types import TYPE_LABELS, kind_of
from quizapp.services import NotFound, stamp_cache
from quizapp.web import (
    attempts,
    auth,
    class_reports,
    classroom,
    editor,
    homework,
    imports,
    join,
    main,
    marking,
    question_files,
    reading,
    review,
    sets,
    share,
    sign_in,
)
from quizapp.web.answers_first import AnswersFirst
from quizapp.web.loud_undefined import LoudUndefined
from quizapp.web.public_url import public_url_for
from quizapp.web.row_ids import RowIdConverter
from quizapp.web.student_stamps import StudentStamps

log = logging.getLogger(__name__)

# style-src-attr (CSP level 3) lets style attributes apply, never <style> elements or other sheets; the
# cleaner keeps only font style and weight, colour and alignment in them (quizapp/richtext.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    template = f"errors/{code}.html" if code in (400, 404, 405, 413) else "errors/error.html"
    return render_template(template, error=error), code


def _pool_exhausted(error: PoolTimeoutError) -> tuple[str, int, dict[str, str]]:
    """Every pooled connection of this worker stayed busy past the pool's timeout (a burst of a whole year
    group on PostgreSQL): the same 503 as a busy database, so the phone tries again, not a 500."""
    log.warning("No database connection free (%s %s): %s", request.method, request.path, error)
    return render_template("errors/503.html"), 503, {"Retry-After": "5"}


def _not_found(error: NotFound) -> tuple[str, int]:
    """What a service could not find, or found but not the asker's to see: the same 404 page either way
    (so another teacher's set or session is not told apart from one that does not exist)."""
    return render_template("errors/404.html", error=error), 404


def _untrusted_host(error: SecurityError) -> tuple[str, int, dict[str, str]]:
    """A Host header not in TRUSTED_HOSTS: plain words, as no address of this site can be built for it."""
    return (
        "400 Bad Request: this server does not answer to that host name.\n",
        400,
        {"Content-Type": "text/plain"},
    )


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/400.html", error=error, csrf=True), 400


def _server_error(error: Exception) -> tuple[str, int]:
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    return render_template("errors/500.html"), 500


# What a database says when it cannot write at all: a full disk, a read-only file (SQLite; PostgreSQL's full
# disk ends with the system's words)
_CANNOT_WRITE = (
    "database or disk is full",
    "readonly database",
    "unable to open database",
    "disk i/o error",
    "no space left on device",
)


# PostgreSQL's codes (SQLSTATE) for a transaction given up because of others: a serialization failure, a
# deadlock, a lock waited for longer than lock_timeout (SQLite's busy timeout there). Its work is rolled back.
_BUSY = {"40001", "40P01", "55P03"}


# PostgreSQL's codes for a database that cannot write at all: a read-only transaction (a standby, or
# default_transaction_read_only), a full disk, out of memory, too many connections.
_CANNOT_WRITE_CODES = {"25006", "53100", "53200", "53300"}


def _cannot_write(error: DBAPIError) -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    """A full disk or a read-only database, or (PostgreSQL) a transaction that lost to others: 503 with plain
    words (nothing earlier is lost, try again), not a 500."""
    code = getattr(error.orig, "sqlstate", None)
    if code in _BUSY or "database is locked" in str(error.orig).lower():  # SQLite past its busy timeout
        log.warning("Database busy (%s %s): %s", request.method, request.path, error.orig)
        return render_template("errors/503.html"), 503, {"Retry-After": "5"}
    if code not in _CANNOT_WRITE_CODES and not any(
        words in str(error.orig).lower() for words in _CANNOT_WRITE
    ):
        return _server_error(error)
    log.error("Cannot write the database (%s %s): %s", request.method, request.path, error.orig)
    return render_template("errors/503.html"), 503, {"Retry-After": "60"}


def _quoted(text: str) -> str:
    """A sentence in quotation marks, unless it opens with one itself (a whole quotation, or a sentence that
    starts by quoting someone: '“We must be bold…,” said Xiong Tianci…' would read '““We…')."""
    text = text.strip()
    if text[:1] in '“"':
        return text
    return f"“{text}”"


def _has_endpoint(name: str) -> bool:
    """Whether a page exists (templates offer links only to features that are there)."""
    return name in current_app.view_functions


def register_web(app: Flask) -> None:
    """Blueprints, error handlers and response headers."""
    app.url_map.converters["int"] = RowIdConverter  # before the routes: ids beyond 64 bits are not found
    app.register_blueprint(main.bp)
    app.register_blueprint(attempts.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(sets.bp)
    app.register_blueprint(share.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(question_files.bp)
    app.register_blueprint(classroom.bp)
    app.register_blueprint(join.bp)
    app.register_blueprint(class_reports.bp)
    app.register_blueprint(homework.bp)
    app.register_blueprint(marking.bp)
    app.register_blueprint(reading.bp)
    app.register_blueprint(review.bp)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(PoolTimeoutError, _pool_exhausted)
    app.register_error_handler(OperationalError, _cannot_write)
    app.register_error_handler(InternalError, _cannot_write)  # PostgreSQL's read-only transaction
    app.register_error_handler(Exception, _server_error)
    app.after_request(_security_headers)
    app.after_request(sign_in.no_store)  # teacher pages are never cached
    stamp_cache.init_app(app)
    app.wsgi_app = AnswersFirst(app.wsgi_app, int(app.config["PAGE_SLOTS"]))  # type: ignore[method-assign]
    # the stamp polls are answered before Flask, and before ProxyFix wraps the app (the factory), so that this
    # sees the forwarded scheme; .release() lets the waiting polls go (a server stopping)
    stamps = StudentStamps(
        app.wsgi_app, app.extensions["stamp_cache"], SECURITY_HEADERS, app.config["STAMP_HOLD_SECONDS"]
    )
    app.extensions["student_stamps"] = stamps
    app.wsgi_app = stamps  # type: ignore[method-assign]
    app.jinja_env.undefined = LoudUndefined  # a field an object lacks is an error (web/loud_undefined.py)
    app.jinja_env.filters["rich"] = question_files.rich_text  # {{ q.prompt|rich(q.format) }}, files linked
    app.jinja_env.globals["has_endpoint"] = _has_endpoint
    app.jinja_env.globals["public_url_for"] = public_url_for  # links for another device (PUBLIC_URL)
    app.jinja_env.filters["quoted"] = _quoted  # {{ q.source|quoted }}
    app.jinja_env.globals["answer_feedback"] = answer_feedback  # the author's feedback on an answer
    app.jinja_env.globals.update(answer_marks=answer_marks, credit_note=credit_note)  # right or not, and why
    app.jinja_env.filters["points"] = points_text  # {{ slot.points|points }}: 0.33, the same in the CSVs
    app.jinja_env.globals.update(
        type_labels=TYPE_LABELS,
        question_kind=kind_of,  # a question type's parts: .name, .label, .typed, .choice_like
        answer_in_words=answer_in_words,
        correct_answer_in_words=correct_answer_in_words,
    )
