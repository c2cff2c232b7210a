"""The students' side of a classroom session: join with a code, wait, answer, flag a question.

No account: the student is this browser's learner (a cookie), so a reload or a phone switched off and on again
comes back to the same place with the same answers.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.database import done_reading
from quizapp.domain.answers import InvalidAnswer, form_values
from quizapp.domain.sessions import (
    GRACE,
    AnswerRefused,
    InvalidName,
    Pacing,
    QuestionState,
    State,
    extra_time_of,
)
from quizapp.services import classroom as service
from quizapp.services import session_flow as flow
from quizapp.services.attempt_views import AttemptView
from quizapp.services.attempts import AttemptClosed, save_answer
from quizapp.services.class_play import ParticipantRow, SessionRow, standing, student_place
from quizapp.services.rate_limits import RateLimited
from quizapp.services.stamp_cache import stamp_of
from quizapp.web.classroom_forms import FlagForm, JoinForm
from quizapp.web.learner import ensure_current_learner, learner_token
from quizapp.web.redirects import safe_local_path
from quizapp.web.row_ids import row_id

bp = Blueprint("join", __name__)
Page = str | tuple[str, int] | WerkzeugResponse


@bp.get("/join")
def form() -> str:
    """The join form: the code on the board and a name."""
    return render_template("join/form.html", form=JoinForm(code=request.args.get("code", "")))


@bp.get("/join/<code>")
def with_code(code: str) -> str:
    """The join form with the code filled in (the QR code's link)."""
    return render_template("join/form.html", form=JoinForm(code=code[:20]))


@bp.post("/join")
def join() -> Page:
    """Join the session with this code under this name, or say plainly what is wrong."""
    form = JoinForm()
    if not form.validate_on_submit():
        return render_template("join/form.html", form=form), 400
    try:
        session = service.find_session_to_join(form.code.data, request.remote_addr or "unknown")
        service.join_session(session, ensure_current_learner(), form.name.data)
    except RateLimited as exc:
        form.code.errors = [
            f"Too many wrong codes from this network. Wait {max(1, exc.retry_after // 60)} minute(s)."
        ]
        return render_template("join/form.html", form=form), 429
    except service.JoinRefused as exc:
        form.code.errors = [str(exc)]
        return render_template("join/form.html", form=form), 404
    except InvalidName as exc:
        form.name.errors = [str(exc)]
        return render_template("join/form.html", form=form), 409 if isinstance(
            exc, service.NameTaken
        ) else 400
    except service.Removed as exc:
        form.code.errors = [str(exc)]
        return render_template("join/form.html", form=form), 403
    return redirect(url_for("join.play", public_id=session.public_id))


def _place(public_id: str, position: int | None = None) -> tuple[SessionRow, ParticipantRow, AttemptView]:
    """The session, this browser's place in it and its quiz holding the question at `position` (default: the
    one on the board), in one query; 404 for a browser that did not join. They are read models
    (services/class_play.py): change them through the services, by id."""
    place = student_place(public_id, learner_token(), position)
    if place.participant is None or place.view is None:
        abort(404)
    return place.session, place.participant, place.view


@bp.get("/play/<public_id>")
def play(public_id: str) -> Page:
    """Where the student is: the lobby, the question on the board, waiting, or their result."""
    session, participant, view = _place(public_id)
    if participant.removed:
        return render_template("join/removed.html", session=session), 403
    attempt = view.attempt
    if session.state == State.CLOSED or attempt.state != "in_progress":
        return redirect(url_for("attempts.result", public_id=attempt.public_id))
    if session.state == State.RUNNING and session.pacing == Pacing.STUDENT:
        return redirect(url_for("attempts.resume", public_id=attempt.public_id))
    slot = view.slot(session.position) if session.state == State.RUNNING else None
    seconds_left = flow.seconds_left(session, extra_time_of(attempt.settings))  # their own time
    time_up = seconds_left == 0  # the question stays open until the teacher reveals it; answers are refused
    revealed = slot is not None and session.question_state == QuestionState.REVEALED
    standing_now = standing(session, participant) if revealed else None  # one query, not while answering
    done_reading()  # read models only: the connection goes back to the pool before the page is drawn
    return render_template(
        "join/play.html",
        session=session,
        participant=participant,
        view=view,
        slot=slot,
        answering=slot is not None
        and session.question_state == QuestionState.OPEN
        and not time_up
        and (not slot.answered or request.args.get("change") == "1"),
        revealed=revealed,
        standing=standing_now,
        time_up=time_up,
        values=form_values(slot.question, slot.given) if slot else {},
        seconds_left=seconds_left,
        grace_seconds=int(GRACE.total_seconds()) + 1,
        stamp=stamp_of(session.state, session.position, session.question_state),
    )


@bp.post("/play/<public_id>/answer")
def answer(public_id: str) -> Page:
    """Save the answer to the open question (teacher-paced); late answers are refused and not stored."""
    position = row_id(request.form.get("position")) or 0  # 0: no such question, refused below
    _, participant, view = _place(public_id, position)
    if participant.removed:
        abort(403)
    if not view.slots:  # no question at that position (or none given)
        abort(400)
    try:
        if not save_answer(view, position, request.form.to_dict(flat=False)):
            flash("Choose or type an answer first.", "error")
            return redirect(url_for("join.play", public_id=public_id, change=1)), 303
    except InvalidAnswer as exc:
        flash(str(exc), "error")
        return redirect(url_for("join.play", public_id=public_id, change=1)), 303
    except (AnswerRefused, AttemptClosed) as exc:
        flash(str(exc) if isinstance(exc, AnswerRefused) else "This session is over.", "error")
        return redirect(url_for("join.play", public_id=public_id)), 303
    # No flash: the page says "Answer saved" itself, and the session cookie need not be signed again.
    return redirect(url_for("join.play", public_id=public_id)), 303


@bp.get("/play/<public_id>/stamp")
def stamp(public_id: str) -> WerkzeugResponse:
    """Changes when the student's page should (the session starts, moves on, reveals, closes).

    A whole class keeps asking this, so it is one query and nothing else: the stamp tells only the session's
    state, which the unguessable session id already lets one see on the join pages. `web/student_stamps.py`
    answers it before Flask (and waits for a change, `?after=`); this view answers what it passed on.
    """
    stamp = flow.student_stamp(public_id)
    if stamp is None:
        abort(404)
    response = jsonify(stamp=stamp)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/play/<public_id>/flag/<int:position>", methods=["GET", "POST"])
def flag(public_id: str, position: int) -> Page:
    """'This question looks wrong': the teacher sees it in the report and beside the question."""
    session, participant, view = _place(public_id, position)
    if not view.slots or participant.removed:  # no such question in their quiz
        abort(404)
    flag_form = FlagForm()
    status = 400 if request.method == "POST" else 200
    if flag_form.validate_on_submit():
        # Where to go next is settled before anything is written (an odd `back` leads to the play page).
        back = safe_local_path(request.form.get("back")) or url_for("join.play", public_id=public_id)
        try:
            service.flag_question(participant, position, flag_form.comment.data or "")
        except service.FlagRefused as exc:
            flag_form.comment.errors = [*flag_form.comment.errors, str(exc)]
            status = exc.status
        else:
            flash("Thank you: your teacher will see your note.", "success")
            return redirect(back)
    return render_template(
        "join/flag.html",
        session=session,
        position=position,
        form=flag_form,
        back=safe_local_path(request.values.get("back")) or "",
    ), status
