"""The teacher's side of a classroom session: start one, the projector page, the live view, the controls."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from quizapp.domain.generation import MAX_COUNT, NoMatchingQuestions
from quizapp.domain.sessions import ExtraTime, Pacing, State
from quizapp.models import ClassSession, QuestionSet
from quizapp.services import classroom as service
from quizapp.services import session_flow as flow
from quizapp.services.classroom_live import live_view
from quizapp.services.question_sets import ARTICLE_BANK, get_set, set_topics
from quizapp.services.teacher_sets import owned_set
from quizapp.web.classroom_forms import ExtraTimeSetForm, SessionCreateForm, StepForm
from quizapp.web.confirmations import confirm_close, confirm_remove
from quizapp.web.public_url import phone_bases, public_url_for
from quizapp.web.qr_codes import qr_svg
from quizapp.web.quiz_form import size_note, spec_from_form, topic_label, type_choices
from quizapp.web.row_ids import row_id

bp = Blueprint("classroom", __name__, url_prefix="/teacher/sessions")
Page = str | tuple[str, int] | WerkzeugResponse


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is a teacher's own."""


def _own(public_id: str) -> ClassSession:
    return service.owned_session(current_user, public_id)


def _source(ref: str | None) -> QuestionSet:
    """The set a new session asks from: 'bank' (the article's bank) or the id of one of the teacher's sets."""
    if ref in (None, "", "bank"):
        return get_set(ARTICLE_BANK)
    set_id = row_id(ref)
    if set_id is None:
        abort(404)
    return owned_set(current_user, set_id)


@bp.get("/")
def index() -> str:
    """The teacher's sessions, newest first."""
    return render_template("classroom/index.html", sessions=service.teacher_sessions(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new() -> Page:
    """Choose the questions and the options of a session, then open its lobby."""
    question_set = _source(request.args.get("set"))
    if not question_set.is_builtin and not question_set.questions:  # nothing to ask: say so, offer to add
        page = render_template("classroom/empty_set.html", question_set=question_set)
        return page, 400 if request.method == "POST" else 200
    form = SessionCreateForm()
    form.topics.choices = [SelectChoice(t, topic_label(t)) for t in set_topics(question_set)]
    form.types.choices = type_choices(question_set)
    if request.method == "GET" and not question_set.is_builtin:
        form.count.data = max(1, min(100, len(question_set.questions)))
    if form.validate_on_submit():
        spec = spec_from_form(form)
        options = service.SessionOptions(
            pacing=Pacing(form.pacing.data),
            time_limit=form.time_limit(),
            shuffle=form.shuffle.data,
            show_answers=form.show_answers.data,
            late_join=form.late_join.data,
            leaderboard=form.leaderboard.data,
            hide_names=form.hide_names.data,
            hints=form.hints.data,
            certainty=form.certainty.data,
        )
        try:
            session, plan = service.create_session(
                current_user, question_set, spec, options, form.title.data or ""
            )
            note = size_note(plan, asked=min(spec.count, MAX_COUNT), what="this session")
            if note:
                flash(note, "info")
            return redirect(url_for("classroom.show", public_id=session.public_id))
        except NoMatchingQuestions as exc:
            form.topics.errors = [*form.topics.errors, str(exc)]
    status = 400 if request.method == "POST" else 200
    return render_template("classroom/new.html", form=form, question_set=question_set), status


def _qr(url: str) -> Markup:
    """The join link as an inline SVG QR code."""
    return qr_svg(url, "QR code of the join link")


@bp.get("/<public_id>")
def show(public_id: str) -> str:
    """The projector page: join code and QR in the lobby; the question on the board when teacher-paced."""
    session = _own(public_id)
    live = live_view(session)
    bases = phone_bases()
    return render_template(
        "classroom/show.html",
        live=live,
        joins=_join_links(session.join_code, bases),
        on_loopback=bases is not None,
        stamp=live.stamp,
        held=_held(session, request.args.get("held")),
    )


def _held(session: ClassSession, step: str | None) -> str | None:
    """The step a held press asked for ("reveal", "next": the board offers it "anyway") while students with
    extra time are still answering; None once they all answered or their time is up (it goes through now)."""
    if step not in ("reveal", "next") or not flow.still_answering(session):
        return None
    return step


def _join_links(code: str, bases: tuple[str, ...] | None) -> list[tuple[str, Markup]]:
    """(the join page's address, the QR code of the join link with the code) for each address phones can use:
    the page's own (or PUBLIC_URL), else this computer's on the local network."""
    if bases is None:
        pairs = [(public_url_for("join.form"), public_url_for("join.with_code", code=code))]
    else:
        pairs = [(base + url_for("join.form"), base + url_for("join.with_code", code=code)) for base in bases]
    return [(home, _qr(link)) for home, link in pairs]


@bp.get("/<public_id>/live")
def live(public_id: str) -> str:
    """Who joined, how far each student is, and every question's answers so far."""
    session = _own(public_id)
    live = live_view(session)
    removed = service.removed_participants(session)
    waiting = flow.still_answering(session)
    return render_template(
        "classroom/live.html", live=live, stamp=live.stamp, removed=removed, still_answering=waiting
    )


@bp.get("/<public_id>/stamp")
def stamp(public_id: str) -> WerkzeugResponse:
    """A number that changes whenever the teacher's pages would (for the live pages' script)."""
    return jsonify(stamp=flow.teacher_stamp(_own(public_id)))


def _step(public_id: str, change: str) -> WerkzeugResponse:
    session = _own(public_id)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    position = row_id(form.position.data)
    if position is None:
        position = -1  # start and close send none; reveal and next then move nothing
    anyway = form.anyway.data == "yes"
    try:
        moved = {
            "start": lambda: flow.start_session(session),
            "reveal": lambda: flow.reveal_question(session, position, anyway),
            "next": lambda: flow.next_question(session, position, anyway),
            "close": lambda: flow.close_session(session),
        }[change]()
    except flow.QuestionHeld as exc:
        flash(str(exc), "info")  # the projector then offers the same step "anyway"
        return redirect(url_for("classroom.show", public_id=public_id, held=change))
    if not moved:
        flash(
            "The session had already moved on (another tab or a double click): here is where it is now.",
            "info",
        )
    return redirect(url_for("classroom.show", public_id=public_id))


@bp.post("/<public_id>/start")
def start(public_id: str) -> WerkzeugResponse:
    """lobby -> running."""
    return _step(public_id, "start")


@bp.post("/<public_id>/reveal")
def reveal(public_id: str) -> WerkzeugResponse:
    """Teacher-paced: stop answers to the current question and show its answer."""
    return _step(public_id, "reveal")


@bp.post("/<public_id>/next")
def next_question(public_id: str) -> WerkzeugResponse:
    """Teacher-paced: open the next question."""
    return _step(public_id, "next")


@bp.post("/<public_id>/close")
def close(public_id: str) -> Page:
    """End the session: answers stop, every student's score is final. Asks first (confirmations.py)."""
    session = _own(public_id)
    if session.state != State.CLOSED and request.form.get("confirmed") != "yes":
        if not StepForm().validate_on_submit():
            abort(400)
        waiting = len(flow.still_answering(session))
        return confirm_close(session, request.form.get("position", ""), waiting)
    return _step(public_id, "close")


@bp.post("/<public_id>/participants/<int:participant_id>/remove")
def remove(public_id: str, participant_id: int) -> Page:
    """Take a student (a rude name, a duplicate) out of the session. Asks first (confirmations.py)."""
    session = _own(public_id)
    if not StepForm().validate_on_submit():
        abort(400)
    if request.form.get("confirmed") != "yes":
        participant = service.session_participant(session, participant_id)
        if participant.removed:
            abort(404)
        return confirm_remove(session, participant, request.form.get("next_page", ""))
    participant = service.remove_participant(session, participant_id)
    flash(f"{participant.display_name} was removed from the session.", "success")
    back = "classroom.live" if request.form.get("next_page") == "live" else "classroom.show"
    return redirect(url_for(back, public_id=public_id))


@bp.post("/<public_id>/participants/<int:participant_id>/readmit")
def readmit(public_id: str, participant_id: int) -> WerkzeugResponse:
    """Let a removed student back in, with their answers (the live page lists the removed students)."""
    session = _own(public_id)
    if not StepForm().validate_on_submit():
        abort(400)
    try:
        participant = service.readmit_participant(session, participant_id)
    except service.JoinRefused as exc:
        flash(str(exc), "error")
    else:
        flash(f"{participant.display_name} is back in the session.", "success")
    return redirect(url_for("classroom.live", public_id=public_id))


@bp.route("/<public_id>/participants/<int:participant_id>/extra-time", methods=["GET", "POST"])
def extra_time(public_id: str, participant_id: int) -> Page:
    """A student's extra time: their time limit ×1.5, ×2, none at all, or back to the session's."""
    session = _own(public_id)
    participant = service.session_participant(session, participant_id)
    if participant.removed:
        abort(404)
    form = ExtraTimeSetForm()
    if request.method == "GET":
        form.extra_time.data = service.extra_time_for(participant).value
    elif form.validate_on_submit():
        chosen = ExtraTime(form.extra_time.data)
        service.set_extra_time(session, participant_id, chosen)
        flash(f"Extra time for {participant.display_name}: {chosen.words}.", "success")
        return redirect(url_for("classroom.live", public_id=public_id))
    page = render_template("classroom/extra_time.html", session=session, participant=participant, form=form)
    return page, 400 if request.method == "POST" else 200
