"""Homework: what students did through a set's share link, for the set's owner (another teacher gets 404):
every attempt with a read-only view of its answers, and a gradebook, item analysis and shaded text over them
like a class session's, with CSV files."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.services import class_reports as reports
from quizapp.services import report_csv
from quizapp.services.homework import homework_answers, homework_list
from quizapp.services.teacher_sets import owned_set
from quizapp.web.class_reports import csv_download

bp = Blueprint("homework", __name__, url_prefix="/teacher/sets/<int:set_id>/homework")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _group(set_id: int) -> reports.AttemptGroup:
    return reports.AttemptGroup(owned_set(current_user, set_id))


def _sort() -> str:
    return request.args.get("sort", "name")


@bp.get("")
def index(set_id: int) -> str:
    """Every attempt made through the share link, newest first: who, when, mode, score, and its answers."""
    group = _group(set_id)
    return render_template("homework/index.html", group=group, attempts=homework_list(group.question_set))


@bp.get("/attempts/<attempt>")
def attempt(set_id: int, attempt: str) -> str:
    """One attempt's answers, read-only: each question asked, the answer given and its points."""
    group = _group(set_id)
    summary, answers = homework_answers(group.question_set, attempt)
    return render_template("homework/attempt.html", group=group, attempt=summary, answers=answers)


@bp.get("/gradebook")
def gradebook(set_id: int) -> str:
    """A row per attempt, a column per question asked in any of them; sortable by name or score."""
    book = reports.gradebook(_group(set_id), _sort())
    return render_template("reports/gradebook.html", group=book.group, session=None, book=book)


@bp.get("/items")
def items(set_id: int) -> str:
    """Each question's facility, spread, discrimination and answers, over the attempts that asked it."""
    report = reports.session_report(_group(set_id))
    return render_template("reports/items.html", group=report.group, session=None, report=report)


@bp.get("/passage")
def passage(set_id: int) -> str:
    """The set's text, each sentence shaded by how well the homework answered the questions quoting it."""
    report = reports.session_report(_group(set_id))
    return render_template("reports/passage.html", group=report.group, session=None, report=report)


@bp.get("/gradebook.csv")
def gradebook_csv(set_id: int) -> WerkzeugResponse:
    """The homework's gradebook as a spreadsheet file."""
    group = _group(set_id)
    return csv_download(group, report_csv.gradebook_csv(group, _sort()), "homework-gradebook")


@bp.get("/items.csv")
def items_csv(set_id: int) -> WerkzeugResponse:
    """The homework's item analysis as a spreadsheet file."""
    group = _group(set_id)
    return csv_download(group, report_csv.items_csv(group), "homework-item-analysis")
