"""Import a question file through a preview (nothing is saved before the teacher confirms), export a set."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from quizapp.domain import DomainError
from quizapp.domain.formats import Located
from quizapp.domain.questions import Question, question_from_dict
from quizapp.models import PendingImport, QuestionSet
from quizapp.services import exchange, exporting
from quizapp.services.teacher_sets import owned_set, teacher_sets
from quizapp.web.import_forms import ImportConfirmForm, ImportUploadForm
from quizapp.web.row_ids import row_id

bp = Blueprint("imports", __name__, url_prefix="/teacher")
Page = str | tuple[str, int] | WerkzeugResponse
FORM_ALLOWANCE = 64 * 1024  # the upload form's other fields and multipart headers


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


@bp.url_value_preprocessor
def _take_a_question_file(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A signed-in teacher's upload may carry a file of up to IMPORT_MAX_BYTES; other requests keep the app's
    smaller limit.

    Set here because URL preprocessors run before the before-request functions, CSRF's (reading the form) too.
    """
    if endpoint == "imports.upload" and current_user.is_authenticated:
        request.max_content_length = exchange.max_bytes() + FORM_ALLOWANCE


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A request bigger than the app takes at all: the page says the file limit."""
    return render_template("imports/too_large.html", limit=exchange.size_in_words(exchange.max_bytes())), 413


def _upload_form() -> ImportUploadForm:
    form = ImportUploadForm()
    form.into_set.choices = [
        SelectChoice("", "A new set"),
        *(SelectChoice(str(s.id), s.title) for s in teacher_sets(current_user)),
    ]
    return form


@bp.route("/import", methods=["GET", "POST"])
def upload() -> Page:
    """The upload form; a file sent is read and previewed (kept, unsaved, until the teacher confirms)."""
    form = _upload_form()
    if request.method == "GET":
        if "into" in request.args:  # "Import into this set" on a set's page
            into = row_id(request.args["into"])
            if into is None:
                abort(404)
            form.into_set.data = str(owned_set(current_user, into).id)
        return _render_upload(form)
    if not form.validate_on_submit():
        return _render_upload(form), 400
    into_set = owned_set(current_user, int(form.into_set.data)) if form.into_set.data else None
    upload_file = form.file.data
    data = upload_file.read()
    report = exchange.preview_import(data, form.file_format.data or None)
    if report.too_large:
        return _render_upload(form, report.errors[0]), 413
    if not report.importable:
        return _render_preview(
            report, upload_file.filename or "", form.set_title.data or "", into_set, None
        ), 400
    pending = exchange.keep_pending(
        current_user, data, report.format, upload_file.filename or "", form.set_title.data or "", into_set
    )
    return redirect(url_for("imports.preview", token=pending.token), 303)


@bp.get("/import/<token>")
def preview(token: str) -> Page:
    """The preview of a kept upload: every question, warning, error and skipped question, and the button."""
    pending = exchange.pending_upload(current_user, token)
    into_set = exchange.pending_target(current_user, pending)
    report = exchange.preview_import(pending.content, pending.format)
    return _render_preview(report, pending.filename, pending.set_title, into_set, pending)


@bp.post("/import/<token>")
def confirm(token: str) -> Page:
    """Import the previewed file, all or nothing, then show the set."""
    pending = exchange.pending_upload(current_user, token)
    if not ImportConfirmForm().validate_on_submit():
        abort(400)
    try:
        question_set, report = exchange.confirm_import(current_user, token)
    except exchange.ImportFailed as exc:
        into_set = exchange.pending_target(current_user, pending)
        return _render_preview(exc.report, pending.filename, pending.set_title, into_set, None), 400
    count = len(report.questions)
    flash(f"{count} question{'s' if count != 1 else ''} imported into “{question_set.title}”.", "success")
    return redirect(url_for("sets.show", set_id=question_set.id), 303)


def _as_students_see(raw: dict[str, Any]) -> Question | None:
    """An imported question as a domain question, to show its text and answers (None if it is invalid)."""
    try:
        return question_from_dict(raw, strict=False)
    except DomainError:
        return None


def _render_upload(form: ImportUploadForm, refusal: Located | None = None) -> str:
    limit = exchange.size_in_words(exchange.max_bytes())
    return render_template("imports/upload.html", form=form, refusal=refusal, size_limit=limit)


def _render_preview(
    report: exchange.ImportReport,
    filename: str,
    set_title: str,
    into_set: QuestionSet | None,
    pending: PendingImport | None,
) -> str:
    title = set_title or report.title or exchange.default_set_title(filename)
    return render_template(
        "imports/preview.html",
        report=report,
        filename=filename,
        set_title=title,
        into_set=into_set,
        pending=pending,
        form=ImportConfirmForm(),
        labels=exchange.FORMAT_LABELS,
        question_title=exchange.question_title,
        as_students_see=_as_students_see,
        located_message=exchange.located_message,
    )


@bp.get("/sets/<int:set_id>/export")
def export_page(set_id: int) -> str:
    """The formats a set can be exported to, and what each leaves out."""
    question_set = exporting.exportable_set(current_user, set_id)
    return render_template(
        "imports/export.html",
        question_set=question_set,
        losses=exporting.export_losses(question_set),
        labels=exchange.FORMAT_LABELS,
    )


@bp.get("/sets/<int:set_id>/export/<fmt>")
def export(set_id: int, fmt: str) -> WerkzeugResponse:
    """The set as a file to download, named after its title."""
    if fmt not in exchange.FORMATS:
        abort(404)
    question_set = exporting.exportable_set(current_user, set_id)
    filename, mimetype, body, _ = exporting.export_file(question_set, fmt)
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename)
