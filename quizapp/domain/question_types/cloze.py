"""Gaps in a text (cloze, Moodle's embedded answers): the prompt holds gaps in Moodle's syntax, e.g.
`{1:SHORTANSWER:=far side~%50%other side#close}`, `{1:NUMERICAL:=2019:0}`, `{1:MULTICHOICE:Yutu-1~=Yutu-2}`.

The prompt is the source of truth: the key lives in its gaps, so a file may leave `answer` out (the question's
`answer` is each gap's key, derived). An answer is a tuple with one entry per gap: a text, a number, a choice,
the choices ticked, or None for a gap left blank. Each gap earns its weight (its `{n:`) times the grade of
the answer given; the question's score is the weighted mean.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.cloze_syntax import Cloze, Gap, blanked_text, cloze_errors
from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.points import points_text
from quizapp.domain.question_types._cloze_gaps import (
    GapField,
    GapGiven,
    choice_offsets,
    cloze_of,
    gap_feedback,
    gap_fields,
    gap_in_words,
    gap_key,
    gap_score,
    read_gap,
)
from quizapp.domain.question_types._moodle import MoodleTexts, NotMappable, Warnings
from quizapp.domain.question_types.base import Clue, Form, Mark, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

_GAP_MARK = re.compile(r"\{#([0-9]+)\}")
_TAIL = re.compile(r"[.,;:!?)\]}»”’…%]+")  # punctuation that belongs with the word (or gap) before it
_GAP_KINDS = {
    "SHORTANSWER": "Short answer",
    "SHORTANSWER_C": "Short answer (letter case matters)",
    "NUMERICAL": "Number",
    "MULTICHOICE": "Drop-down menu",
}
_WORDS = {"right": "right", "partial": "partly right", "wrong": "wrong"}
_LAYOUTS = {"vertical": "in a column", "horizontal": "in a row"}
SYNTAX_HINT = (
    "{1:SHORTANSWER:=far side~%50%other side#close}, {1:NUMERICAL:=2019:0}, {1:MULTICHOICE:Yutu-1~=Yutu-2}"
)


def _problems(qid: str, prompt: str) -> list[Problem]:
    """The prompt's cloze errors as a file's problems (each names the prompt: the editor shows it there)."""
    out = []
    for number, written, message in cloze_errors(prompt):
        where = f"gap {number} {written}" if number else "the gaps"
        out.append(Problem(qid, f"prompt, {where}: {message}", f"write gaps like {SYNTAX_HINT}"))
    return out


@dataclass(frozen=True)
class GapRow:
    """One gap as the editor's check and preview list it: its number, kind in words, weight and answers
    as (text, credit in %, feedback)."""

    number: int
    what: str
    weight: int
    answers: tuple[tuple[str, str, str], ...]


def _what(gap: Gap) -> str:
    if gap.kind in _GAP_KINDS:
        return _GAP_KINDS[gap.kind]
    what = (
        "Tick boxes"
        if gap.base == "MULTIRESPONSE"
        else "Radio buttons"
        if gap.layout != "menu"
        else "Drop-down menu"
    )
    where = f" {_LAYOUTS[gap.layout]}" if gap.layout in _LAYOUTS else ""
    return f"{what}{where}{', shuffled' if gap.shuffled else ''}"


def _answer_text(gap: Gap, text: str, tolerance: float) -> str:
    if gap.base == "NUMERICAL":
        return "any number" if text.strip() == "*" else f"{text} ± {tolerance:g}" if tolerance else text
    return text


def gap_rows(prompt: str) -> tuple[GapRow, ...]:
    """Each gap of a cloze text with its accepted answers and their credit (what the editor shows)."""
    return tuple(
        GapRow(
            n,
            _what(gap),
            gap.weight,
            tuple(
                (_answer_text(gap, a.text, a.tolerance), f"{round(a.fraction * 100, 2):g} %", a.feedback)
                for a in gap.answers
            ),
        )
        for n, gap in enumerate(cloze_of(prompt).gaps, start=1)
    )


def _given(answer: Answer) -> tuple[GapGiven, ...]:
    return tuple(answer) if isinstance(answer, tuple) else ()  # type: ignore[arg-type]


class ClozeKind(QuestionKind):
    name = QuestionType.CLOZE
    label = "Gaps in a text (cloze)"
    typed = True  # the learner's answers are shown back as plain text
    key_in_prompt = True
    answer_missing = "Write at least one gap in the question text, e.g. {1:SHORTANSWER:=far side}."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        problems = _problems(qid, str(raw.get("prompt") or ""))
        answer = raw.get("answer")
        if not problems and answer is not None and self._raw_key(raw) != answer:
            problems.append(
                Problem(
                    qid,
                    "answer disagrees with the gaps of the prompt",
                    "leave 'answer' out: the gaps hold it",
                )
            )
        return problems

    def _raw_key(self, raw: Raw) -> list[Any]:
        keys = self._keys(cloze_of(str(raw["prompt"])))
        return [list(k) if isinstance(k, tuple) else k for k in keys]

    @staticmethod
    def _keys(cloze: Cloze) -> tuple[GapGiven, ...]:
        return tuple(gap_key(gap) for gap in cloze.gaps)

    def build_answer(self, raw: Raw) -> Answer:
        return self._keys(cloze_of(str(raw["prompt"])))  # type: ignore[return-value]

    def answer_to_raw(self, question: Question) -> Any:
        return None  # derived from the prompt (its gaps), which is written whole

    def items(self, question: Question) -> tuple[str, ...]:
        """Every choice of every choice gap, gap after gap: the slot's tokens name them, so a page says
        nothing about which is right; a shuffled gap shows its own in the slot's order."""
        return tuple(c for gap in cloze_of(question.prompt).gaps for c in gap.choices)

    # ---- taking

    def gaps(self, question: Question) -> Cloze:
        """The prompt read for its gaps."""
        return cloze_of(question.prompt)

    def fields(
        self, question: Question, tokens: AnswerTokens, item_order: Sequence[int]
    ) -> tuple[GapField, ...]:
        """Each gap's field on the page (the answer partial writes them into the text)."""
        return gap_fields(cloze_of(question.prompt), tokens, item_order)

    def pieces(self, rendered: str) -> list[str | tuple[int, str]]:
        """A rendered text whose gaps are Moodle's `{#n}` cut into its texts and (gap number, tail) pairs: the
        answer partial writes each gap's field in place of its number, kept on one line with the punctuation
        right after it (the tail), so a full stop never wraps alone to the next line of a phone."""
        parts = _GAP_MARK.split(rendered)
        pieces: list[str | tuple[int, str]] = [parts[0]]
        for number, text in zip(parts[1::2], parts[2::2], strict=True):
            tail = _TAIL.match(text)
            cut = tail.end() if tail else 0
            pieces += [(int(number), text[:cut]), text[cut:]]
        return pieces

    def check(self, prompt: str) -> tuple[tuple[GapRow, ...], tuple[str, ...]]:
        """The gaps the editor's check lists, and the errors Moodle (and quizapp) would report."""
        errors = tuple(
            f"Gap {n} {w}: {m}" if n else (f"{w}: {m}" if w else m) for n, w, m in cloze_errors(prompt)
        )
        return gap_rows(prompt), errors

    def shown_prompt(self, question: Question) -> str:
        return blanked_text(question.prompt)

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        cloze = cloze_of(question.prompt)
        offsets = choice_offsets(cloze)
        given = tuple(
            read_gap(gap, n, offsets[n - 1], form, tokens) for n, gap in enumerate(cloze.gaps, start=1)
        )
        if all(g is None for g in given):
            raise NoAnswer()
        return given  # type: ignore[return-value]

    def answer_from_json(self, stored: Any) -> Answer:
        return tuple(tuple(g) if isinstance(g, list) else g for g in stored)  # type: ignore[return-value]

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        """Per gap number: the text typed, or the set of choices picked."""
        gaps = cloze_of(question.prompt).gaps
        out: dict[int, Any] = {}
        for number, (gap, given) in enumerate(zip(gaps, _given(answer), strict=False), start=1):
            if given is not None:
                out[number] = set(given) if isinstance(given, tuple) else gap_in_words(given)
                if gap.choices and isinstance(given, str):
                    out[number] = {given}
        return {"gaps": out}

    def in_words(self, question: Question, answer: Answer) -> str:
        return "; ".join(f"{n}: {gap_in_words(g)}" for n, g in enumerate(_given(answer), start=1))

    # ---- scoring and feedback

    def score(self, question: Question, given: Answer) -> float:
        """The weighted mean of the gaps' grades (a gap's weight is its `{n:`, 1 when not written)."""
        gaps = cloze_of(question.prompt).gaps
        total = sum(g.weight for g in gaps)
        pairs = zip(gaps, _given(given), strict=False)
        return sum(gap.weight * gap_score(gap, g) for gap, g in pairs) / total if total else 0.0

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        """Each gap: right, partly right or wrong, its worth, the right answer and the author's feedback."""
        gaps = cloze_of(question.prompt).gaps
        marks = []
        for number, (gap, g) in enumerate(zip(gaps, _given(given), strict=False), start=1):
            earned = gap_score(gap, g)
            kind = "right" if earned >= 0.9999 else "partial" if earned > 0 else "wrong"
            worth = f"{points_text(earned * gap.weight)} of {gap.weight}"
            note = f"your answer “{gap_in_words(g)}”, {_WORDS[kind]}: {worth}"
            if kind != "right":
                note += f"; the answer is “{gap_in_words(gap_key(gap))}”"
            note += "".join(f"; {text}" for text in gap_feedback(gap, g))
            marks.append(Mark(f"Gap {number}", kind, note))
        return tuple(marks)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        gaps = cloze_of(question.prompt).gaps
        right = sum(1 for gap, g in zip(gaps, _given(given), strict=False) if gap_score(gap, g) >= 0.9999)
        weighted = len({g.weight for g in gaps}) > 1
        how = "each gap counts for its weight" if weighted else "a share for each gap"
        return f"{right} of {len(gaps)} gaps right: {worth} ({how})."

    # ---- editor: the prompt is the whole question

    def from_form(self, draft: Draft, values: Values) -> None:
        for _, written, message in cloze_errors(str(draft.question.get("prompt") or "")):
            draft.fail("prompt", f"{written}: {message}" if written else message)

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        return None

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """Each gap's key: a text or number, a choice, or all of a multi-response gap's right choices."""
        return tuple(
            tuple(k) if isinstance(k, tuple) else (gap_in_words(k),)
            for k in self._keys(cloze_of(question.prompt))
        )

    # ---- Moodle's formats: the questiontext holds the gaps; GIFT and Aiken have no cloze

    moodle_types = ("multianswer",)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        _, problems = cloze_from_moodle(texts(moodle.text))
        if problems:
            raise NotMappable("; ".join(problems), f"write gaps like {SYNTAX_HINT}")
        return {}  # the prompt (mapped by the caller from the questiontext) holds everything

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        moodle.text = cloze_to_moodle(question)

    def not_exportable(self, question: Question, file_format: str) -> str:
        if file_format == "moodle-xml":
            return ""
        name = {"gift": "GIFT", "aiken": "Aiken"}.get(file_format, file_format)
        return f"{name} has no cloze questions (gaps in a text): export to Moodle XML or quizapp's JSON."


KIND = ClozeKind()


def cloze_from_moodle(text: str) -> tuple[str, list[str]]:
    """A Moodle `<question type="cloze">`'s questiontext as a cloze prompt, and Moodle's validation errors
    for it ([] when it can be imported); the text is kept as written (it is the source of truth)."""
    problems = [f"gap {n} {w}: {m}" if n else (f"{w}: {m}" if w else m) for n, w, m in cloze_errors(text)]
    return text, problems


def cloze_to_moodle(question: Question) -> str:
    """The questiontext of a Moodle `<question type="cloze">`: the cloze question's prompt, gaps and all."""
    return question.prompt
