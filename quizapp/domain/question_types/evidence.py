"""Answer and evidence: choose the answer (as a single choice), then tick the sentences of the text that prove
it. Half the point is for the answer, half for the evidence, graded by sentence.

The sentences offered (`passage`) are a window of the source text around the evidence, stored with the
question when it is saved (`from_text`), so the question is self-contained: exports and past attempts do not
depend on the text staying the same. The file form's evidence may name sentences by their anchor (`p3s2`)
or by their text; they are stored as texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.article import Article, normalise, split_sentences
from quizapp.domain.points import points_text
from quizapp.domain.question_types._choices import choice_mark
from quizapp.domain.question_types.base import (
    Clue,
    Form,
    InvalidAnswer,
    Mark,
    NoAnswer,
    QuestionKind,
    Raw,
    chosen,
)
from quizapp.domain.question_types.editing import Draft, Values, text_of
from quizapp.domain.question_types.single_choice import SingleChoice
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

LEAST_OFFERED, MOST_OFFERED = 8, 12  # sentences offered around the evidence, when the text has them
MAX_PASSAGE = 30  # sentences a file may list itself
ANSWER_SHARE = 0.5  # of the point, for part 1; the evidence earns the rest
_ANCHOR = re.compile(r"^p\d+s\d+$")
_SHAPE_HINT = "answer: {choice: <one of the choices>, evidence: [<sentence or anchor like p3s2>, ...]}"


def _parts(raw: Raw) -> tuple[Any, Any]:
    """The (choice, evidence) of a file dict's answer; (None, None) when it is not a mapping."""
    answer = raw.get("answer")
    if not isinstance(answer, Mapping):
        return None, None
    return answer.get("choice"), answer.get("evidence")


def _texts(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


def offered_window(article: Article, wanted: Sequence[int]) -> list[str]:
    """The sentences offered for evidence at sentence indexes `wanted`: their paragraphs, then neighbouring
    paragraphs (next, previous, ...) until there are LEAST_OFFERED, trimmed at the far ends to MOST_OFFERED.
    """
    sentences = article.sentences
    starts = {}
    for i, sentence in enumerate(sentences):
        starts.setdefault(sentence.paragraph, i)
    ends = {p: i + 1 for i, s in enumerate(sentences) for p in [s.paragraph]}
    first, last = min(wanted), max(wanted)
    low, high = starts[sentences[first].paragraph], ends[sentences[last].paragraph]
    forward = True
    while high - low < LEAST_OFFERED and (low > 0 or high < len(sentences)):
        if (forward and high < len(sentences)) or low == 0:
            high = ends[sentences[high].paragraph]
        else:
            low = starts[sentences[low - 1].paragraph]
        forward = not forward
    while high - low > MOST_OFFERED and (high - 1 > last or low < first):
        if high - 1 > last and (high - 1 - last >= first - low or low == first):
            high -= 1
        else:
            low += 1
    return [s.text for s in sentences[low:high]]


def _locate(article: Article, entry: str) -> int | None:
    """The index of the sentence an evidence entry names (an anchor, or the sentence's text); None if none."""
    sentences = article.sentences
    if _ANCHOR.match(entry.strip()):
        return next((i for i, s in enumerate(sentences) if s.anchor == entry.strip()), None)
    wanted = normalise(entry)
    return next((i for i, s in enumerate(sentences) if normalise(s.text) == wanted), None)


class Evidence(SingleChoice):
    name = QuestionType.EVIDENCE
    label = "Answer and evidence"
    answer_field = "evidence"
    answer_missing = "Mark the correct choice."
    moodle_types = ()  # Moodle has no such question: its formats list it as not exportable

    # ---- the file form

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        choice, evidence = _parts(raw)
        if choice is None or evidence is None:
            return [Problem(qid, "answer must give the choice and the evidence sentences", _SHAPE_HINT)]
        problems = super().check_answer(qid, {**raw, "answer": choice}, least)
        if not _texts(evidence):
            return problems + [
                Problem(
                    qid, "the answer's evidence must be a list of sentences", "list at least one sentence"
                )
            ]
        passage = raw.get("passage")
        if not _texts(passage):
            return problems + [
                Problem(
                    qid,
                    "no sentences to pick the answer's evidence from",
                    "give the set a text to quote from, or list the sentences offered under passage",
                )
            ]
        stray = [e for e in evidence if e not in passage]
        if stray:
            return problems + [
                Problem(
                    qid,
                    f"evidence {stray[0][:80]!r} is not a sentence of the text the answer is proved from",
                    "copy whole sentences of the text word for word, one a line",
                )
            ]
        if len(set(evidence)) != len(evidence) or len(set(passage)) != len(passage):
            return problems + [Problem(qid, "the answer lists an evidence sentence twice", "list each once")]
        if len(passage) <= len(evidence) or len(passage) > MAX_PASSAGE:
            return problems + [
                Problem(
                    qid,
                    f"the answer's evidence is {len(evidence)} of {len(passage)} sentences offered",
                    f"offer more sentences than the evidence, at most {MAX_PASSAGE}",
                )
            ]
        return problems

    def check_weights(self, qid: str, raw: Raw, weights: Sequence[float], aligned: int) -> list[Problem]:
        return super().check_weights(qid, {**raw, "answer": _parts(raw)[0]}, weights, aligned)

    def from_text(self, raw: Raw, article: Article) -> Raw:
        """Evidence named by anchor or text becomes the article's sentences; the sentences offered (unless the
        dict lists them, around the evidence) and the quoted source (unless given) are filled in."""
        evidence = _parts(raw)[1]
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            return raw
        sentences = article.sentences
        found = [_locate(article, e) for e in evidence]
        texts = [sentences[i].text if i is not None else e for i, e in zip(found, evidence, strict=True)]
        out = {**raw, "answer": {**raw["answer"], "evidence": texts}}
        if None in found or not found:
            given = raw.get("passage")
            if found and _texts(given) and set(evidence) <= set(given):
                return raw  # it brings its own sentences (copied from another text): kept as they are
            out["passage"] = [s.text for s in sentences]  # the check then names what is not in the text
            return out
        if not text_of(raw.get("source")):
            out["source"] = texts[0]
        given = raw.get("passage")
        if not (_texts(given) and set(texts) <= set(given)):  # a stored window is kept while it fits
            out["passage"] = offered_window(article, found)  # type: ignore[arg-type]
        return out

    def build_answer(self, raw: Raw) -> Answer:
        choice, evidence = _parts(raw)
        order = {s: i for i, s in enumerate(raw["passage"])}
        return (str(choice), tuple(sorted(map(str, evidence), key=order.__getitem__)))  # type: ignore[return-value]

    def answer_to_raw(self, question: Question) -> Any:
        choice, evidence = question.answer  # type: ignore[misc]
        return {"choice": choice, "evidence": list(evidence)}

    def match_options(self, question: Question) -> tuple[str, ...]:
        """The sentences offered, in text order (the page keeps that order: it tells nothing)."""
        return question.passage

    # ---- taking

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        picked = form.get("answer") or []
        ticked = form.get("evidence") or []
        if not picked and not ticked:
            raise NoAnswer()
        if not picked:
            raise InvalidAnswer("Choose an answer to the question as well as the sentences that prove it.")
        if len(picked) > 1:
            raise InvalidAnswer("Choose one answer only.")
        choice = question.choices[chosen(tokens.item_index(picked[0]))]
        indexes = sorted({chosen(tokens.option_index(t)) for t in ticked})
        return (choice, tuple(question.passage[i] for i in indexes))  # type: ignore[return-value]

    def answer_from_json(self, stored: Any) -> Answer:
        choice, sentences = stored
        return (str(choice), tuple(str(s) for s in sentences))  # type: ignore[return-value]

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        choice, sentences = answer  # type: ignore[misc]
        return {"selected": {choice}, "sentences": set(sentences)}

    def in_words(self, question: Question, answer: Answer) -> str:
        choice, sentences = answer  # type: ignore[misc]
        proof = " ".join(f"“{s}”" for s in sentences) if sentences else "none picked"
        return f"{choice}. Evidence: {proof}"

    # ---- scoring and feedback

    def _parts_score(self, question: Question, given: Answer) -> tuple[float, int, int]:
        """Part 1's credit (0..1), and the evidence sentences ticked rightly and wrongly."""
        choice, sentences = given  # type: ignore[misc]
        first = 0.0
        if choice in question.choices and question.weights:
            first = max(0.0, question.weights[question.choices.index(choice)])
        elif choice == question.answer[0]:  # type: ignore[index]
            first = 1.0
        key = set(question.answer[1])  # type: ignore[index]
        return first, len(key & set(sentences)), len(set(sentences) - key)

    def score(self, question: Question, given: Answer) -> float:
        """Half for the answer (its weight, when the author gave weights); half for the evidence: (right
        sentences ticked − wrong ones ticked) / evidence sentences, never below 0."""
        first, right, wrong = self._parts_score(question, given)
        evidence = max(0.0, (right - wrong) / len(question.answer[1]))  # type: ignore[index, arg-type]
        return ANSWER_SHARE * first + (1 - ANSWER_SHARE) * evidence

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        return super().feedback_texts(question, given[0])  # type: ignore[index]

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        """The choices as a single choice's, then each sentence picked or proving (in text order)."""
        choice, sentences = given  # type: ignore[misc]
        key = question.answer[1]  # type: ignore[index]
        weights = question.weights or (None,) * len(question.choices)
        marks = [
            choice_mark(c, c == choice, c == question.answer[0], weights[i])  # type: ignore[index]
            for i, c in ((i, question.choices[i]) for i in item_order)
        ]
        for sentence in question.passage:
            picked, proves = sentence in sentences, sentence in key
            if picked and proves:
                marks.append(Mark(sentence, "right", "your evidence: it proves the answer"))
            elif picked:
                marks.append(Mark(sentence, "wrong", "your evidence: it does not prove the answer"))
            elif proves:
                marks.append(Mark(sentence, "missed", "missed: this sentence proves the answer"))
        return tuple(marks)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        first, right, wrong = self._parts_score(question, given)
        count = len(question.answer[1])  # type: ignore[index, arg-type]
        return (
            f"Answer: {points_text(ANSWER_SHARE * first)} of {points_text(ANSWER_SHARE)} point. Evidence: "
            f"{right} of {count} proving sentences ticked, {wrong} wrong: {worth} in all (half the point for "
            "the answer, half for the evidence; each wrong sentence takes back a right one, never below 0)."
        )

    # ---- the editor: the choice rows, and the evidence typed (or picked) one sentence a line

    def from_form(self, draft: Draft, values: Values) -> None:
        super().from_form(draft, values)
        lines = str(values.get("evidence") or "").splitlines()
        evidence = [s for line in lines for s in split_sentences(line)]
        if not evidence:
            draft.fail("evidence", "Copy the sentences that prove the answer, one a line.")
        draft.question["answer"] = {"choice": draft.question["answer"], "evidence": evidence}
        passage = [s for s in str(values.get("passage") or "").splitlines() if s.strip()]
        if passage:
            draft.question["passage"] = passage

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        choice, evidence = _parts(content)
        super().to_form({**content, "answer": choice}, values)
        values["evidence"] = "\n".join(evidence or [])
        values["passage"] = "\n".join(content.get("passage") or [])

    # ---- reports and clashes: a bar per choice, then a bar per sentence offered

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...]:
        choices = tuple((f"Answer: {c}", ("choice", c)) for c in question.choices)
        return choices + tuple((f"Evidence: {s}", ("sentence", s)) for s in question.passage)

    def picked_values(self, answer: Answer) -> tuple[Any, ...]:
        choice, sentences = answer  # type: ignore[misc]
        return (("choice", choice), *(("sentence", s) for s in sentences))

    def key_values(self, question: Question) -> tuple[Any, ...]:
        return self.picked_values(question.answer)

    def not_exportable(self, question: Question, file_format: str) -> str:
        """Moodle's formats have no such question (a single choice's rule does not apply)."""
        return QuestionKind.not_exportable(self, question, file_format)

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        return ((str(question.answer[0]),),)  # type: ignore[index]


KIND = Evidence()
