"""Writing one question in the editor: sanitise its rich text, check it, save it as a new question or as a new
version of one, and preview it with its quoted sentence marked in the set's source text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from quizapp.domain import DomainError
from quizapp.domain.answer_tokens import AnswerTokens, answer_tokens
from quizapp.domain.article import Sentence
from quizapp.domain.authoring import Errors, form_from_question, problem_errors, question_from_form
from quizapp.domain.bank import grounding_problems, with_source_text
from quizapp.domain.questions import Question as DomainQuestion
from quizapp.domain.questions import QuestionType
from quizapp.models import Question, QuestionSet
from quizapp.richtext import clean_html
from quizapp.services.attempt_views import token_key
from quizapp.services.question_sets import InvalidQuestionSet, set_article
from quizapp.services.teacher_sets import add_questions, check_question, new_question_key, update_question

# The texts an html-format question shows as rich text (typed answers and menu options stay plain).
RICH_FIELDS = ("prompt", "explanation", "feedback_true", "feedback_false", "items")
RICH_ROW_FIELDS = {"choices": ("text", "feedback"), "answers": ("feedback",), "pairs": ("left",)}


class InvalidDraft(DomainError):
    """The editor's values do not make a question; `errors` lists the messages by form field ('' for all)."""

    def __init__(self, errors: Errors):
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


@dataclass(frozen=True)
class SavedQuestion:
    """A question saved from the editor: its row, its current version number, and whether anything changed."""

    question: Question
    version: int
    changed: bool


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_html(value)
    return [_clean(v) for v in value] if isinstance(value, list) else value


def sanitised(values: Mapping[str, Any]) -> dict[str, Any]:
    """The editor's values with every rich text of an html-format question cleaned (nh3's safe subset)."""
    clean = dict(values)
    if clean.get("format") != "html":
        return clean
    for name in RICH_FIELDS:
        if name in clean:
            clean[name] = _clean(clean[name])
    for name, keys in RICH_ROW_FIELDS.items():
        rows = clean.get(name) or []
        clean[name] = [{**row, **{key: _clean(row.get(key) or "") for key in keys}} for row in rows]
    return clean


def _checked(
    question_set: QuestionSet, qtype: QuestionType, values: Mapping[str, Any], key: str, kept_source: str
) -> dict[str, Any]:
    """The question dict the values describe, ready to save; InvalidDraft with every error otherwise."""
    draft = question_from_form(qtype, sanitised(values))
    article = set_article(question_set)
    raw = with_source_text({**draft.question, "id": key}, article)
    if not question_set.source_text:
        raw["source"] = kept_source  # no text to quote from: the editor shows no source field
    errors = draft.errors
    problems = check_question(question_set, raw)
    if problems and article and raw["source"]:  # check_question skips the quote while the rest is wrong
        problems += grounding_problems(key, raw["source"], article)
    for name, messages in problem_errors(qtype, problems).items():
        errors.setdefault(name, messages)
    if errors:
        raise InvalidDraft(errors)
    return raw


def create_question(
    question_set: QuestionSet, qtype: QuestionType, values: Mapping[str, Any]
) -> SavedQuestion:
    """Append the question the editor describes to the set (version 1); InvalidDraft when it is not valid."""
    raw = _checked(question_set, qtype, values, new_question_key(question_set), "")
    try:
        [row] = add_questions(question_set, [raw])
    except InvalidQuestionSet as exc:  # e.g. its id taken meanwhile by another tab
        raise InvalidDraft(problem_errors(qtype, exc.problems)) from exc
    return SavedQuestion(row, 1, True)


def question_type(question: Question) -> QuestionType:
    """The type of a question's current version."""
    return QuestionType(question.current.type)


def edit_question(question_set: QuestionSet, question: Question, values: Mapping[str, Any]) -> SavedQuestion:
    """Save the edited question as a new version (past attempts keep theirs), unless nothing changed."""
    qtype = question_type(question)
    raw = _checked(question_set, qtype, values, question.key, question.current.content.get("source") or "")
    try:
        changed = update_question(question_set, question, raw)
    except InvalidQuestionSet as exc:
        raise InvalidDraft(problem_errors(qtype, exc.problems)) from exc
    return SavedQuestion(question, question.current_number, changed)


def editor_values(question: Question) -> dict[str, Any]:
    """What the editor shows for a saved question: its current version's fields."""
    return form_from_question(question.current.content)


@dataclass(frozen=True)
class SourcePreview:
    """The set's source text, paragraph by paragraph, with the sentences a quote lies in marked."""

    paragraphs: tuple[tuple[tuple[Sentence, bool], ...], ...]
    quote: str

    @property
    def found(self) -> bool:
        """Whether the quote was found in the text."""
        return any(marked for paragraph in self.paragraphs for _, marked in paragraph)

    @property
    def quoted(self) -> tuple[tuple[tuple[Sentence, bool], ...], ...]:
        """Only the paragraphs holding the quote."""
        return tuple(p for p in self.paragraphs if any(marked for _, marked in p))


def source_preview(question_set: QuestionSet, quote: str) -> SourcePreview | None:
    """The set's source text with `quote`'s sentences marked (matched as the check does); None without one."""
    article = set_article(question_set)
    if article is None:
        return None
    marked = {s.anchor for s in article.find_span(quote)} if quote.strip() else set()
    return SourcePreview(tuple(tuple((s, s.anchor in marked) for s in p) for p in article.paragraphs), quote)


@dataclass(frozen=True)
class PreviewSlot:
    """A question's place as a student would meet it, but in authored order and with nothing answered."""

    item_order: tuple[int, ...]
    option_order: tuple[int, ...]
    tokens: AnswerTokens


@dataclass(frozen=True)
class QuestionPreview:
    """A question as a student sees it, and what the teacher needs to check it."""

    question: DomainQuestion
    version: int
    slot: PreviewSlot
    source: SourcePreview | None


def preview_question(question_set: QuestionSet, question: Question) -> QuestionPreview:
    """The question's current version, laid out for the preview page."""
    domain = question.current.to_domain()
    slot = PreviewSlot(
        tuple(range(len(domain.items))),
        tuple(range(len(domain.match_options))),
        answer_tokens(token_key(current_app.config["SECRET_KEY"]), f"preview-{question.id}", domain),
    )
    return QuestionPreview(domain, question.current_number, slot, source_preview(question_set, domain.source))
