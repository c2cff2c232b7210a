"""Taking a quiz through the test client: start one, answer right or wrong by type, read forms and rows back.

Answers are built from the domain question alone (`intended_answer`), turned into the form fields a browser
sends (`answer_fields`), and their points follow docs/question-format.md (`expected_points`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.questions import Answer, Question, QuestionType
from quizapp.extensions import db
from quizapp.models import Attempt, Response
from quizapp.services.attempt_views import SlotView, load_attempt
from tests.conftest import get_token
from tests.web.cloze_taking import cloze_fields, cloze_partial, cloze_partial_points, cloze_wrong

How = Literal["right", "wrong", "partial", "skip"]
Fields = dict[str, str | list[str]]
_TOKENS: weakref.WeakKeyDictionary[FlaskClient, str] = weakref.WeakKeyDictionary()
PARTIAL_TYPES = (
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.ORDERING,
    QuestionType.MATCHING,
    QuestionType.CATEGORISE,
    QuestionType.CLOZE,
)
# ... and evidence: half for the choice, half by sentence (its marks add sentences to the choices)
CREDIT_TYPES = (*PARTIAL_TYPES, QuestionType.EVIDENCE)


def token(client: FlaskClient) -> str:
    """This browser's CSRF token (read once from the home page; it stays valid for the session)."""
    if client not in _TOKENS:
        _TOKENS[client] = get_token(client)
    return _TOKENS[client]


def attempt_id_from(response: TestResponse) -> str:
    """The attempt id of a redirect to an attempt's first question."""
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/attempts/([^/]+)/1", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def start_selection(client: FlaskClient, question_ids: Sequence[str], mode: str = "test") -> str:
    """Start a quiz on exactly these questions (POST /quiz/selection); returns the attempt's id."""
    data = {"question_ids": ",".join(question_ids), "mode": mode, "csrf_token": token(client)}
    return attempt_id_from(client.post("/quiz/selection", data=data))


def attempt_slots(app: Flask, public_id: str) -> tuple[SlotView, ...]:
    """The attempt's questions in order, with what is stored for each, as its owner would see them."""
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.public_id == public_id))
        assert attempt is not None
        slots = load_attempt(public_id, attempt.learner).slots
        for slot in slots:
            assert slot.tokens  # made now, inside the app (the tokens need its secret)
        return slots


def attempt_row(app: Flask, public_id: str) -> Attempt:
    """The attempt's row as stored now."""
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.public_id == public_id))
        assert attempt is not None
        return attempt


def count_rows(app: Flask, model: type[db.Model]) -> int:  # type: ignore[name-defined]
    """How many rows a table holds."""
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model)) or 0


def count_responses(app: Flask) -> int:
    """How many answers are stored, over every attempt."""
    return count_rows(app, Response)


def submit(
    client: FlaskClient, public_id: str, position: int, fields: Fields, go: str = "next"
) -> TestResponse:
    """POST an answer to a question as its page's form would."""
    return client.post(
        f"/attempts/{public_id}/{position}", data={**fields, "go": go, "csrf_token": token(client)}
    )


def intended_answer(question: Question, how: How) -> Answer:
    """An answer to `question` that is right, wrong (0 points) or partly right (types with partial credit)."""
    if how == "right":
        return question.answer[0] if question.type is QuestionType.FILL_BLANK else question.answer  # type: ignore[index]
    if how == "partial" and question.type in CREDIT_TYPES:
        return _partial(question)
    return _wrong(question)


def _wrong(question: Question) -> Answer:
    key: tuple = question.answer  # type: ignore[assignment]
    match question.type:
        case QuestionType.SINGLE_CHOICE:
            return next(c for c in question.choices if c != question.answer)
        case QuestionType.MULTIPLE_CHOICE:
            wrong = tuple(c for c in question.choices if c not in key)
            assert wrong, f"{question.id}: every choice is right"
            return wrong
        case QuestionType.TRUE_FALSE:
            return not question.answer
        case QuestionType.FILL_BLANK:
            return "certainly not this"
        case QuestionType.NUMERIC:
            return float(question.answer) + question.tolerance + 1000  # type: ignore[arg-type]
        case QuestionType.ORDERING:
            return tuple(reversed(key))
        case QuestionType.CATEGORISE:  # every item in a group it does not belong in
            return tuple((item, next(g for g in question.groups if g != group)) for item, group in key)
        case QuestionType.EVIDENCE:  # a wrong choice, and a sentence that proves nothing
            return (next(c for c in question.choices if c != key[0]), _stray_sentence(question))
        case QuestionType.CLOZE:  # every gap wrong
            return cloze_wrong(question)
    rights = question.match_options
    return tuple((left, rights[(i + 1) % len(rights)]) for i, left in enumerate(question.items))


def _partial(question: Question) -> Answer:
    key: tuple = question.answer  # type: ignore[assignment]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return tuple(c for c in question.choices if c in key or c == _wrong(question)[0])  # type: ignore[index]
    if question.type is QuestionType.ORDERING:
        return key[1:] + key[:1]
    if question.type is QuestionType.CATEGORISE:  # the first item in a wrong group
        return (_wrong(question)[0], *key[1:])  # type: ignore[index]
    if question.type is QuestionType.EVIDENCE:  # the right choice, the evidence and one wrong sentence
        return (key[0], (*key[1], *_stray_sentence(question)))
    if question.type is QuestionType.CLOZE:  # the first gap wrong
        return cloze_partial(question)
    (a, x), (b, y), *rest = key
    return ((a, y), (b, x), *rest)


def _stray_sentence(question: Question) -> tuple[str]:
    """A sentence offered by an evidence question that does not prove its answer."""
    return (next(s for s in question.passage if s not in question.answer[1]),)  # type: ignore[index, operator]


def expected_points(question: Question, how: How) -> float:
    """The points the documented rules give `intended_answer(question, how)`."""
    if how == "right":
        return 1.0
    if how != "partial" or question.type not in CREDIT_TYPES:
        return 0.0
    n = len(question.answer)  # type: ignore[arg-type]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return (n - 1) / n  # every right choice ticked, and one wrong one
    if question.type is QuestionType.ORDERING:
        return (n - 2) / (n - 1)  # the first item moved to the end
    if question.type is QuestionType.CATEGORISE:
        return (n - 1) / n  # one item in a wrong group
    if question.type is QuestionType.EVIDENCE:  # half for the choice; the wrong sentence takes one back
        proof = len(question.answer[1])  # type: ignore[index, arg-type]
        return 0.5 + 0.5 * (proof - 1) / proof
    if question.type is QuestionType.CLOZE:
        return cloze_partial_points(question)  # all but the first gap's weight
    return (n - 2) / n  # two matches swapped


def answer_fields(question: Question, answer: Answer, tokens: AnswerTokens) -> Fields:
    """The form fields a browser sends for `answer`, in the slot's opaque tokens (as its page names them)."""
    items, options = tokens.items, tokens.options
    match question.type:
        case QuestionType.SINGLE_CHOICE:
            return {"answer": items[question.choices.index(answer)]}  # type: ignore[arg-type]
        case QuestionType.MULTIPLE_CHOICE:
            return {"answer": [items[question.choices.index(c)] for c in answer]}  # type: ignore[union-attr]
        case QuestionType.TRUE_FALSE:
            return {"answer": "true" if answer else "false"}
        case QuestionType.NUMERIC:
            return {"answer": f"{float(answer):g}"}  # type: ignore[arg-type]
        case QuestionType.ORDERING:
            places = {item: n for n, item in enumerate(answer, start=1)}  # type: ignore[arg-type]
            return {f"position-{items[i]}": str(places[item]) for i, item in enumerate(question.items)}
        case QuestionType.MATCHING:
            chosen = dict(answer)  # type: ignore[arg-type]
            return {
                f"match-{items[i]}": options[question.match_options.index(chosen[left])]
                for i, left in enumerate(question.items)
            }
        case QuestionType.CATEGORISE:
            sorted_into = dict(answer)  # type: ignore[arg-type]
            return {
                f"group-{items[i]}": options[question.groups.index(sorted_into[item])]
                for i, item in enumerate(question.items)
            }
        case QuestionType.EVIDENCE:
            choice, sentences = answer  # type: ignore[misc]
            picked = [options[question.passage.index(s)] for s in sentences]
            return {"answer": items[question.choices.index(choice)], "evidence": picked}
        case QuestionType.CLOZE:
            return cloze_fields(question, answer, tokens)
    return {"answer": str(answer)}


def fields_for(slot: SlotView, how: How) -> Fields:
    """The form fields of a right, wrong or partly right answer to a slot's question; none for a skip."""
    if how == "skip":
        return {}
    return answer_fields(slot.question, intended_answer(slot.question, how), slot.tokens)


@dataclass
class PageForm:
    """One form of a page: where it posts and what a browser would send (successful controls only)."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str | None, value: str) -> None:
        """Record one value sent under `name`."""
        if name:
            self.fields.setdefault(name, []).append(value)


class _FormReader(HTMLParser):
    """Reads the forms of a page the way a browser fills in a submission."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(PageForm(a.get("action") or ""))
        elif not self.forms:
            return
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            if "checked" in a:
                self.forms[-1].add(a.get("name"), a.get("value") or "on")
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            self.forms[-1].add(a.get("name"), a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].add(self._select, a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_forms(html: str) -> list[PageForm]:
    """Every form of a page with the values it would submit."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def form_posting_to(html: str, action: str) -> PageForm:
    """The page's form that posts to `action`."""
    found = [f for f in page_forms(html) if f.action == action]
    assert found, f"no form posting to {action}"
    return found[0]


def choice_value(html: str, label: str) -> str:
    """The value a question page sends for the choice whose text starts with the word(s) `label` (what a
    browser sends when it is ticked): read from the page, as the values are opaque."""
    match = re.search(rf'value="([^"]+)"[^>]*>\s*<span>(?:<[^>]+>)*{re.escape(label)}\b', html)
    assert match, f"no choice {label!r} on the page"
    return match.group(1)


def chosen_answer(html: str) -> dict[str, list[str]]:
    """The answer fields a question page shows as filled in (empty text boxes left out, values sorted)."""
    form = page_forms(html)[-1]
    return {k: sorted(v) for k, v in form.fields.items() if k not in ("csrf_token", "go") and any(v)}


def sent_fields(fields: Fields) -> dict[str, list[str]]:
    """`fields` as sorted lists of values, the shape `chosen_answer` returns."""
    return {k: sorted(v) if isinstance(v, list) else [v] for k, v in fields.items()}
