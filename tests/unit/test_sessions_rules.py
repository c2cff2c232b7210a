"""The pure rules of classroom sessions (quizapp/domain/sessions.py): join codes, display names, and when an
answer is still accepted. No app, no database: the clock and the random source are arguments.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from quizapp.domain.sessions import (
    GRACE,
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    MAX_NAME,
    AnswerRefused,
    InvalidName,
    SessionClock,
    check_answer_allowed,
    clean_display_name,
    is_well_formed_code,
    name_key,
    new_join_code,
    normalise_code,
)

T0 = datetime(2026, 3, 2, 9, 0, 0)

# ---- join codes


def test_the_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(JOIN_ALPHABET)
    assert len(set(JOIN_ALPHABET)) == len(JOIN_ALPHABET) == 31
    assert all(c.isdigit() or c.isupper() for c in JOIN_ALPHABET)
    assert set("23456789") <= set(JOIN_ALPHABET)


def test_codes_are_six_characters_of_the_alphabet_and_use_all_of_it() -> None:
    rng = random.Random(7)
    codes = [new_join_code(rng) for _ in range(2000)]
    assert all(len(code) == JOIN_CODE_LENGTH == 6 and is_well_formed_code(code) for code in codes)
    assert set("".join(codes)) == set(JOIN_ALPHABET)
    assert len(set(codes)) == len(codes)  # 31**6 codes: 2,000 draws do not repeat
    assert new_join_code(random.Random(7)) == codes[0]  # the random source decides


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("k7p3qm", "K7P3QM"),
        ("K7P 3QM", "K7P3QM"),
        ("K7P-3QM", "K7P3QM"),
        ("  k7p\t3qm\n", "K7P3QM"),
        ("k-7-p 3 q-m", "K7P3QM"),
        ("", ""),
        (None, ""),
        ("k7p_3qm", "K7P_3QM"),  # only spaces and dashes go: the rest is for is_well_formed_code to refuse
    ],
)
def test_normalise_code(typed: str | None, stored: str) -> None:
    assert normalise_code(typed) == stored  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "well_formed"),
    [
        ("K7P3QM", True),
        ("234567", True),
        ("ZZZZZZ", True),
        ("K7P3Q", False),
        ("K7P3QMM", False),
        ("K7P3Q0", False),
        ("K7P3QO", False),
        ("K7P3Q1", False),
        ("K7P3QI", False),
        ("K7P3QL", False),
        ("k7p3qm", False),  # stored codes are upper case: normalise first
        ("K7P_QM", False),
        ("", False),
    ],
)
def test_is_well_formed_code(code: str, well_formed: bool) -> None:
    assert is_well_formed_code(code) is well_formed


# ---- display names


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Li Wei", "Li Wei"),
        ("  Li   Wei  ", "Li Wei"),
        ("Li\tWei\n", "Li Wei"),
        ("Ｌｉ Ｗｅｉ", "Li Wei"),  # full-width letters: NFKC
        ("Zoe\u0308", "Zoë"),  # a combining diaeresis: composed
        ("An\u200ba", "Ana"),  # zero-width space
        ("\u200dAna\u200c\ufeff", "Ana"),  # zero-width joiner, non-joiner, byte-order mark
        ("\u202eAna\u202c", "Ana"),  # right-to-left override and its end
        ("\u2066Ana\u2069", "Ana"),  # isolates
        ("Ana\x00\x07\x1b", "Ana"),  # control characters
        ("Ana\u00ad", "Ana"),  # a soft hyphen
        ("李伟", "李伟"),
        ("Аня", "Аня"),
        ("7", "7"),
        ("<b>Bo</b>", "<b>Bo</b>"),  # text, escaped when shown
        ("x" * MAX_NAME, "x" * MAX_NAME),
        (" " + "x" * MAX_NAME + " ", "x" * MAX_NAME),  # the limit counts after trimming
    ],
)
def test_clean_display_name(typed: str, shown: str) -> None:
    assert clean_display_name(typed) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "at least one letter or digit"),
        (None, "at least one letter or digit"),
        ("     ", "at least one letter or digit"),
        ("\u200b\u200c\u200d\ufeff", "at least one letter or digit"),
        ("\u202e\u2066\u2069", "at least one letter or digit"),
        ("\x00\x07\x1b\x7f", "at least one letter or digit"),
        ("!!! ... ???", "at least one letter or digit"),
        ("😀😀", "at least one letter or digit"),
        ("x" * (MAX_NAME + 1), f"at most {MAX_NAME} characters"),
        ("Ｘ" * (MAX_NAME + 1), f"at most {MAX_NAME} characters"),
    ],
)
def test_a_name_that_is_refused(typed: str | None, message: str) -> None:
    with pytest.raises(InvalidName, match=message):
        clean_display_name(typed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Li Wei", "li wei", True),
        ("Li Wei", "LI WEI", True),
        ("Straße", "STRASSE", True),  # case folding, not lower()
        ("Ｌｉ", "li", True),
        ("Zoë", "Zoe\u0308", True),
        ("Li Wei", "Li Wei 2", False),
        ("Li Wei", "LiWei", False),
        ("Ana", "Anna", False),
    ],
)
def test_name_key(one: str, other: str, same: bool) -> None:
    assert (name_key(one) == name_key(other)) is same


# ---- when an answer is accepted


def clock(
    state: str = "running",
    pacing: str = "teacher",
    position: int = 2,
    question_state: str | None = "open",
    time_limit: int = 0,
) -> SessionClock:
    """A session's clock; the question (teacher-paced) and the attempt (student-paced) started at T0."""
    return SessionClock(state, pacing, position, question_state, T0, T0, time_limit)


def at(seconds: float) -> datetime:
    """`seconds` after T0."""
    return T0 + timedelta(seconds=seconds)


# (the clock, the question answered, when, the refusal's message or None when accepted)
ANSWERS = [
    pytest.param(clock(), 2, at(1), None, id="teacher-open-question"),
    pytest.param(clock(), 2, at(86400), None, id="teacher-no-time-limit"),
    pytest.param(clock(), 1, at(1), "This question is closed", id="teacher-earlier-question"),
    pytest.param(clock(), 3, at(1), "This question is closed", id="teacher-later-question"),
    pytest.param(
        clock(question_state="revealed"), 2, at(1), "This question is closed", id="teacher-revealed"
    ),
    pytest.param(clock(state="lobby", position=0, question_state=None), 1, at(1), "not started", id="lobby"),
    pytest.param(clock(state="closed"), 2, at(1), "session is closed", id="closed"),
    pytest.param(clock(state="closed", pacing="student"), 2, at(1), "session is closed", id="student-closed"),
    pytest.param(clock(time_limit=20), 2, at(20), None, id="teacher-at-the-limit"),
    pytest.param(clock(time_limit=20), 2, at(23), None, id="teacher-end-of-grace"),
    pytest.param(clock(time_limit=20), 2, at(23.001), "Time is up", id="teacher-after-grace"),
    pytest.param(
        clock(time_limit=20, question_state="revealed"), 2, at(5), "question is closed", id="revealed-in-time"
    ),
    pytest.param(clock(pacing="student", position=0, question_state=None), 7, at(1), None, id="student-any"),
    pytest.param(
        clock(pacing="student", position=0, question_state=None, time_limit=600),
        1,
        at(603),
        None,
        id="student-end-of-grace",
    ),
    pytest.param(
        clock(pacing="student", position=0, question_state=None, time_limit=600),
        1,
        at(604),
        "Time is up",
        id="student-after-grace",
    ),
]


@pytest.mark.parametrize(("session", "position", "now", "refusal"), ANSWERS)
def test_check_answer_allowed(
    session: SessionClock, position: int, now: datetime, refusal: str | None
) -> None:
    if refusal is None:
        check_answer_allowed(session, position, now)
    else:
        with pytest.raises(AnswerRefused, match=refusal):
            check_answer_allowed(session, position, now)


def test_the_grace_is_a_few_seconds() -> None:
    assert timedelta(seconds=3) == GRACE


def test_a_teacher_paced_limit_counts_from_the_question_a_student_paced_one_from_the_attempt() -> None:
    question_opened, attempt_started = T0 + timedelta(minutes=5), T0
    teacher = SessionClock("running", "teacher", 3, "open", question_opened, attempt_started, 30)
    student = SessionClock("running", "student", 0, None, None, attempt_started, 30)
    assert teacher.deadline() == question_opened + timedelta(seconds=30)
    assert student.deadline() == attempt_started + timedelta(seconds=30)
    check_answer_allowed(teacher, 3, question_opened + timedelta(seconds=10))  # long after the start
    assert teacher.seconds_left(question_opened + timedelta(seconds=10)) == 20
    assert student.seconds_left(attempt_started + timedelta(seconds=40)) == 0  # never below 0


def test_no_time_limit_has_no_deadline() -> None:
    assert clock().deadline() is None and clock().seconds_left(at(5)) is None
    not_opened = SessionClock("running", "teacher", 1, "open", None, T0, 30)
    assert not_opened.deadline() is None
