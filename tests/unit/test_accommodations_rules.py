"""Extra time's pure rules (domain/sessions.py): the limit a student gets, their deadline, and when a
teacher-paced question waits for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.sessions import (
    GRACE,
    AnswerRefused,
    ExtraTime,
    SessionClock,
    check_answer_allowed,
    extra_time_of,
    still_has_time,
)

OPENED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def clock(extra: ExtraTime, pacing: str = "teacher", limit: int = 30, state: str = "open") -> SessionClock:
    return SessionClock("running", pacing, 1, state, OPENED, OPENED, limit, extra)


@pytest.mark.parametrize(
    ("extra", "limit", "extended"),
    [
        (ExtraTime.NONE, 30, 30),
        (ExtraTime.HALF, 30, 45),
        (ExtraTime.DOUBLE, 30, 60),
        (ExtraTime.NO_LIMIT, 30, 0),
        (ExtraTime.DOUBLE, 0, 0),  # no limit to extend
        (ExtraTime.HALF, 25, 37),  # whole seconds
    ],
)
def test_the_limit_a_student_gets(extra: ExtraTime, limit: int, extended: int) -> None:
    assert extra.extend(limit) == extended


@pytest.mark.parametrize("pacing", ["teacher", "student"])
@pytest.mark.parametrize("extra", [ExtraTime.NONE, ExtraTime.HALF, ExtraTime.DOUBLE])
def test_the_deadline_is_the_students_own(pacing: str, extra: ExtraTime) -> None:
    own = clock(extra, pacing)
    deadline = OPENED + timedelta(seconds=extra.extend(30))
    assert own.deadline() == deadline
    check_answer_allowed(own, 1, deadline + GRACE)  # accepted up to the grace
    with pytest.raises(AnswerRefused):
        check_answer_allowed(own, 1, deadline + GRACE + timedelta(seconds=1))


def test_no_time_limit_has_no_deadline() -> None:
    own = clock(ExtraTime.NO_LIMIT)
    assert own.deadline() is None and own.seconds_left(OPENED + timedelta(hours=1)) is None
    check_answer_allowed(own, 1, OPENED + timedelta(hours=1))


def test_a_question_waits_only_for_extra_time_that_still_runs() -> None:
    later = OPENED + timedelta(seconds=40)
    assert still_has_time(clock(ExtraTime.DOUBLE), later)
    assert not still_has_time(
        clock(ExtraTime.HALF), OPENED + timedelta(seconds=45) + GRACE + timedelta(seconds=1)
    )
    assert not still_has_time(clock(ExtraTime.NONE), OPENED)  # the teacher decides, as before
    assert not still_has_time(clock(ExtraTime.DOUBLE, limit=0), later)  # no limit: nothing to wait for
    assert not still_has_time(clock(ExtraTime.DOUBLE, state="revealed"), later)
    assert still_has_time(clock(ExtraTime.NO_LIMIT), OPENED + timedelta(days=1))


@pytest.mark.parametrize(
    ("settings", "extra"),
    [({}, ExtraTime.NONE), ({"extra_time": "2"}, ExtraTime.DOUBLE), ({"extra_time": "9"}, ExtraTime.NONE)],
)
def test_extra_time_read_from_an_attempts_settings(settings: dict[str, object], extra: ExtraTime) -> None:
    assert extra_time_of(settings) is extra
