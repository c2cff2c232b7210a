"""Forms of the teacher account pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from quizapp.services.accounts import MIN_PASSWORD

_PASSWORD_HINT = (
    f"At least {MIN_PASSWORD} characters. A few unrelated words make a strong, memorable password."
)


class TeacherRegisterForm(FlaskForm):
    """Open a teacher account."""

    name = StringField("Your name", validators=[InputRequired("Tell us your name."), Length(max=100)])
    email = EmailField(
        "E-mail",
        validators=[
            InputRequired("Enter your e-mail address."),
            Email("Enter an e-mail address like name@school.org."),
            Length(max=254),
        ],
    )
    password = PasswordField(
        "Password",
        description=_PASSWORD_HINT,
        validators=[
            InputRequired("Choose a password."),
            Length(min=MIN_PASSWORD, max=200, message=f"Use at least {MIN_PASSWORD} characters."),
        ],
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


class TeacherLoginForm(FlaskForm):
    """Sign in."""

    email = EmailField("E-mail", validators=[InputRequired("Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired("Enter your password."), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    """Change one's password."""

    current = PasswordField("Current password", validators=[InputRequired("Enter your current password.")])
    password = PasswordField(
        "New password",
        description=_PASSWORD_HINT,
        validators=[
            InputRequired("Choose a new password."),
            Length(min=MIN_PASSWORD, max=200, message=f"Use at least {MIN_PASSWORD} characters."),
        ],
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )
