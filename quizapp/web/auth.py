"""Teacher accounts: register, sign in, sign out, change one's name or password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.services.accounts import (
    AccountError,
    PasswordRefused,
    WrongCredentials,
    authenticate,
    change_password,
    end_sessions,
    normalise_email,
    register_teacher,
    rename_teacher,
)
from quizapp.services.rate_limits import RateLimited
from quizapp.web import sign_in
from quizapp.web.auth_forms import NameChangeForm, PasswordChangeForm, TeacherLoginForm, TeacherRegisterForm
from quizapp.web.redirects import safe_local_path

bp = Blueprint("auth", __name__, url_prefix="/teacher")
Page = str | tuple[str, int] | WerkzeugResponse | tuple[str, int, dict[str, str]]

# The same words whether the e-mail was new (an account is made) or taken (nothing changes): the form does not
# tell anyone which addresses have an account.
REGISTERED = (
    "Thank you. Sign in with your e-mail address and password to continue. If this address already had an "
    "account, nothing was changed: sign in with its password."
)


def _registration_open() -> bool:
    return current_app.config["REGISTRATION"] != "closed"


def _address() -> str:
    return request.remote_addr or "unknown"


def _too_many(template: str, exc: RateLimited, **context: object) -> Page:
    """The form again with the rate limit's message, as 429 with Retry-After."""
    page = render_template(template, error=str(exc), **context)
    return page, 429, {"Retry-After": str(exc.retry_after)}


@bp.route("/register", methods=["GET", "POST"])
def register() -> Page:
    """Open a teacher account (unless registration is closed by configuration), then sign in."""
    if not _registration_open():
        return render_template("auth/closed.html"), 403
    form = TeacherRegisterForm()
    if form.validate_on_submit():
        try:
            register_teacher(form.email.data, form.name.data, form.password.data, _address())
        except RateLimited as exc:
            return _too_many("auth/register.html", exc, form=form)
        except PasswordRefused as exc:
            form.password.errors = [*form.password.errors, exc.problem]
        else:
            session["registered_email"] = normalise_email(form.email.data)
            flash(REGISTERED, "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Sign in. Failures say only 'wrong e-mail or password'; repeated failures are slowed down."""
    form = TeacherLoginForm()
    if request.method == "GET" and "registered_email" in session:
        form.email.data = session.pop("registered_email")
    error, status, can_register = None, 200, _registration_open()
    if form.validate_on_submit():
        email = form.email.data
        try:
            teacher = authenticate(email, form.password.data, _address(), sign_in.known_browser(email))
        except WrongCredentials as exc:
            error, status = str(exc), 400
        except RateLimited as exc:
            return _too_many("auth/login.html", exc, form=form, can_register=can_register)
        else:
            sign_in.start(teacher)
            return redirect(safe_local_path(request.args.get("next")) or url_for("sets.dashboard"))
    elif form.errors:
        status = 400
    return render_template("auth/login.html", form=form, error=error, can_register=can_register), status


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    """Sign out of every browser (the session cookie stops working everywhere)."""
    end_sessions(current_user)
    sign_in.end()
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
        except RateLimited as exc:
            form.current.errors = [*form.current.errors, str(exc)]
            return _too_many("auth/password.html", exc, form=form, name_form=_name_form())
        except PasswordRefused as exc:
            form.password.errors = [*form.password.errors, exc.problem]
        except AccountError as exc:
            form.current.errors = [*form.current.errors, str(exc)]
        else:
            sign_in.start(teacher)
            flash(
                "Your password is changed. Other browsers signed in to your account are signed out.",
                "success",
            )
            return redirect(url_for("sets.dashboard"))
    page = render_template("auth/password.html", form=form, name_form=_name_form())
    return page, 400 if form.errors else 200


def _name_form() -> NameChangeForm:
    """The name form beside the password form, filled with the teacher's name."""
    return NameChangeForm(formdata=None, name=current_user.name)


@bp.post("/name")
@login_required
def rename() -> Page:
    """Change the name one is shown by (on the account page, beside the password)."""
    name_form = NameChangeForm()
    if name_form.validate_on_submit():
        try:
            teacher = rename_teacher(current_user, name_form.name.data)
        except AccountError as exc:
            name_form.name.errors = [*name_form.name.errors, str(exc)]
        else:
            flash(f"Your name is now “{teacher.name}”.", "success")
            return redirect(url_for("auth.password"))
    page = render_template("auth/password.html", form=PasswordChangeForm(formdata=None), name_form=name_form)
    return page, 400
