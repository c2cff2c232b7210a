"""Reading options: larger text and a dyslexia-friendly style, remembered by this browser in a cookie.

No account and no database: the cookie alone holds the choice, and every page reads it from the request
(base.html puts its classes on <body>).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import AnyOf, InputRequired

from quizapp.web.redirects import safe_local_path

bp = Blueprint("reading", __name__)

COOKIE = "reading"
COOKIE_DAYS = 400  # browsers keep a cookie at most 400 days
TEXT_SIZES = {"normal": "", "large": "text-large", "larger": "text-larger"}
STYLES = {"standard": "", "dyslexia": "reading-dyslexia"}
TEXT_SIZE_CHOICES = [
    SelectChoice("normal", "Normal"),
    SelectChoice("large", "Large"),
    SelectChoice("larger", "Larger"),
]
STYLE_CHOICES = [
    SelectChoice("standard", "Standard"),
    SelectChoice(
        "dyslexia",
        "Dyslexia-friendly: a plain font, more space between letters, words and lines, "
        "no italics, text aligned left",
    ),
]


@dataclass(frozen=True)
class ReadingOptions:
    """What this browser chose (the defaults when it chose nothing, or its cookie is not one of ours)."""

    text_size: str = "normal"
    style: str = "standard"

    @property
    def body_classes(self) -> str:
        """The classes base.html puts on <body> (static/css/app.css styles them)."""
        return " ".join(c for c in (TEXT_SIZES[self.text_size], STYLES[self.style]) if c)

    @property
    def cookie_value(self) -> str:
        return f"{self.text_size}.{self.style}"


def reading_options() -> ReadingOptions:
    """This browser's reading options, from its cookie (no database); anything odd reads as the defaults."""
    size, _, style = request.cookies.get(COOKIE, "").partition(".")
    return ReadingOptions(size if size in TEXT_SIZES else "normal", style if style in STYLES else "standard")


def _one_of(label: str, choices: list[SelectChoice], allowed: dict[str, str], say: str) -> RadioField:
    """A radio group whose value must be one of `allowed` (`say`: the choices in words, for the message)."""
    return RadioField(
        label,
        choices=choices,
        validate_choice=False,
        validators=[InputRequired(f"Choose {say}."), AnyOf(list(allowed), message=f"Choose {say}.")],
    )


class ReadingOptionsForm(FlaskForm):
    """Text size and reading style, and the page to go back to."""

    text_size = _one_of("Text size", TEXT_SIZE_CHOICES, TEXT_SIZES, "a text size: normal, large or larger")
    style = _one_of("Reading style", STYLE_CHOICES, STYLES, "a reading style: standard or dyslexia-friendly")
    next = HiddenField()


@bp.app_context_processor
def _reading_classes() -> dict[str, str]:
    """Every template gets `reading_classes`, the <body> classes of this browser's reading options."""
    return {"reading_classes": reading_options().body_classes}


@bp.get("/reading-options")
def options() -> str:
    """The form: text size and reading style, as this browser has them now."""
    chosen = reading_options()
    form = ReadingOptionsForm(
        text_size=chosen.text_size, style=chosen.style, next=safe_local_path(request.args.get("next")) or ""
    )
    return render_template("reading/options.html", form=form)


@bp.post("/reading-options")
def save() -> str | tuple[str, int] | WerkzeugResponse:
    """Remember the options in this browser's cookie, then go back to the page the reader came from."""
    form = ReadingOptionsForm()
    if not form.validate_on_submit():
        form.next.data = safe_local_path(form.next.data) or ""
        return render_template("reading/options.html", form=form), 400
    chosen = ReadingOptions(form.text_size.data, form.style.data)
    flash("Your reading options are saved in this browser.", "success")
    response = redirect(safe_local_path(form.next.data) or url_for("reading.options"), 303)
    response.set_cookie(
        COOKIE,
        chosen.cookie_value,
        max_age=COOKIE_DAYS * 24 * 3600,
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
