"""Spaced review of what a learner missed: the rating an answer gives, the next time a question comes back
(FSRS, through the `fsrs` package), and the passage around the sentence a question quotes.

Time comes in as an argument (naive UTC, as the database keeps it); nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from fsrs import Card, Rating, Scheduler, State

from quizapp.domain.article import Article, Sentence
from quizapp.domain.scoring import is_correct

# FSRS-6's default weights and steps: a missed question comes back after 1 minute, then 10 minutes, then
# days; a question missed again after it was learned comes back after 10 minutes. Desired retention 90 %.
# No fuzzing: it would need randomness, and the same answers must give the same schedule (tests, replays).
SCHEDULER = Scheduler(desired_retention=0.9, enable_fuzzing=False)


class Outcome(StrEnum):
    """How an answer went, in the learner's words."""

    WRONG = "wrong"
    PARTIAL = "partial"
    RIGHT = "right"


def outcome_of(points: float) -> Outcome:
    """An answer's outcome from the points it earned (of 1)."""
    if is_correct(points):
        return Outcome.RIGHT
    return Outcome.PARTIAL if points > 0 else Outcome.WRONG


def rating_for(points: float) -> Rating:
    """The FSRS rating an answer earns.

    A wrong answer is Again: the learner did not recall it. A partly right one is Hard: they recalled some of
    it, with errors, so it comes back sooner than a right one but is not a lapse. A right one is Good. Easy is
    never given: a quiz answer does not tell how effortless the recall was.
    """
    return {Outcome.WRONG: Rating.Again, Outcome.PARTIAL: Rating.Hard, Outcome.RIGHT: Rating.Good}[
        outcome_of(points)
    ]


@dataclass(frozen=True)
class Schedule:
    """A card's FSRS state, as stored (naive UTC times) plus how often it was reviewed and forgotten."""

    due: datetime
    stability: float | None = None
    difficulty: float | None = None
    state: int = State.Learning.value
    step: int | None = 0
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def review(schedule: Schedule | None, points: float, at: datetime) -> Schedule:
    """The schedule after an answer worth `points` given at `at` (naive UTC); None: the question's first
    answer to count (it opens the card)."""
    if schedule is None:
        schedule = Schedule(due=at)
    card = Card(
        card_id=0,  # fsrs makes one from the clock (and sleeps a millisecond) when none is given
        state=State(schedule.state),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=_aware(schedule.due),
        last_review=_aware(schedule.last_review),
    )
    rating = rating_for(points)
    card, _ = SCHEDULER.review_card(card, rating, _aware(at))
    forgotten = rating == Rating.Again and schedule.state == State.Review.value
    return Schedule(
        due=_naive(card.due),
        stability=card.stability,
        difficulty=card.difficulty,
        state=card.state.value,
        step=card.step,
        last_review=_naive(at),
        reps=schedule.reps + 1,
        lapses=schedule.lapses + (1 if forgotten else 0),
    )


@dataclass(frozen=True)
class Passage:
    """The sentence(s) a question quotes with the sentence before and after them in the text."""

    before: Sentence | None
    quoted: tuple[Sentence, ...]
    after: Sentence | None

    @property
    def anchor(self) -> str:
        """The first quoted sentence's anchor (e.g. p3s2)."""
        return self.quoted[0].anchor


def passage(article: Article | None, quote: str | None) -> Passage | None:
    """Where `quote` lies in `article`, with its neighbours; None when it is not in the text."""
    found = article.find_span(quote) if article and quote else ()
    if not found or article is None:
        return None
    sentences = article.sentences
    first, last = sentences.index(found[0]), sentences.index(found[-1])
    return Passage(
        before=sentences[first - 1] if first > 0 else None,
        quoted=found,
        after=sentences[last + 1] if last + 1 < len(sentences) else None,
    )


def due_in_words(due: datetime, now: datetime) -> str:
    """When something is due, relative to `now`: 'now', 'in 10 minutes', 'in 3 days'."""
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return "now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'s' if n != 1 else ''}"
    return "in less than a minute"
