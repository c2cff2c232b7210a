"""The form of the marking page: points and a comment for one student's answer."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from quizapp.domain.marking import MAX_COMMENT, InvalidMark, clean_comment, parse_points


class AnswerMarkForm(FlaskForm):
    """Points from 0 to 1 and an optional comment for the answer `response_id` (the one the page showed)."""

    points = StringField(
        "Points (0 to 1)", render_kw={"inputmode": "decimal", "autocomplete": "off", "class": "short"}
    )
    comment = TextAreaField(
        "Comment for the student (optional)", render_kw={"rows": 4, "maxlength": MAX_COMMENT}
    )
    response_id = HiddenField()
    seen = HiddenField()  # the answer's version as shown (EssayAnswer.version)

    def validate_points(self, field: StringField) -> None:
        """A number from 0 to 1 (or a percentage of the point)."""
        try:
            parse_points(field.data or "")
        except InvalidMark as exc:
            raise ValidationError(str(exc)) from exc

    def validate_comment(self, field: TextAreaField) -> None:
        """Not longer than MAX_COMMENT."""
        try:
            clean_comment(field.data)
        except InvalidMark as exc:
            raise ValidationError(str(exc)) from exc

    def validate_response_id(self, field: HiddenField) -> None:
        """The answer the page showed (digits only; which one it is, the service checks)."""
        if not str(field.data or "").isdigit():
            raise ValidationError("This page is out of date: open the answer again.")
