"""Question types, the shape of each type's answer, and the rules a question must follow."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from quizapp.domain import DomainError

if TYPE_CHECKING:
    from quizapp.domain.question_types.base import QuestionKind


class QuestionType(StrEnum):
    """The kinds of question quizapp can ask and score."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    FILL_BLANK = "fill_blank"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    MATCHING = "matching"
    CATEGORISE = "categorise"
    ESSAY = "essay"
    EVIDENCE = "evidence"
    CLOZE = "cloze"
    DESCRIPTION = "description"


BLANK = "___"
REQUIRED_FIELDS = ("id", "type", "prompt", "answer", "explanation", "source", "topics", "difficulty")
# Questions a teacher writes or imports need less: a source only when their set has a source text.
LENIENT_FIELDS = ("id", "type", "prompt", "answer")
# ... and take as few choices, pairs or items as Moodle does (the bank keeps 3), so Moodle's files import.
MOODLE_LEAST = 2
FORMATS = ("plain", "html")


@dataclass(frozen=True)
class EmbeddedFile:
    """A file stored with a question (an image of its text), as Moodle's `<file>`: a name and base64 data."""

    name: str
    data: str  # base64
    path: str = "/"


Answer = str | bool | float | tuple[str, ...] | tuple[tuple[str, str], ...] | None


@dataclass(frozen=True)
class Question:
    """One question as its author wrote it; `answer` has its type's shape (docs/question-format.md)."""

    id: str
    type: QuestionType
    prompt: str
    answer: Answer
    choices: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    topics: tuple[str, ...] = ()
    difficulty: int = 2
    tolerance: float = 0.0
    title: str = ""
    format: str = "plain"
    feedback: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    extra_options: tuple[str, ...] = ()
    alternatives: tuple[tuple[float, float, float], ...] = ()
    passage: tuple[str, ...] = ()  # the sentences an evidence question offers, in text order
    word_limit: int = 0  # an essay's most words (0: no limit; Moodle's maxwordlimit)
    marking_guide: str = ""  # an essay's notes for its marker, never shown to students (Moodle's graderinfo)
    response_template: str = ""  # the text an essay's box starts with (Moodle's responsetemplate)
    groups: tuple[str, ...] = ()  # the groups a categorise question sorts its items into
    case_sensitive: bool = False  # typed answers compared with their case (Moodle's usecase)
    category: str = ""  # the category path the question came from, "/"-separated (Moodle's tree)
    files: tuple[EmbeddedFile, ...] = ()  # files the texts link to as @@PLUGINFILE@@/<name>
    # What an imported question arrived with that quizapp does not use itself, kept to write back on export
    # (Moodle's fields by their XML names). Not part of the hash: questions are cached by value.
    moodle: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def kind(self) -> QuestionKind:
        """This question's type object (quizapp/domain/question_types): how it is checked, taken, scored."""
        return _kind(self.type)

    @property
    def scored(self) -> bool:
        """Whether the question asks for an answer (a description does not)."""
        return self.kind.scored

    @property
    def items(self) -> tuple[str, ...]:
        """What the learner picks from or arranges: choices, items to order, or the left column to match."""
        return self.kind.items(self)

    @property
    def match_options(self) -> tuple[str, ...]:
        """A second column the learner picks from for each item (matching's right-hand options)."""
        return self.kind.match_options(self)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a question: where, what, and how to fix it."""

    question_id: str
    message: str
    hint: str = ""
    where: str = field(default="", compare=False)

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        qid = f"question '{self.question_id}'" if self.question_id else "file"
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{place}{qid}: {self.message}{hint}"


class InvalidQuestion(DomainError):
    """A question dict broke the rules; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _kind(qtype: QuestionType) -> QuestionKind:
    from quizapp.domain.question_types import kind_of  # noqa: PLC0415 - the types import this module

    return kind_of(qtype)


def _is_empty(value: Any) -> bool:
    """A field left out, or given only blanks (a prompt of spaces asks nothing)."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _required(raw: Mapping[str, Any], strict: bool) -> tuple[str, ...]:
    fields = REQUIRED_FIELDS if strict else LENIENT_FIELDS
    kind = _kind(QuestionType(raw["type"])) if raw.get("type") in {t.value for t in QuestionType} else None
    if kind is not None and not (kind.scored and kind.auto_scored):  # no key: a description, an essay
        return tuple(f for f in fields if f != "answer")
    if kind is not None and kind.key_in_prompt:  # the key is in the prompt (a cloze's gaps)
        return tuple(f for f in fields if f != "answer")
    return fields


def validate_question(raw: Mapping[str, Any], strict: bool = True) -> list[Problem]:
    """Every problem of one question as read from a file (a dict); [] when it can be used.

    `strict` (the built-in bank) requires an explanation, a source, topics and a difficulty on every
    question; teachers' sets only require what a question needs to be asked and scored.
    """
    qid = str(raw.get("id") or "")
    missing = [f for f in _required(raw, strict) if _is_empty(raw.get(f))]
    if "answer" in missing and raw.get("answer") is False:
        missing.remove("answer")
    problems = [
        Problem(qid, f"missing field '{f}'", f"add '{f}:' to the question")
        if f not in raw
        else Problem(qid, f"'{f}' is empty", f"write the {f}")
        for f in missing
    ]
    try:
        qtype = QuestionType(raw.get("type"))
    except ValueError:
        if "type" not in missing:
            known = ", ".join(t.value for t in QuestionType)
            problems.append(Problem(qid, f"unknown type '{raw.get('type')}'", f"use one of: {known}"))
        return problems
    difficulty = raw.get("difficulty")
    if "difficulty" not in missing and difficulty is not None and difficulty not in (1, 2, 3):
        problems.append(
            Problem(qid, f"difficulty {difficulty!r} is not 1, 2 or 3", "1 easy, 2 medium, 3 hard")
        )
    topics = raw.get("topics")
    if (
        "topics" not in missing
        and topics is not None
        and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics))
    ):
        problems.append(Problem(qid, "topics must be a list of words", "write topics: [chang-e-4, firsts]"))
    kind = _kind(qtype)
    if "answer" not in missing and kind.scored:
        problems += kind.check_answer(qid, raw, 3 if strict else MOODLE_LEAST)
    if not problems:
        problems += _check_extras(qid, qtype, raw)
    if not problems:
        from quizapp.domain.question_extras import check_kept_fields  # noqa: PLC0415 - it imports Problem

        problems += check_kept_fields(qid, raw)
    return problems


def finite_numbers(value: Any) -> bool:
    """Whether `value` is a list of finite numbers (not booleans)."""
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    )


def _check_extras(qid: str, qtype: QuestionType, raw: Mapping[str, Any]) -> list[Problem]:
    """Optional fields: format, per-item feedback and weights, matching distractors, numeric alternatives."""
    problems = []
    if raw.get("format", "plain") not in FORMATS:
        problems.append(Problem(qid, f"format {raw.get('format')!r} is not plain or html", "format: html"))
    aligned = _kind(qtype).aligned_count(raw)
    feedback = raw.get("feedback")
    if feedback not in (None, []) and (
        not isinstance(feedback, list)
        or len(feedback) != aligned
        or not all(isinstance(f, str) for f in feedback)
    ):
        problems.append(
            Problem(
                qid,
                f"feedback must be a list of {aligned} texts, one per answer",
                "give one feedback text per choice (or accepted answer), '' for none",
            )
        )
    weights = raw.get("weights")
    if weights not in (None, []):
        problems += _check_weights(qid, qtype, raw, weights, aligned)
    problems += _kind(qtype).check_fields(qid, raw)
    return problems


def _check_weights(
    qid: str, qtype: QuestionType, raw: Mapping[str, Any], weights: Any, aligned: int
) -> list[Problem]:
    """Weights are numbers, one per answer (the type says which rules they follow, Moodle's)."""
    if not finite_numbers(weights):
        return [
            Problem(
                qid,
                f"weights must be {aligned} numbers between -1 and 1, one per answer",
                "e.g. weights: [1, 0.5, 0, -0.5]",
            )
        ]
    return _kind(qtype).check_weights(qid, raw, weights, aligned)


def question_from_dict(raw: Mapping[str, Any], strict: bool = True) -> Question:
    """Build a Question from its file/JSON form; raises InvalidQuestion listing every problem."""
    problems = validate_question(raw, strict)
    if problems:
        raise InvalidQuestion(problems)
    qtype = QuestionType(raw["type"])
    kind = _kind(qtype)
    return Question(
        id=str(raw["id"]),
        type=qtype,
        prompt=str(raw["prompt"]),
        answer=kind.build_answer(raw),
        choices=tuple(raw.get("choices") or ()) if kind.uses_choices else (),
        explanation=str(raw.get("explanation") or ""),
        source=str(raw.get("source") or ""),
        topics=tuple(raw.get("topics") or ()),
        difficulty=int(raw.get("difficulty") or 2),
        tolerance=float(raw.get("tolerance") or 0.0),
        title=str(raw.get("title") or ""),
        format=str(raw.get("format") or "plain"),
        feedback=tuple(raw.get("feedback") or ()),
        weights=tuple(float(w) for w in raw.get("weights") or ()),
        extra_options=tuple(raw.get("extra_options") or ()),
        alternatives=tuple((float(v), float(t), float(w)) for v, t, w in raw.get("alternatives") or ()),
        passage=tuple(str(s) for s in raw.get("passage") or ()),
        word_limit=raw["word_limit"] if isinstance(raw.get("word_limit"), int) else 0,
        marking_guide=str(raw.get("marking_guide") or ""),
        response_template=str(raw.get("response_template") or ""),
        groups=tuple(str(g) for g in raw["groups"]) if isinstance(raw.get("groups"), list) else (),
        case_sensitive=bool(raw.get("case_sensitive")),
        category=str(raw.get("category") or ""),
        files=tuple(
            EmbeddedFile(str(f["name"]), str(f["data"]), str(f.get("path") or "/"))
            for f in raw.get("files") or ()
        ),
        moodle=dict(raw.get("moodle") or {}),
    )


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def question_to_dict(question: Question) -> dict[str, Any]:
    """The exchange (JSON) form of a question; question_from_dict reads it back unchanged."""
    kind = question.kind
    out: dict[str, Any] = {
        "id": question.id,
        "type": question.type.value,
        "prompt": question.prompt,
        "choices": list(question.choices) if kind.uses_choices else None,
        "answer": kind.answer_to_raw(question),
        "explanation": question.explanation,
        "source": question.source,
        "topics": list(question.topics),
        "difficulty": question.difficulty,
    }
    if question.tolerance:
        out["tolerance"] = _plain_number(question.tolerance)
    optional = {
        "title": question.title,
        "format": question.format if question.format != "plain" else "",
        "feedback": list(question.feedback),
        "weights": [_plain_number(w) for w in question.weights],
        "extra_options": list(question.extra_options),
        "alternatives": [[_plain_number(x) for x in a] for a in question.alternatives],
        "passage": list(question.passage),
        "word_limit": question.word_limit,
        "marking_guide": question.marking_guide,
        "response_template": question.response_template,
        "groups": list(question.groups),
        "case_sensitive": question.case_sensitive,
        "category": question.category,
        "files": [{"name": f.name, "data": f.data, "path": f.path} for f in question.files],
        "moodle": dict(question.moodle),
    }
    out.update({key: value for key, value in optional.items() if value})
    return out
