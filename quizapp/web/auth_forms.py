"""Forms of the teacher account pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from quizapp.domain.passwords import MIN_LENGTH, password_problem

_PASSWORD_HINT = (
    f"At least {MIN_LENGTH} characters. A few unrelated words make a strong, memorable password; "
    "common passwords are refused."
)


def _check_new_password(field: Field, personal: tuple[str, ...]) -> None:
    problem = password_problem(field.data or "", personal)
    if problem:
        raise ValidationError(problem)


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
        "Password", description=_PASSWORD_HINT, validators=[InputRequired("Choose a password.")]
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )

    def validate_password(self, field: Field) -> None:
        """Long enough, not common, not the teacher's own name or e-mail."""
        _check_new_password(field, (self.email.data or "", self.name.data or ""))


class TeacherLoginForm(FlaskForm):
    """Sign in."""

    email = EmailField("E-mail", validators=[InputRequired("Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired("Enter your password."), Length(max=200)])


class NameChangeForm(FlaskForm):
    """Change the name one is shown by."""

    name = StringField("Your name", validators=[InputRequired("Tell us your name."), Length(max=100)])


class PasswordChangeForm(FlaskForm):
    """Change one's password."""

    current = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password."), Length(max=200)]
    )
    password = PasswordField(
        "New password", description=_PASSWORD_HINT, validators=[InputRequired("Choose a new password.")]
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )

    def validate_password(self, field: Field) -> None:
        """Long enough and not common (the account's own words are checked by the service)."""
        _check_new_password(field, ())
