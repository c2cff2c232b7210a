"""Hints from the text on the quiz pages: which questions offer them, taking a step, the points left.

The rules are `domain/hints.py` (the ladder, the prices); this module decides where they apply and stores the
steps a learner takes (`attempt_question.hints_taken` and `hint_share`, migration 0011). Where hints apply:
a practice quiz (not a spaced-review session, not a test) on a set whose teacher left them on, and a
student-paced class session the teacher opened with hints (the switch is copied into each student's attempt
when they join: `settings.hints`); always on a question the server scores itself (a teacher marks an essay by
hand, so a share would never be applied). A teacher-paced session never offers them: the class answers the
board's question together, against its clock. The server alone applies the share: `save_answer` multiplies
the answer's points by the share stored on the slot, read in the same statement as the answer already given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import exists, select, update

from quizapp.database import is_sqlite, write_transaction
from quizapp.domain import DomainError
from quizapp.domain.hints import (
    HIDDEN_SENTENCE,
    HintStep,
    exact_number,
    hint_ladder,
    offer_text,
    stored_points,
)
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptQuestion, QuestionSet, Response
from quizapp.services import NotFound
from quizapp.services.attempt_views import AttemptView, Mode, SlotView
from quizapp.services.question_sets import set_article


class HintRefused(DomainError):
    """The step cannot be taken now (the question is answered, the quiz finished, or a step was skipped)."""


@dataclass(frozen=True)
class HintOffer:
    """A step not taken yet, as offered: its number in the ladder, its short name and its price in words."""

    number: int
    name: str
    text: str
    percent: int


@dataclass(frozen=True)
class HintPanel:
    """A question's hints as its page shows them: the steps taken (their texts), the steps still to take
    (names and prices only: their texts stay on the server), and the share of the points left."""

    taken: tuple[HintStep, ...]
    offers: tuple[HintOffer, ...]
    share_left: float
    open: bool  # steps may still be taken (not answered, quiz in progress)

    @property
    def percent_left(self) -> int:
        """The share left as a whole percentage."""
        return round(self.share_left * 100)

    @staticmethod
    def shows_text(step: HintStep) -> bool:
        """Whether the step has a text to show: step 1 of a sentence that is its whole paragraph has only
        its label (where to look) and its link."""
        return step.text.strip() != HIDDEN_SENTENCE


def hints_apply(view: AttemptView, slot: SlotView) -> bool:
    """Whether the question `slot` of `view` offers hints at all (answered or not): a practice quiz that is
    not a review session, on a set with hints on, or a class session opened with hints; and a question the
    server scores."""
    attempt = view.attempt
    if not slot.question.kind.auto_scored:
        return False
    if attempt.session_id is not None:
        return bool(attempt.settings.get("hints"))
    return attempt.mode == Mode.PRACTICE and not attempt.settings.get("review") and attempt.question_set.hints


def slot_ladder(view: AttemptView, slot: SlotView) -> tuple[HintStep, ...]:
    """The steps question `slot` offers in `view` (() where hints do not apply or it has none)."""
    if not hints_apply(view, slot):
        return ()
    return hint_ladder(slot.question, set_article(view.attempt.question_set))


def step_name(step: HintStep) -> str:
    """A step's name without what it tells: step 1's label names the paragraph ("Where to look: paragraph 4
    of 19"), which is the hint itself, so its offer says only "Where to look"."""
    return step.label.split(":", 1)[0]


def hint_panel(view: AttemptView, slot: SlotView) -> HintPanel | None:
    """What the question's page shows of its hints; None when it has none (or they do not apply)."""
    ladder = slot_ladder(view, slot)
    if not ladder:
        return None
    taken = ladder[: slot.hints_taken]
    offers = tuple(
        HintOffer(
            n, step_name(step), offer_text(replace(step, label=step_name(step))), round(step.share_left * 100)
        )
        for n, step in enumerate(ladder[slot.hints_taken :], start=slot.hints_taken + 1)
    )
    is_open = not slot.answered and not view.finished
    return HintPanel(taken, offers if is_open else (), slot.hint_share, is_open)


def take_hint(view: AttemptView, position: int, number: int) -> HintStep:
    """Take step `number` of question `position`'s ladder (the next one; a step already taken is shown again,
    so a second click changes nothing) and store the share of the points it leaves.

    Raises NotFound where hints do not apply (or there is no such step), HintRefused when the question is
    answered, the quiz finished, or `number` skips a step."""
    slot = view.slot(position)
    ladder = slot_ladder(view, slot)
    if not 1 <= number <= len(ladder):
        raise NotFound(f"hint {number}")
    step = ladder[number - 1]
    if number <= slot.hints_taken:
        return step
    if number != slot.hints_taken + 1:
        raise HintRefused(f"Take the hints in order: the next one is hint {slot.hints_taken + 1}.")
    if slot.answered or view.finished:
        raise HintRefused(ANSWERED)
    share = min(slot.hint_share, step.share_left)
    with write_transaction():
        _hold_attempt(view.attempt.id)  # an answer being saved for the same attempt waits, or is waited for
        taken = db.session.execute(
            update(AttemptQuestion)
            .where(
                AttemptQuestion.id == slot.slot_id,
                AttemptQuestion.hints_taken == number - 1,
                ~exists().where(Response.slot_id == slot.slot_id),
                exists().where(Attempt.id == view.attempt.id, Attempt.state == "in_progress"),
            )
            .values(hints_taken=number, hint_share=share)
        )
        if taken.rowcount != 1:  # another click took it since the page was read, or the answer came
            already = db.session.scalar(
                select(AttemptQuestion.hints_taken).where(AttemptQuestion.id == slot.slot_id)
            )
            if (already or 0) < number:
                raise HintRefused(ANSWERED)
    return step


ANSWERED = "This question is answered, so a hint can no longer change its points: it is not taken."


def _hold_attempt(attempt_id: int) -> None:
    """On PostgreSQL, lock the attempt's row against `save_answer`'s key-share lock (SQLite's write
    transactions already run one at a time)."""
    session = db.session()
    if not is_sqlite(session.get_bind()):
        session.execute(select(Attempt.id).where(Attempt.id == attempt_id).with_for_update())


def points_after_hints(points: float, share: float) -> float:
    """An answer's points (of 1) after hints that left `share` of them: as `domain.hints.points_with_hints`,
    exact from the numbers as written, rounded to four decimals."""
    if share >= 1.0:
        return points
    return stored_points(exact_number(points) * exact_number(share))


def set_switches(
    question_set: QuestionSet, *, hints: bool | None = None, certainty_marking: bool | None = None
) -> None:
    """Turn the set's hints from the text (practice) and its certainty-based marking on or off (None: as it
    is); its quizzes follow from their next page. Writes only what changes."""
    changes = {
        name: on
        for name, on in (("hints", hints), ("certainty_marking", certainty_marking))
        if on is not None and getattr(question_set, name) != on
    }
    if not changes:
        return
    with write_transaction():
        db.session.execute(update(QuestionSet).where(QuestionSet.id == question_set.id).values(**changes))
    db.session.refresh(question_set)
