"""Hints from the text: a ladder of steps a student may take in practice mode, each leaving fewer points.

The ladder (docs/hints.md) goes from where to look to the answer's sentence:
1. *Where to look*: the paragraph that holds the quoted sentence, with that sentence hidden (the student reads
   the sentences around it, or the paragraph in the text).
2. *The sentence, answer hidden*: the quoted sentence(s) with the key's words blanked.
3. *The sentence*: the quoted sentence(s) in full.

Rules, each for a reason:
- The key's words are what the question's type says states its answer (`answer_texts`: a fill-in's accepted
  answers, a number in digits and words, the right choice, the items to order, both sides of each pair).
  They are blanked wherever they occur as whole words, case and quotes ignored, by one blank of fixed length
  (blanks next to each other become one): the blank tells neither the answer's length nor its word count.
- A one-digit number next to a capitalised word (Chang'e 6, Long March-5) is part of a name, not the answer:
  it is not blanked, since a blank there would name the number.
- When none of the key's words are in the sentence (a true/false statement, a choice worded differently, a
  count), step 2 would be the sentence itself, so it is left out and step 3 says so.
- A question whose quote is not in the set's text (or whose set has no text) has no step 1; a question
  without a quote has no steps. A question imported from Moodle with hints gets its hints as its steps
  instead (its author wrote them to be taken in that order).
- Each step leaves the share of the question's points in `SHARE_LEFT` for its level, whatever steps came
  before, so the step that shows the answer's sentence always leaves a quarter (docs/hints.md, "Points").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType

from quizapp.domain.article import Article, Sentence, normalise
from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.numeric import number_spellings
from quizapp.domain.questions import Question

# The share of a question's points still earnable after a step of each level (0: no hint taken). A quarter
# per level: the cost is the same at each step and easy to say before the student asks; the last step (the
# answer's sentence) still leaves a quarter, what a blind guess among four choices earns on average, so
# reading the text never pays less than guessing, and never more than knowing.
SHARE_LEFT = MappingProxyType({0: 1.0, 1: 0.75, 2: 0.5, 3: 0.25})
WHERE, HIDDEN, SENTENCE = 1, 2, 3  # the levels of the text's steps
BLANK_TEXT = "_____"  # one blank, whatever it hides
HIDDEN_SENTENCE = "[the sentence you need]"  # stands for the quoted sentence(s) in step 1
NOT_IN_SENTENCE = (
    "The answer is not written word for word in this sentence, so there is no step with it hidden: "
    "read it closely."
)
_TAGS = re.compile(r"<[^>]*>")
_TOKENS = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")  # as domain/overlap.py compares words
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_NAME_BEFORE = re.compile(r"[A-Z][\w'\u2018\u2019]*[-\u2010\u2011 ]$")  # "Chang'e " or "March-" right before
_BLANK_RUN = re.compile(rf"{re.escape(BLANK_TEXT)}(?:\s+{re.escape(BLANK_TEXT)})+")
_HTML_FORMATS = ("html",)  # Moodle's other text formats (plain, moodle, markdown) are shown as plain text


@dataclass(frozen=True)
class HintStep:
    """One step of a question's hint ladder.

    `level` is 1 (where to look), 2 (the sentence, answer hidden), 3 (the sentence), or for an author's hint
    its place in the ladder (3 at most); `share_left` is the share of the question's points still earnable
    after taking it; `anchors` are the text's sentences it points to (for a link into the text); `format` is
    "html" for an author's hint written in HTML (clean it before showing it, like any imported text), else
    "plain".
    """

    level: int
    label: str
    text: str
    share_left: float
    anchors: tuple[str, ...] = ()
    format: str = "plain"
    note: str = ""


def hint_ladder(question: Question, article: Article | None) -> tuple[HintStep, ...]:
    """The steps a student may take on `question`, in order; () when it has none (no quote, not scored).

    `article` is the text of the question's set (None when the set has none)."""
    if not question.scored:
        return ()
    authored = author_hints(question)
    if authored:
        return authored
    if not question.source.strip():
        return ()
    phrases = key_phrases(question)
    quoted = article.find_span(question.source) if article is not None else ()
    sentence = " ".join(s.text for s in quoted) if quoted else question.source.strip()
    anchors = tuple(s.anchor for s in quoted)
    steps = [_where_to_look(article, quoted, phrases)] if article is not None and quoted else []
    hidden, blanked = blank_key(sentence, phrases)
    if blanked:
        steps.append(_step(HIDDEN, "The sentence, answer hidden", hidden, anchors))
    label = "The sentence from the text" if quoted else "The quote"
    steps.append(_step(SENTENCE, label, sentence, anchors, "" if blanked else NOT_IN_SENTENCE))
    return tuple(steps)


def _step(level: int, label: str, text: str, anchors: tuple[str, ...], note: str = "") -> HintStep:
    return HintStep(level, label, text, SHARE_LEFT[level], anchors, note=note)


def _where_to_look(article: Article, quoted: Sequence[Sentence], phrases: Sequence[str]) -> HintStep:
    """Step 1: the paragraph holding the quote, the quoted sentences hidden, the key blanked in the rest."""
    number = quoted[0].paragraph
    paragraph = article.paragraphs[number - 1]
    inside = {s.anchor for s in quoted}
    parts: list[str] = []
    for sentence in paragraph:
        if sentence.anchor not in inside:
            parts.append(blank_key(sentence.text, phrases)[0])
        elif not parts or parts[-1] != HIDDEN_SENTENCE:
            parts.append(HIDDEN_SENTENCE)
    label = f"Where to look: paragraph {number} of {len(article.paragraphs)}"
    return _step(WHERE, label, " ".join(parts), tuple(s.anchor for s in paragraph))


def offer_text(step: HintStep) -> str:
    """What a student reads before taking `step`: what it shows and what the question is then worth."""
    percent = round(step.share_left * 100)
    return f"{step.label}: after this hint the question is worth {percent}% of its points."


def author_hints(question: Question) -> tuple[HintStep, ...]:
    """The hints a question imported from Moodle XML came with (kept in `moodle["hint"]`), as ladder steps."""
    kept = question.moodle.get("hint") if isinstance(question.moodle, Mapping) else None
    hints = [h for h in kept or () if isinstance(h, dict) and str(h.get("text") or "").strip()]
    return tuple(
        HintStep(
            level=min(n, SENTENCE),
            label=f"Hint {n} of {len(hints)}",
            text=str(hint["text"]).strip(),
            share_left=SHARE_LEFT[min(n, SENTENCE)],
            format="html" if hint.get("format") in _HTML_FORMATS else "plain",
        )
        for n, hint in enumerate(hints, start=1)
    )


def key_phrases(question: Question) -> tuple[str, ...]:
    """The texts that state the answer (its type's `answer_texts`), as plain text, numbers also in words."""
    found: list[str] = []
    for clue in kind_of(question).answer_texts(question):
        for phrase in clue:
            text = html.unescape(_TAGS.sub(" ", phrase)) if question.format == "html" else phrase
            found += _spellings(normalise(text))
    return tuple(dict.fromkeys(p for p in found if _TOKENS.search(p)))


def _spellings(phrase: str) -> list[str]:
    """A number in digits and (small whole numbers) in words; any other phrase as it is."""
    return list(number_spellings(float(phrase))) if _NUMBER.match(phrase) else [phrase]


def blank_key(text: str, phrases: Iterable[str]) -> tuple[str, bool]:
    """`text` with each phrase blanked where it occurs as whole words (longest first), and whether any was."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    patterns = [_phrase_pattern(p) for p in ordered]
    if not patterns:
        return text, False
    found = False

    def blank(match: re.Match[str]) -> str:
        nonlocal found
        if len(match.group(0)) == 1 and _NAME_BEFORE.search(text[: match.start()]):
            return match.group(0)  # Chang'e 6: a digit in a name is not the answer
        found = True
        return BLANK_TEXT

    combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    blanked = combined.sub(blank, text)
    return _BLANK_RUN.sub(BLANK_TEXT, blanked), found


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regular expression over its words: any punctuation or spacing between them, quotes of
    either kind, thousands commas (2000 matches 2,000), whole words only."""
    tokens = [_token_pattern(t) for t in _TOKENS.findall(phrase)]
    return r"(?<!\w)" + r"\W*".join(tokens) + r"(?!\w)"


def _token_pattern(token: str) -> str:
    if token.isdigit() and len(token) > 3:
        head = len(token) % 3 or 3
        groups = [token[:head]] + [token[i : i + 3] for i in range(head, len(token), 3)]
        return ",?".join(groups)
    return "".join("['\u2018\u2019]" if c == "'" else re.escape(c) for c in token)


def share_left(steps_taken: Sequence[HintStep]) -> float:
    """The share of the question's points still earnable after the steps taken (1.0 when none)."""
    return min((step.share_left for step in steps_taken), default=SHARE_LEFT[0])


def points_with_hints(points: float, max_points: float, steps_taken: Sequence[HintStep]) -> float:
    """The points an answer earns after the hints taken: its `points` (of `max_points`) times the share left.

    Computed in decimals from the numbers as written (0.7 x 0.75 is 0.525, not 0.52499...) and rounded to four
    decimals, the precision scores are stored in (domain/scoring.py); pages show it through `points_text`.
    ValueError when `points` is not between 0 and `max_points`."""
    if not 0 <= points <= max_points:
        raise ValueError(f"points {points} are not between 0 and {max_points}")
    return stored_points(exact_number(points) * exact_number(share_left(steps_taken)))


def exact_number(value: float | Fraction) -> Fraction:
    """A number as the decimal it was written as (0.7 is 7/10, not 0.69999...); a Fraction as it is."""
    return value if isinstance(value, Fraction) else Fraction(Decimal(repr(float(value))))


def stored_points(value: Fraction) -> float:
    """Exact points rounded to four decimals, halves up: the precision scores are stored in."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return float(decimal.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
