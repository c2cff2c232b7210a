"""The teacher's dashboard."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from quizapp.services.question_sets import builtin_sets, set_summaries

bp = Blueprint("teacher", __name__, url_prefix="/teacher")


@bp.get("/")
@login_required
def dashboard() -> str:
    """The teacher's question sets and the built-in bank, with their questions per type."""
    return render_template("teacher/dashboard.html", builtin=set_summaries(builtin_sets()))
