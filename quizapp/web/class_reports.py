"""Reports after a classroom session, for the teacher who ran it: gradebook, item analysis, the source text
shaded by how well the class read it, a printable report, CSV files, and best/latest scores across a set's
sessions. Another teacher's session or set is a 404.
"""

from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.models import ClassSession
from quizapp.services import class_reports as reports
from quizapp.services import report_csv, set_results
from quizapp.services.classroom import owned_session

bp = Blueprint("reports", __name__, url_prefix="/teacher")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _own(public_id: str) -> ClassSession:
    return owned_session(current_user, public_id)


def _sort() -> str:
    return request.args.get("sort", "name")


@bp.get("/sessions/<public_id>/gradebook")
def gradebook(public_id: str) -> str:
    """A row per student, a column per question (the answer on hover or focus); sortable by name or score."""
    book = reports.gradebook(_own(public_id), _sort())
    return render_template("reports/gradebook.html", session=book.session, book=book)


@bp.get("/sessions/<public_id>/items")
def items(public_id: str) -> str:
    """Each question's facility, spread, discrimination, answers given and students' flags."""
    report = reports.session_report(_own(public_id))
    return render_template("reports/items.html", session=report.session, report=report)


@bp.get("/sessions/<public_id>/passage")
def passage(public_id: str) -> str:
    """The source text, each sentence shaded by how well the class answered the questions quoting it."""
    report = reports.session_report(_own(public_id))
    return render_template("reports/passage.html", session=report.session, report=report)


@bp.get("/sessions/<public_id>/report")
def report(public_id: str) -> str:
    """Everything on one page, laid out for printing."""
    report = reports.session_report(_own(public_id), _sort())
    return render_template("reports/report.html", session=report.session, report=report)


def csv_download(of: ClassSession | reports.AttemptGroup, text: str, kind: str) -> WerkzeugResponse:
    """A CSV report as a download named after the session (or the set, for homework)."""
    return send_file(
        io.BytesIO(text.encode("utf-8")),
        mimetype="text/csv",
        as_attachment=True,
        download_name=report_csv.csv_filename(of, kind),
    )


@bp.get("/sessions/<public_id>/gradebook.csv")
def gradebook_csv(public_id: str) -> WerkzeugResponse:
    """The gradebook as a spreadsheet file (UTF-8 with a BOM, one header row)."""
    session = _own(public_id)
    return csv_download(session, report_csv.gradebook_csv(session, _sort()), "gradebook")


@bp.get("/sessions/<public_id>/items.csv")
def items_csv(public_id: str) -> WerkzeugResponse:
    """The item analysis as a spreadsheet file."""
    session = _own(public_id)
    return csv_download(session, report_csv.items_csv(session), "item-analysis")


@bp.get("/sets/<int:set_id>/gradebook")
def set_gradebook(set_id: int) -> str:
    """Each student's sessions, best and latest score over the teacher's closed sessions on the set."""
    question_set = set_results.reportable_set(current_user, set_id)
    book = set_results.set_gradebook(current_user, question_set)
    return render_template("reports/set_gradebook.html", book=book)
