"""Essay: free text the learner writes and a teacher marks by hand (quizapp/services/marking.py).

It has no key: nothing scores it when it is saved (`auto_scored` is False), its response waits for the
teacher's points and comment. Optional: a word limit (enforced when the answer is sent), a marking guide
(shown to the teacher only) and a template the answer box starts with (Moodle's essay fields;
docs/question-format.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.question_types._moodle import MoodleTexts, NotMappable, Warnings
from quizapp.domain.question_types.base import Form, InvalidAnswer, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values, text_of
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

if TYPE_CHECKING:
    from quizapp.domain.formats.model import MoodleQuestion

MAX_ESSAY = 20_000  # characters of an answer: a long essay, never a file's worth
MAX_WORD_LIMIT = 5_000  # a limit above this would never be reached within MAX_ESSAY characters
_WORD = re.compile(r"\S+")
_MARKUP = re.compile(r"<[A-Za-z/!]")
_LINE_END = re.compile(r"\s*<(br\s*/?|/p|/div|/li|/h[1-6])\s*>\s*", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_FIELDS = {"graderinfo": "marking_guide", "responsetemplate": "response_template"}  # Moodle's -> quizapp's
_UNSET = ("", "0")  # Moodle's empty(): no limit, no attachments


def count_words(text: str) -> int:
    """Words as Moodle counts them for its word limits: runs of characters between spaces."""
    return len(_WORD.findall(text))


def word_limit_problem(value: Any) -> str | None:
    """What is wrong with a word limit as written in a file (None, or a whole number 1..MAX_WORD_LIMIT)."""
    if value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_WORD_LIMIT
    ):
        return None
    return f"word_limit must be a whole number of words from 1 to {MAX_WORD_LIMIT:,}"


def parse_word_limit(text: str) -> int:
    """A word limit typed in the editor ('' for none, '250', '1,000'); else ValueError with a sentence."""
    cleaned = re.sub(r"[\s,.\u202f\u00a0]", "", text)
    if not cleaned:
        return 0
    if not cleaned.isdigit() or not 0 < int(cleaned) <= MAX_WORD_LIMIT:
        raise ValueError(f"Write a whole number of words from 1 to {MAX_WORD_LIMIT:,}, or leave it empty.")
    return int(cleaned)


def _essay_text(form: Form) -> str:
    values = form.get("answer") or []
    if len(values) > 1:
        raise InvalidAnswer("Write one answer only.")
    return (values[0] if values else "").replace("\r\n", "\n").strip()


class Essay(QuestionKind):
    name = QuestionType.ESSAY
    label = "Essay (marked by the teacher)"
    typed = True
    auto_scored = False
    answer_field = "marking_guide"
    list_field = "marking_guide"

    # ---- the file form

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        if raw.get("answer") in (None, "", []):
            return []
        return [
            Problem(
                qid,
                "an essay has no answer key: the teacher marks each response",
                "remove 'answer'; write a marking_guide for the teacher instead",
            )
        ]

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        problems = super().check_fields(qid, raw)
        limit = word_limit_problem(raw.get("word_limit"))
        if limit:
            problems.append(Problem(qid, limit, "word_limit: 300, or leave it out for no limit"))
        for key in ("marking_guide", "response_template"):
            if not isinstance(raw.get(key) or "", str):
                problems.append(Problem(qid, f"{key} must be a text", f"{key}: '...'"))
        if len(str(raw.get("response_template") or "")) > MAX_ESSAY:
            problems.append(Problem(qid, "response_template is too long", f"under {MAX_ESSAY:,} characters"))
        return problems

    def build_answer(self, raw: Raw) -> Answer:
        return None

    # ---- taking

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        """The text typed, its line breaks kept; NoAnswer when blank or left as the template. Too long, or
        over the word limit: InvalidAnswer saying by how much (nothing is stored)."""
        text = _essay_text(form)
        if not text or text == question.response_template.replace("\r\n", "\n").strip():
            raise NoAnswer()
        if len(text) > MAX_ESSAY:
            raise InvalidAnswer(
                f"Your answer has {len(text):,} characters; the most is {MAX_ESSAY:,}. "
                "Shorten it, then send it again."
            )
        words = count_words(text)
        if question.word_limit and words > question.word_limit:
            over = words - question.word_limit
            raise InvalidAnswer(
                f"Your answer has {words:,} words; the limit is {question.word_limit:,}. "
                f"Remove {over:,} word{'s' if over != 1 else ''}, then send it again."
            )
        return text

    def answer_from_json(self, stored: Any) -> Answer:
        return str(stored)

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"text": str(answer)}

    def key_answer(self, question: Question) -> Answer:
        """An answer a learner could give (an essay has no key: any text is marked by the teacher)."""
        return "The Chang’e missions brought back samples from the far side of the moon."

    def key_in_words(self, question: Question) -> str:
        return "Marked by the teacher"

    def score(self, question: Question, given: Answer) -> float:
        """Never: a teacher marks an essay (services/marking.py); the services check `auto_scored` first."""
        raise TypeError("an essay is marked by a teacher, never scored when it is saved")

    # ---- the editor

    def from_form(self, draft: Draft, values: Values) -> None:
        try:
            limit = parse_word_limit(text_of(values.get("word_limit")))
        except ValueError as exc:
            draft.fail("word_limit", str(exc))
            limit = 0
        if limit:
            draft.question["word_limit"] = limit
        for key in ("marking_guide", "response_template"):
            text = str(values.get(key) or "").strip()
            if text:
                draft.question[key] = text

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["word_limit"] = str(content.get("word_limit") or "")
        values["marking_guide"] = content.get("marking_guide") or ""
        values["response_template"] = content.get("response_template") or ""

    # ---- reports

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...] | None:
        """No answer bars: every essay is its own text (the marking page shows them one by one)."""
        return ()

    # ---- Moodle's formats (docs/import-export.md; Moodle's other essay settings stay in `moodle`)

    moodle_types = ("essay",)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """maxwordlimit -> word_limit, graderinfo -> marking_guide, responsetemplate -> response_template
        (plain text: quizapp's answer box has no formatting). The two texts are also kept as they arrived,
        with their formats, and written back while unchanged; the other settings (responseformat,
        attachments, minwordlimit...) are kept by mapping.py as every plain setting is. Warnings say what
        quizapp's one plain text box does not offer."""
        limit = _word_limit(moodle.settings.get("maxwordlimit", ""), warnings)
        guide, guide_format = moodle.other_texts.get("graderinfo", ("", "html"))
        template, template_format = moodle.other_texts.get("responsetemplate", ("", "html"))
        raw: dict[str, Any] = {
            "word_limit": limit or None,
            "marking_guide": texts.other(guide, guide_format) if guide.strip() else "",
            "response_template": _plain_text(template, template_format),
        }
        raw["moodle"] = {
            name: {"text": text, "format": text_format, "as": raw[_FIELDS[name]]}
            for name, (text, text_format) in moodle.other_texts.items()
            if name in _FIELDS
        }
        if template_format in ("html", "moodle") and _MARKUP.search(template):
            warnings.append(
                (
                    "The response template is formatted text in Moodle; quizapp's answer box holds plain "
                    "text, so students start from its words without the formatting (the template is "
                    "written back to Moodle as it was).",
                    "Nothing to do, unless the formatting matters: then describe it in the template's words.",
                )
            )
        warnings += _box_differences(moodle.settings)
        return raw

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """The word limit as maxwordlimit (a kept value left as written while it says the same), the marking
        guide and response template as they arrived while unchanged, else in the question's format (the
        template as plain text); the kept settings are already in `moodle.settings`."""
        settings, kept = moodle.settings, question.moodle
        before = _limit_value(settings.get("maxwordlimit", ""))
        if question.word_limit != (before if before <= MAX_WORD_LIMIT else 0):
            settings["maxwordlimit"] = str(question.word_limit) if question.word_limit else ""
            if "maxwordenabled" in settings:
                settings["maxwordenabled"] = "1" if question.word_limit else "0"
        own_format = "html" if question.format == "html" else "plain"
        for name, value, new_format in (
            ("graderinfo", question.marking_guide, own_format),
            ("responsetemplate", question.response_template, "plain"),
        ):
            original = kept.get(name)
            if isinstance(original, Mapping) and original.get("as") == value:
                moodle.other_texts[name] = (
                    str(original.get("text", "")),
                    str(original.get("format", "html")),
                )
            elif value:
                moodle.other_texts[name] = (value, new_format)


def _limit_value(text: str) -> int:
    """Moodle's maxwordlimit as a number (0: none, as Moodle reads an empty or 0 limit); -1 when it is not a
    whole number."""
    text = text.strip()
    if text in _UNSET:
        return 0
    return int(text) if text.isdigit() else -1


def _word_limit(text: str, warnings: Warnings) -> int:
    """quizapp's word limit for Moodle's maxwordlimit (Moodle turns the limit on when it is set)."""
    limit = _limit_value(text)
    if limit < 0:
        raise NotMappable(
            f"The essay's word limit '{text.strip()}' is not a whole number of words.",
            "Write maxwordlimit as a number, e.g. <maxwordlimit>300</maxwordlimit>, or leave it empty.",
        )
    if limit > MAX_WORD_LIMIT:
        warnings.append(
            (
                f"Moodle limits this essay to {limit:,} words; quizapp's word limits go up to "
                f"{MAX_WORD_LIMIT:,}, so it sets none (answers stay under {MAX_ESSAY:,} characters). The "
                "limit is kept for export.",
                f"Nothing to do, unless the limit matters: then set one of {MAX_WORD_LIMIT:,} words or less.",
            )
        )
        return 0
    return limit


def _plain_text(text: str, text_format: str) -> str:
    """A Moodle text as the plain text of quizapp's answer box: HTML's line ends kept as new lines, its
    tags dropped and its entities decoded."""
    if text_format not in ("html", "moodle") or not _MARKUP.search(text):
        return html.unescape(text).strip() if text_format == "html" else text.strip()
    lines = _TAG.sub("", _LINE_END.sub("\n", text))
    return "\n".join(line.strip() for line in html.unescape(lines).strip().splitlines())


def _box_differences(settings: Mapping[str, str]) -> Warnings:
    """Where Moodle's essay settings offer students what quizapp's one plain text box does not."""
    warnings: Warnings = []
    response_format = settings.get("responseformat", "").strip()
    if response_format in ("editor", "editorfilepicker"):
        warnings.append(
            (
                "In Moodle students write this essay in a text editor with formatting (bold, lists, "
                "links); quizapp gives them one plain text box (their line breaks are kept).",
                "Nothing to do; the response format is kept and written back on export.",
            )
        )
    elif response_format == "noinline":
        warnings.append(
            (
                "In Moodle this essay takes attached files only, with no typed text; quizapp asks "
                "students to type their answer.",
                "Say in the question's text what students should write.",
            )
        )
    attachments = settings.get("attachments", "").strip()
    if attachments not in _UNSET:
        files = "any number of files" if attachments == "-1" else f"up to {attachments} file(s)"
        required = settings.get("attachmentsrequired", "").strip()
        must = f" ({required} required)" if required not in _UNSET else ""
        warnings.append(
            (
                f"In Moodle students can attach {files}{must} to this essay; quizapp takes typed text "
                "only, so students cannot attach files here (the setting is kept for export).",
                "Ask for the files' content in the answer, or collect the files another way.",
            )
        )
    least = _limit_value(settings.get("minwordlimit", ""))
    if least > 0:
        warnings.append(
            (
                f"Moodle asks for at least {least:,} words; quizapp does not check a minimum, so a "
                "shorter answer is accepted (the minimum is kept for export).",
                "Say the minimum in the question's text, and check it when marking.",
            )
        )
    return warnings


KIND = Essay()
