"""The form of a hint button on a question page (it posts the question's own form, CSRF token included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class HintTakeForm(FlaskForm):
    """Take the next step of a question's hint ladder (`hint`: its number, from the button pressed)."""

    hint = IntegerField("Hint", validators=[InputRequired("Choose a hint."), NumberRange(min=1, max=9)])
