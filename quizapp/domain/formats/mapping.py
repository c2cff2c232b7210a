"""Moodle's questions (`MoodleQuestion`) to quizapp's question dicts (docs/question-format.md), and back.

Importing: each Moodle type is read by the quizapp type that declares it (`moodle_kind`; each type's
`from_moodle` in quizapp/domain/question_types/<type>.py); the types quizapp cannot ask (calculated, drag
and drop ...: `SKIP_REASONS`) are skipped with the reason. What quizapp cannot hold as written (two equal
choices, a grade it cannot reproduce) is a located error, never a silent change; what changes harmlessly is
a located warning. Exporting: a quizapp question becomes the `MoodleQuestion` (its type's `to_moodle` fills
the answers) that the GIFT and Moodle XML writers write and that reads back as the same quizapp question.
Policies are explained in docs/import-export.md.

HTML is cleaned by the `sanitise` function the caller passes in (the domain imports no HTML library).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.authoring import editor_limit_problems
from quizapp.domain.formats.model import Located, MoodleFile, MoodleHint, MoodleQuestion, ParseReport
from quizapp.domain.formats.moodle_rules import default_question_name, is_numeric
from quizapp.domain.question_types import kind_of, moodle_kind
from quizapp.domain.question_types._moodle import NotMappable, Warnings
from quizapp.domain.question_types.base import QuestionKind
from quizapp.domain.questions import Question, validate_question

Sanitise = Callable[[str], str]
SKIP_REASONS = {
    "calculated": "quizapp has no calculated questions (formulas with random values).",
    "calculatedsimple": "quizapp has no calculated questions (formulas with random values).",
    "calculatedmulti": "quizapp has no calculated multiple-choice questions (formulas with random values).",
    "ddwtos": "quizapp has no drag-and-drop-into-text questions.",
    "gapselect": "quizapp has no select-missing-words questions.",
    "ddmarker": "quizapp has no drag-and-drop-markers questions.",
    "ddimageortext": "quizapp has no drag-and-drop-onto-image questions.",
    "randomsamatch": "quizapp has no random short-answer matching (it draws on other questions of the bank).",
}
_MARKUP = re.compile(r"<[A-Za-z/!]")  # a tag or comment: the text is HTML, not plain text with a '<'
_ENTITY = re.compile(r"&#?\w+;")
_TAG = re.compile(r"<[^>]*>")
_ID_CHARACTERS = re.compile(r"[^\w.-]+")
_TOPIC_CHARACTERS = re.compile(r"[\W_]+")
_NOT_TOPICS = ("top",)  # Moodle's hidden root category of every context
_MAX_ID = 100
MAX_FILE_BYTES = 2 * 1024 * 1024  # one embedded file (an image) kept with a question
COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
# Keys of `Question.moodle` that are not plain settings (plain settings are Moodle's XML element names).
_NOT_SETTINGS = (
    "idnumber",
    "tags",
    "format",
    "name",
    "questiontext",
    "answer",
    "hint",
    "units",
    *COMBINED_FEEDBACK,
)


@dataclass
class MappedQuestion:
    """A question of the file as quizapp will save it, with where it came from."""

    raw: dict[str, Any]
    moodle_type: str
    name: str
    line: int | None


@dataclass
class SkippedQuestion:
    """A question of the file that quizapp has no type for, and why."""

    moodle_type: str
    name: str
    line: int | None
    reason: str


@dataclass
class MappedFile:
    """Everything an import would do with a file: its questions, the ones skipped, and every problem."""

    format: str
    questions: list[MappedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    errors: list[Located] = field(default_factory=list)
    warnings: list[Located] = field(default_factory=list)


def map_report(report: ParseReport, sanitise: Sanitise) -> MappedFile:
    """The file's questions as quizapp questions, with the reader's errors and warnings kept first."""
    mapped = MappedFile(report.format, errors=list(report.errors), warnings=list(report.warnings))
    taken: set[str] = set()
    for number, question in enumerate(report.questions, start=1):
        located = _locator(question)
        kind = moodle_kind(question)
        if kind is None:
            mapped.skipped.append(
                SkippedQuestion(
                    question.moodle_type, question.name, question.line, skip_reason(question.moodle_type)
                )
            )
            continue
        warnings: Warnings = []
        try:
            raw = to_quizapp(question, _question_id(question, number, taken), sanitise, warnings, kind)
        except NotMappable as exc:
            mapped.errors.append(located(exc.message, exc.hint, "notmappable"))
            continue
        mapped.warnings += [located(message, hint, "changed") for message, hint in warnings]
        problems = validate_question(raw, strict=False)
        mapped.errors += [
            located(p.message[:1].upper() + p.message[1:] + ".", p.hint, "invalid") for p in problems
        ]
        too_long = editor_limit_problems(raw)
        mapped.errors += [located(f"Question {number}: {p.message}.", p.hint, "toolong") for p in too_long]
        if not problems and not too_long:
            mapped.questions.append(MappedQuestion(raw, question.moodle_type, question.name, question.line))
    return mapped


def skip_reason(moodle_type: str) -> str:
    """Why a question of this Moodle type is not imported."""
    if not moodle_type:
        return "The question has no type, so neither Moodle nor quizapp can import it."
    return SKIP_REASONS.get(moodle_type, f"'{moodle_type}' is not a question type of Moodle 4.5 or quizapp.")


def _locator(question: MoodleQuestion) -> Callable[[str, str, str], Located]:
    """Makes Located problems pointing at this question (its line, and its name to find it by)."""
    return lambda message, hint, code: Located(question.line, None, question.name, message, hint, code)


def _question_id(question: MoodleQuestion, number: int, taken: set[str]) -> str:
    """The file's id number (other characters than letters, digits, . _ - made dashes), else q<number>; unique
    within the file."""
    base = _ID_CHARACTERS.sub("-", question.idnumber).strip("-")[:_MAX_ID] or f"q{number}"
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    taken.add(candidate)
    return candidate


def topic_slug(name: str) -> str:
    """A category or tag as a quizapp topic: lower case, words joined by dashes."""
    return _TOPIC_CHARACTERS.sub("-", name.casefold()).strip("-")


def category_parts(path: str) -> list[str]:
    """A Moodle category path's parts ('//' in a name is a literal slash)."""
    return [part.replace("\0", "/") for part in path.replace("//", "\0").split("/")]


def category_names(path: str) -> list[str]:
    """The categories of a path as a teacher names them, without Moodle's context ($course$) and root."""
    parts = category_parts(path)
    return [p for p in parts if p and p.casefold() not in _NOT_TOPICS and not (p[:1] == "$" == p[-1:])]


def last_category(path: str) -> str:
    """The last part of a category path: the category the question is in."""
    return category_parts(path)[-1]


def _topics(question: MoodleQuestion) -> list[str]:
    """The last part of the question's category, then its tags, as topics (each once)."""
    names = []
    if question.category:
        last = last_category(question.category)
        if not (last.startswith("$") or last.casefold() in _NOT_TOPICS):
            names.append(last)
    topics: list[str] = []
    for name in [*names, *question.tags]:
        slug = topic_slug(name)
        if slug and slug not in topics:
            topics.append(slug)
    return topics


class _Texts:
    """How a question's texts become quizapp texts: plain, or HTML cleaned by `sanitise`.

    Moodle's HTML and its auto-format ('moodle') stay HTML only when some text of the question holds markup;
    otherwise they become plain text (HTML entities decoded), which is what a teacher wrote.
    """

    def __init__(self, question: MoodleQuestion, sanitise: Sanitise) -> None:
        texts = [
            question.text,
            question.general_feedback,
            *(a.text for a in question.answers),
            *(a.feedback for a in question.answers),
            *(left for left, _ in question.subquestions),
            *question.truefalse_feedback,
        ]
        texts += [text for text, fmt in question.other_texts.values() if fmt in ("html", "moodle")]
        marked = any(_MARKUP.search(text) for text in texts)
        self.source_format = question.text_format
        self.format = "html" if marked and question.text_format in ("html", "moodle") else "plain"
        self.sanitise = sanitise

    def __call__(self, text: str) -> str:
        """One text of the question in the quizapp format."""
        if self.format == "html":
            if self.source_format == "moodle":
                text = text.replace("\n", "<br>\n")  # what Moodle's auto-format shows
            return self.sanitise(text).strip()
        return html.unescape(text).strip() if self.source_format == "html" else text.strip()

    def plain_right(self, text: str) -> str:
        """A right-hand matching text (always plain in Moodle) in the question's format."""
        return html.escape(text, quote=False) if self.format == "html" else text

    def other(self, text: str, text_format: str) -> str:
        """A text with its own Moodle format (an essay's graderinfo) in the question's format: HTML cleaned,
        plain text escaped, in an HTML question; HTML as its words in a plain one."""
        rich = text_format in ("html", "moodle")
        if self.format == "html":
            if not rich:
                return html.escape(text.strip(), quote=False).replace("\n", "<br>\n")
            return self.sanitise(text.replace("\n", "<br>\n") if text_format == "moodle" else text).strip()
        if rich and _MARKUP.search(text):
            return html.unescape(_TAG.sub(" ", text)).strip()  # the question is plain text (Moodle's plain)
        return html.unescape(text).strip() if text_format == "html" else text.strip()


def to_quizapp(
    question: MoodleQuestion, qid: str, sanitise: Sanitise, warnings: Warnings, kind: QuestionKind
) -> dict[str, Any]:
    """The quizapp question dict of a Moodle question that `kind` reads (`moodle_kind`); NotMappable when
    it can't be.

    Harmless changes are appended to `warnings` as (message, hint).
    """
    texts = _Texts(question, sanitise)
    raw: dict[str, Any] = {"id": qid, "prompt": texts(question.text)}
    kept = kept_fields(question)
    if question.name and question.name not in (default_question_name(question.text), raw["prompt"]):
        raw["title"] = question.name
    elif question.name:
        kept["name"] = question.name  # written back as it was, even if the text changes on the way
    if not raw["prompt"] and question.name:
        kept["questiontext"] = ""  # written back without text, as it came
        raw["prompt"] = html.escape(question.name, quote=False) if texts.format == "html" else question.name
        warnings.append(
            (
                f"The question has no text: quizapp shows its name, '{question.name}', instead.",
                "Write the question's text after its title.",
            )
        )
    if texts.format == "html":
        raw["format"] = "html"
    if question.general_feedback.strip():
        raw["explanation"] = texts(question.general_feedback)
    topics = _topics(question)
    if topics:
        raw["topics"] = topics
    raw["type"] = kind.name.value
    raw.update(kind.from_moodle(question, texts, warnings))
    raw["category"] = question.category or ""
    raw["files"] = _files(question)
    raw["moodle"] = {**kept, **raw.get("moodle", {})}
    if question.settings.get("usecase", "0").strip() not in ("", "0"):
        raw["case_sensitive"] = True
    warnings += behaviour_warnings(question, kind)
    return {key: value for key, value in raw.items() if value not in (None, "", [], {})}


def kept_fields(question: MoodleQuestion) -> dict[str, Any]:
    """What the question arrived with that quizapp does not use, by Moodle's XML names (JSON-serialisable)."""
    kept: dict[str, Any] = {"idnumber": question.idnumber, "format": question.text_format}
    if question.tags:
        kept["tags"] = list(question.tags)
    kept.update({tag: value for tag, value in question.settings.items() if tag not in ("usecase", "single")})
    kept.update({tag: {"text": text, "format": fmt} for tag, (text, fmt) in question.combined.items()})
    if question.hints:
        kept["hint"] = [
            {
                "text": hint.text,
                "format": hint.text_format,
                "shownumcorrect": hint.shownumcorrect,
                "clearwrong": hint.clearwrong,
                "options": hint.options,
            }
            for hint in question.hints
        ]
    if question.units:
        kept["units"] = [{"name": name, "multiplier": multiplier} for name, multiplier in question.units]
    return kept


def _files(question: MoodleQuestion) -> list[dict[str, str]]:
    """The embedded files as quizapp keeps them; NotMappable when one is broken or too large."""
    files = []
    for file in question.files:
        try:
            size = len(base64.b64decode(file.data, validate=True))
        except (binascii.Error, ValueError) as exc:
            raise NotMappable(
                f"The embedded file '{file.name}' is not valid base64, so it cannot be kept.",
                "Export the question from Moodle again.",
            ) from exc
        if size > MAX_FILE_BYTES:
            raise NotMappable(
                f"The embedded file '{file.name}' has {size:,} bytes; quizapp keeps files of up to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB with a question.",
                "Make the image smaller (e.g. 1200 pixels wide, JPEG) in Moodle and export again.",
            )
        files.append({"name": file.name, "data": file.data, "path": file.path})
    return files


def behaviour_warnings(question: MoodleQuestion, kind: QuestionKind) -> Warnings:
    """Where quizapp will behave differently from Moodle with what the question keeps (it is written back)."""
    warnings = []
    grade = question.settings.get("defaultgrade", "1")
    if kind.scored and is_numeric(grade) and float(grade) != 1:
        warnings.append(
            (
                f"Moodle gives this question {grade} points; every quizapp question is worth 1 point "
                "(the grade is kept and written back on export).",
                "Nothing to do, unless the points matter: then weight the quiz in Moodle.",
            )
        )
    penalty = question.settings.get("penalty", "")
    retried = kind.auto_scored  # a teacher marks an essay once: no tries, so no penalty to take off
    if question.hints or (
        retried and is_numeric(penalty) and abs(float(penalty) - kind.moodle_penalty) > 1e-6
    ):
        warnings.append(
            (
                "Hints and the penalty per wrong try apply in Moodle's interactive mode; quizapp gives one "
                "try per question, so it shows no hint and takes off no penalty (both are kept for export).",
                "Put what learners should know in the general feedback.",
            )
        )
    if any(text.strip() for text, _ in question.combined.values()):
        warnings.append(
            (
                "quizapp does not show the feedback for a right, partly right or wrong response "
                "(it is kept for export); it shows each answer's feedback and the general feedback.",
                "Put what learners should know in the general feedback.",
            )
        )
    if question.units:
        names = ", ".join(name for name, _ in question.units if name)
        warnings.append(
            (
                f"quizapp does not read units ({names}): learners type the number alone, in the first unit; "
                "the units and their grading are kept for export.",
                "Say the unit in the question's text.",
            )
        )
    return warnings


def to_moodle(question: Question) -> MoodleQuestion:
    """The Moodle question a quizapp question is exported as (it maps back to the same quizapp question)."""
    kind, kept = kind_of(question), question.moodle
    if not kind.moodle_types:
        raise ValueError(kind.not_exportable(question, "moodle-xml"))
    text_format = _moodle_format(question)
    moodle = MoodleQuestion(
        kind.moodle_types[0],
        text=question.prompt,
        text_format=text_format,
        general_feedback=question.explanation,
        tags=_tags_out(question),
        idnumber=str(kept.get("idnumber", question.id)),  # an imported question's own id number, or none
        category=question.category or None,
    )
    _kept_out(question, moodle)
    kind.to_moodle(question, moodle)
    if question.format == "plain" and kept.get("format") == "html":
        _as_html(moodle, kind.moodle_rich_answers)  # the file had HTML without markup (entities)
    if kept.get("questiontext") == "" and moodle.text == question.title:
        moodle.text = ""  # it came without text (quizapp shows the name instead)
    moodle.name = question.title or str(kept.get("name") or "") or default_question_name(moodle.text)
    return moodle


def _tags_out(question: Question) -> list[str]:
    """The tags the question arrived with, then its topics that came from neither them nor its category."""
    tags = [str(tag) for tag in question.moodle.get("tags", ())]
    derived = {topic_slug(tag) for tag in tags}
    if question.category:
        derived.add(topic_slug(last_category(question.category)))
    return tags + [topic for topic in question.topics if topic not in derived]


def _as_html(moodle: MoodleQuestion, rich_answers: bool) -> None:
    """Plain texts made HTML (escaped), for a question that arrived in HTML without markup; answer texts
    too when Moodle holds them as HTML (`rich_answers`), not when they are typed or plain."""
    escape = lambda text: html.escape(text, quote=False)  # noqa: E731
    moodle.text_format = "html"
    moodle.text, moodle.general_feedback = escape(moodle.text), escape(moodle.general_feedback)
    for answer in moodle.answers:
        answer.feedback = escape(answer.feedback)
        answer.text = escape(answer.text) if rich_answers else answer.text
    moodle.subquestions = [(escape(left), right) for left, right in moodle.subquestions]
    moodle.truefalse_feedback = (escape(moodle.truefalse_feedback[0]), escape(moodle.truefalse_feedback[1]))


def _kept_out(question: Question, moodle: MoodleQuestion) -> None:
    """Moodle's fields the question arrived with (settings, feedback, hints, units, files) back in place."""
    kept = question.moodle
    moodle.settings = {
        tag: str(value)
        for tag, value in kept.items()
        if tag not in _NOT_SETTINGS and isinstance(value, str | int | float | bool)
    }
    for tag in COMBINED_FEEDBACK:
        if isinstance(kept.get(tag), Mapping):
            moodle.combined[tag] = (str(kept[tag].get("text", "")), str(kept[tag].get("format", "html")))
    moodle.hints = [
        MoodleHint(
            str(hint.get("text", "")),
            str(hint.get("format", "html")),
            bool(hint.get("shownumcorrect")),
            bool(hint.get("clearwrong")),
            str(hint.get("options", "")),
        )
        for hint in kept.get("hint", ())
    ]
    moodle.units = [
        (str(unit.get("name", "")), str(unit.get("multiplier", "1"))) for unit in kept.get("units", ())
    ]
    moodle.files = [MoodleFile(file.name, file.data, file.path) for file in question.files]


def _moodle_format(question: Question) -> str:
    """html stays html; plain text keeps the format it arrived in (markdown, plain, auto-format), else is
    Moodle's auto-format, or its plain format when it looks like HTML."""
    if question.format == "html":
        return "html"
    if question.moodle.get("format") in ("markdown", "plain"):
        return str(question.moodle["format"])
    texts = [question.prompt, question.explanation, *question.choices, *question.feedback]
    texts += [str(item) for item in question.items]  # matching's left items, ordering's items
    return "plain" if any(_MARKUP.search(text) or _ENTITY.search(text) for text in texts) else "moodle"
