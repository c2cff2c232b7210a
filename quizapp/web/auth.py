"""Teacher accounts: register, sign in, sign out, change password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.extensions import login_manager
from quizapp.models import Teacher
from quizapp.services.accounts import (
    AccountError,
    WrongCredentials,
    authenticate,
    change_password,
    create_teacher,
    end_sessions,
    load_signed_in,
)
from quizapp.services.rate_limits import RateLimited
from quizapp.web.auth_forms import PasswordChangeForm, TeacherLoginForm, TeacherRegisterForm
from quizapp.web.redirects import safe_local_path

bp = Blueprint("auth", __name__, url_prefix="/teacher")
Page = str | tuple[str, int] | WerkzeugResponse | tuple[str, int, dict[str, str]]


@login_manager.user_loader
def _load_teacher(session_id: str) -> Teacher | None:
    return load_signed_in(session_id)


def _start_session(teacher: Teacher) -> None:
    """A fresh session for the signed-in teacher; only this browser's own quiz history carries over."""
    learner = session.get("learner")
    session.clear()
    if learner:
        session["learner"] = learner
    login_user(teacher)
    session.permanent = True


def _registration_open() -> bool:
    return current_app.config["REGISTRATION"] != "closed"


@bp.route("/register", methods=["GET", "POST"])
def register() -> Page:
    """Open a teacher account (unless registration is closed by configuration)."""
    if not _registration_open():
        return render_template("auth/closed.html"), 403
    form = TeacherRegisterForm()
    if form.validate_on_submit():
        try:
            teacher = create_teacher(form.email.data, form.name.data, form.password.data)
        except AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            _start_session(teacher)
            flash(f"Welcome, {teacher.name}. Your account is ready.", "success")
            return redirect(url_for("sets.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Sign in. Failures say only 'wrong e-mail or password'; repeated failures are slowed down."""
    form = TeacherLoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            teacher = authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
        except WrongCredentials as exc:
            error, status = str(exc), 400
        except RateLimited as exc:
            error = str(exc)
            return (
                render_template("auth/login.html", form=form, error=error, can_register=_registration_open()),
                429,
                {"Retry-After": str(exc.retry_after)},
            )
        else:
            _start_session(teacher)
            return redirect(safe_local_path(request.args.get("next")) or url_for("sets.dashboard"))
    elif form.errors:
        status = 400
    return render_template(
        "auth/login.html", form=form, error=error, can_register=_registration_open()
    ), status


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    """Sign out of every browser (the session cookie stops working everywhere)."""
    end_sessions(current_user)
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Page:
    """Change one's password; other browsers are signed out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            teacher = change_password(current_user, form.current.data, form.password.data)
        except AccountError as exc:
            form.current.errors = [*form.current.errors, str(exc)]
        else:
            _start_session(teacher)
            flash(
                "Your password is changed. Other browsers signed in to your account are signed out.",
                "success",
            )
            return redirect(url_for("sets.dashboard"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
