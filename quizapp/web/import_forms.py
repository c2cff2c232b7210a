"""Forms of the import pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from quizapp.services.exchange import FORMAT_LABELS, FORMATS

FORMAT_CHOICES = [
    SelectChoice("", "Detect it from the file"),
    *(SelectChoice(fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS),
]


class ImportUploadForm(FlaskForm):
    """A question file, its format (detected by default), and where its questions go."""

    file = FileField(
        "Question file",
        validators=[FileRequired("Choose the file to import.")],
        description="GIFT, Aiken or Moodle XML as Moodle exports them (UTF-8), or a quizapp JSON export.",
    )
    file_format = SelectField("Format", choices=FORMAT_CHOICES, default="")
    into_set = SelectField("Import into", choices=[], default="")
    set_title = StringField(
        "Title of the new set (optional)",
        validators=[Length(max=300)],
        description="Leave empty to name the set after the file.",
    )


class ImportConfirmForm(FlaskForm):
    """The one button that imports a previewed file (only its CSRF token)."""
