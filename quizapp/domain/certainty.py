"""Certainty-based marking (CBM), as Moodle's `qbehaviour_deferredcbm` does it (docs/hints.md, "Certainty").

With each answer the student says how sure they are: C=1 (low), C=2 (mid) or C=3 (high). A right answer
earns 1, 2 or 3 times the question's points; a wrong one 0, -2 or -6 times. A partly right answer earns its
share of the right mark (0.5 right at C=3: 1.5); only an answer worth nothing (0, within Moodle's tolerance)
takes the wrong mark.
The marks make honesty pay: high is best when the student is more than 80 % sure, mid from 2/3 (67 %) to 80 %,
low below. Moodle's sources: question/engine/behaviour/question_cbm (the table and the optimal windows) and
question/behaviour/deferredcbm/behaviourtype.php (accuracy, the CBM bonus, the break-down by certainty).

Pure: numbers in, numbers out. Marks are computed in decimals from the numbers as written and rounded to four
decimals, like stored scores (domain/scoring.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from types import MappingProxyType

from quizapp.domain.hints import exact_number as _exact
from quizapp.domain.hints import stored_points as _stored

MARK_TOLERANCE = Fraction(5, 100_000_000)  # Moodle's question_utils::MARK_TOLERANCE: at or below it is wrong
# Moodle's empirical 0.1: it roughly maximises the reliability of accuracy + bonus.
BONUS_FACTOR = Fraction(1, 10)
_NO_POINTS = 0.0000005  # Moodle leaves a question worth less than this out of the summary
_CONFIDENCE_MARGIN = 0.0000005  # Moodle's margin around an optimal window before a judgement
_SIGNIFICANT = 0.5  # Moodle's rough significance test: (distance to the window)^2 x responses > 0.5


class Certainty(IntEnum):
    """How sure the student says they are: Moodle's C=1, C=2, C=3."""

    LOW = 1
    MID = 2
    HIGH = 3


DEFAULT_CERTAINTY = Certainty.LOW  # Moodle assumes C=1 when the student chose none, and says so:
ASSUMED = "You did not say how sure you were: C=1 was used."


@dataclass(frozen=True)
class CertaintyLevel:
    """One column of Moodle's table: the marks (for a question worth 1 point) and when the level is best."""

    certainty: Certainty
    label: str
    if_right: int
    if_wrong: int
    best_from: Fraction  # the level is the best choice when the chance of being right is above this...
    best_to: Fraction  # ... and at most this


CBM_TABLE = (
    CertaintyLevel(Certainty.LOW, "C=1: not sure (less than 67%)", 1, 0, Fraction(0), Fraction(2, 3)),
    CertaintyLevel(Certainty.MID, "C=2: fairly sure (67% to 80%)", 2, -2, Fraction(2, 3), Fraction(4, 5)),
    CertaintyLevel(Certainty.HIGH, "C=3: very sure (more than 80%)", 3, -6, Fraction(4, 5), Fraction(1)),
)
# What a student reads before choosing (with the table), in Moodle's words made plainer.
ADVICE = (
    "Say how sure you are that your answer is right. If there is more than a 1 in 3 chance that you are "
    "wrong, choose C=1: it never costs you a mark. Choose C=3 only if you are more than 80% sure."
)
LEVELS = MappingProxyType({level.certainty: level for level in CBM_TABLE})


def cbm_fraction(fraction: float | Fraction, certainty: Certainty) -> Fraction:
    """Moodle's `adjust_fraction`: the CBM mark, per point, of an answer worth `fraction` (0..1) of it."""
    return _adjusted(_exact(fraction), certainty)


def _adjusted(fraction: Fraction, certainty: Certainty) -> Fraction:
    level = LEVELS[Certainty(certainty)]
    if fraction <= MARK_TOLERANCE:
        return Fraction(level.if_wrong)
    return level.if_right * fraction


def cbm_points(points: float, max_points: float, certainty: Certainty) -> float:
    """The CBM mark of an answer that earned `points` of `max_points`: Moodle's table scaled by the question's
    points (3 x max_points at most, -6 x max_points at least), rounded to four decimals.
    ValueError when `points` is not between 0 and `max_points`, or `max_points` is not positive."""
    if max_points <= 0 or not 0 <= points <= max_points:
        raise ValueError(f"points {points} are not between 0 and {max_points}")
    worth = _exact(max_points)
    return _stored(_adjusted(_exact(points) / worth, certainty) * worth)


def expected_mark(probability: float | Fraction, certainty: Certainty) -> Fraction:
    """The mark (per point) a student expects at `certainty` when right with `probability`."""
    level = LEVELS[Certainty(certainty)]
    p = _exact(probability)
    return p * level.if_right + (1 - p) * level.if_wrong


def best_certainty(probability: float | Fraction) -> Certainty:
    """The level that earns most on average when right with `probability` (0..1): high above 80 %, mid above
    2/3 up to 80 %, low otherwise (at a boundary both levels earn the same; the lower one is named)."""
    p = _exact(probability)
    return next(level.certainty for level in CBM_TABLE if p <= level.best_to)


def cbm_bonus(average_cbm: float, accuracy: float) -> float:
    """Moodle's CBM bonus: a tenth of how far the average CBM mark is above (or below) the best a student with
    this accuracy could expect at one certainty for every answer."""
    best = max(expected_mark(accuracy, level.certainty) for level in CBM_TABLE)
    return float(BONUS_FACTOR * (_exact(average_cbm) - best))


@dataclass(frozen=True)
class CbmResponse:
    """One question of a quiz with CBM: its points, what the answer earned (None: not answered) and the
    certainty given (None: none chosen, so the default, C=1)."""

    max_points: float
    points: float | None
    certainty: Certainty | None = None

    @property
    def level(self) -> Certainty:
        """The certainty the mark uses."""
        return DEFAULT_CERTAINTY if self.certainty is None else Certainty(self.certainty)

    @property
    def cbm_mark(self) -> float:
        """The CBM mark (0 when not answered)."""
        return 0.0 if self.points is None else cbm_points(self.points, self.max_points, self.level)


@dataclass(frozen=True)
class CbmFigures:
    """Moodle's figures for a set of questions: how many, the average CBM mark (per point), accuracy (the
    share right, ignoring certainty, weighted by points), the CBM bonus and accuracy + bonus."""

    questions: int
    average_cbm: float
    accuracy: float
    bonus: float

    @property
    def accuracy_and_bonus(self) -> float:
        """Accuracy plus the CBM bonus: Moodle's 'CB accuracy'."""
        return self.accuracy + self.bonus


@dataclass(frozen=True)
class CertaintyBreakdown:
    """How the answers given at one certainty went: how many, the share right (None: none) and Moodle's
    judgement against the level's optimal window (judgementok, slightlyoverconfident, overconfident,
    slightlyunderconfident, underconfident; '' when no answer was given at that level)."""

    certainty: Certainty
    responses: int
    accuracy: float | None
    judgement: str


@dataclass(frozen=True)
class CbmSummary:
    """Moodle's CBM summary of a quiz: the whole quiz, the answered questions alone (None unless some were
    left unanswered and some answered) and the break-down by certainty, high first."""

    whole_quiz: CbmFigures
    answered_only: CbmFigures | None
    by_certainty: tuple[CertaintyBreakdown, ...]


def cbm_summary(responses: Sequence[CbmResponse]) -> CbmSummary | None:
    """The summary Moodle shows at the end of a quiz with CBM; None when no question is worth any points.
    An unanswered question counts in the whole quiz's figures with nothing earned."""
    scored = [r for r in responses if r.max_points >= _NO_POINTS]
    if not scored:
        return None
    answered = [r for r in scored if r.points is not None]
    partial = answered if len(answered) not in (0, len(scored)) else None
    return CbmSummary(
        whole_quiz=_figures(scored),
        answered_only=_figures(partial) if partial else None,
        by_certainty=tuple(_breakdown(answered, c) for c in sorted(Certainty, reverse=True)),
    )


def _figures(responses: Sequence[CbmResponse]) -> CbmFigures:
    weight = sum(_exact(r.max_points) for r in responses)
    raw = sum(_exact(r.points) for r in responses if r.points is not None)
    cbm = sum(_exact(r.cbm_mark) for r in responses)
    accuracy, average = raw / weight, cbm / weight
    return CbmFigures(
        len(responses), float(average), float(accuracy), cbm_bonus(float(average), float(accuracy))
    )


def _breakdown(answered: Sequence[CbmResponse], certainty: Certainty) -> CertaintyBreakdown:
    at_level = [r for r in answered if r.level == certainty]
    if not at_level:
        return CertaintyBreakdown(certainty, 0, None, "")
    weight = sum(_exact(r.max_points) for r in at_level)
    accuracy = float(sum(_exact(r.points or 0.0) for r in at_level) / weight)
    return CertaintyBreakdown(
        certainty, len(at_level), accuracy, judgement(certainty, accuracy, len(at_level))
    )


def judgement(certainty: Certainty, accuracy: float, responses: int) -> str:
    """Moodle's word for how well `certainty` was used: the share right at that level against its optimal
    window, 'slightly' when the distance is not yet significant for that many responses."""
    level = LEVELS[Certainty(certainty)]
    low, high = float(level.best_from), float(level.best_to)
    if accuracy < low - _CONFIDENCE_MARGIN:
        return (
            "overconfident" if (accuracy - low) ** 2 * responses > _SIGNIFICANT else "slightlyoverconfident"
        )
    if accuracy > high + _CONFIDENCE_MARGIN:
        return (
            "underconfident"
            if (accuracy - high) ** 2 * responses > _SIGNIFICANT
            else "slightlyunderconfident"
        )
    return "judgementok"
