"""Classroom session rules: join codes, display names, pacing, and when an answer is still accepted.

Pure: the clock and the random source come in as arguments.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from quizapp.domain import DomainError

# No look-alikes: no 0/O, no 1/I/L.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
MAX_NAME = 30
GRACE = timedelta(seconds=3)  # network delay allowed after a time limit
MAX_FLAG_COMMENT = 300


class Pacing(StrEnum):
    """Student-paced: everyone at their own speed. Teacher-paced: one question at a time for everyone."""

    STUDENT = "student"
    TEACHER = "teacher"


def student_paced_switch(pacing: str, settings: Mapping[str, object], name: str) -> bool:
    """A session switch only student-paced sessions honour ("hints", "certainty"): on when the teacher ticked
    it; a teacher-paced class answers the board's question together, against its clock, and never gets it."""
    return pacing == Pacing.STUDENT and bool(settings.get(name))


class State(StrEnum):
    LOBBY = "lobby"
    RUNNING = "running"
    CLOSED = "closed"


class QuestionState(StrEnum):
    """A teacher-paced session's current question: answers accepted, or the answer shown."""

    OPEN = "open"
    REVEALED = "revealed"


class ExtraTime(StrEnum):
    """A student's extra time, set by the teacher (WCAG 2.2.1): their time limit multiplied, or none at all.
    Kept in the student's attempt settings under EXTRA_TIME_KEY."""

    NONE = "none"
    HALF = "1.5"
    DOUBLE = "2"
    NO_LIMIT = "no-limit"

    @property
    def words(self) -> str:
        """As the teacher's pages say it."""
        return {"none": "none", "1.5": "×1.5", "2": "×2", "no-limit": "no time limit"}[self.value]

    def extend(self, time_limit: int) -> int:
        """The time limit in seconds for a student with this extra time (0: none)."""
        if not time_limit or self is ExtraTime.NO_LIMIT:
            return 0
        if self is ExtraTime.NONE:
            return time_limit
        return int(time_limit * float(self.value))


EXTRA_TIME_KEY = "extra_time"


def extra_time_of(settings: dict[str, object]) -> ExtraTime:
    """The extra time kept in an attempt's settings (none when there is none, or an unknown value)."""
    try:
        return ExtraTime(str(settings.get(EXTRA_TIME_KEY, ExtraTime.NONE)))
    except ValueError:
        return ExtraTime.NONE


class InvalidName(DomainError):
    """A display name that cannot be used."""


class AnswerRefused(DomainError):
    """The answer came too late: the question or the session closed, or time ran out."""


def new_join_code(rng: random.Random) -> str:
    """Six characters from the alphabet without look-alikes."""
    return "".join(rng.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a student typed as a code, as stored: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def is_well_formed_code(code: str) -> bool:
    return len(code) == JOIN_CODE_LENGTH and all(c in JOIN_ALPHABET for c in code)


def clean_display_name(text: str) -> str:
    """A display name as shown: Unicode-normalised, no control or invisible characters, spaces collapsed.

    Raises InvalidName when nothing readable is left or it is too long.
    """
    text = unicodedata.normalize("NFKC", text or "")
    # control, format, unassigned characters go; whitespace controls (tab, newline) become spaces below
    text = "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    text = " ".join(text.split())
    if not any(c.isalnum() for c in text):
        raise InvalidName("Type a name with at least one letter or digit.")
    if len(text) > MAX_NAME:
        raise InvalidName(f"Use at most {MAX_NAME} characters.")
    return text


def name_key(name: str) -> str:
    """Two names that differ only in case or accents' form are the same name in a session."""
    return unicodedata.normalize("NFKC", name).casefold()


@dataclass(frozen=True)
class SessionClock:
    """What decides whether an answer is accepted, read from the session and the student's attempt."""

    state: str
    pacing: str
    position: int
    question_state: str | None
    question_opened_at: datetime | None
    attempt_started_at: datetime
    time_limit: int  # seconds; 0: none (per question when teacher-paced, for the quiz when student-paced)
    extra_time: ExtraTime = ExtraTime.NONE  # this student's (the teacher's view: none)

    def deadline(self) -> datetime | None:
        """When answers stop being accepted (before the grace), or None without a time limit. A student's
        extra time multiplies the limit (or lifts it), counted from the same start: the question's opening
        when teacher-paced, the quiz's start when student-paced."""
        limit = self.extra_time.extend(self.time_limit)
        if not limit:
            return None
        if self.pacing == Pacing.TEACHER:
            if self.question_opened_at is None:
                return None
            return self.question_opened_at + timedelta(seconds=limit)
        return self.attempt_started_at + timedelta(seconds=limit)

    def seconds_left(self, now: datetime) -> int | None:
        """Whole seconds until the deadline (0 once it passed), or None without one."""
        deadline = self.deadline()
        return None if deadline is None else max(0, int((deadline - now).total_seconds()))


def check_answer_allowed(clock: SessionClock, position: int, now: datetime) -> None:
    """Raise AnswerRefused (with a message for the student) unless an answer to `position` is accepted now."""
    if clock.state == State.CLOSED:
        raise AnswerRefused("This session is closed, so answers are no longer accepted.")
    if clock.state == State.LOBBY:
        raise AnswerRefused("The session has not started yet.")
    if clock.pacing == Pacing.TEACHER and (
        position != clock.position or clock.question_state != QuestionState.OPEN
    ):
        raise AnswerRefused("This question is closed, so your answer was not saved.")
    deadline = clock.deadline()
    if deadline is not None and now > deadline + GRACE:
        raise AnswerRefused("Time is up, so your answer was not saved.")


def still_has_time(clock: SessionClock, now: datetime) -> bool:
    """Teacher-paced, for a student with extra time who has not answered the open question: whether their
    own time (with the grace) still runs, so revealing the answer or moving on now would cut them off. Never
    for a student without extra time or a question without a time limit (the teacher decides when it ends)."""
    if (
        clock.extra_time is ExtraTime.NONE
        or not clock.time_limit
        or clock.question_state != QuestionState.OPEN
    ):
        return False
    deadline = clock.deadline()
    return deadline is None or now <= deadline + GRACE


def shared_ranks(scores: list[float]) -> list[int]:
    """The rank of each score of a list sorted best first, tied scores sharing one: 3, 2, 2, 1 -> 1, 2, 2, 4
    (as in sport; points are compared to a millionth so sums of partial credit tie when they should)."""
    ranks: list[int] = []
    for n, score in enumerate(scores):
        tied = n and round(score, 6) == round(scores[n - 1], 6)
        ranks.append(ranks[-1] if tied else n + 1)
    return ranks
