"""Spaced review's rules: the rating an answer earns, the schedule it gives at fixed times, the passage
around a quoted sentence, and due times in words."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fsrs import Rating, State

from quizapp.domain.article import parse_article
from quizapp.domain.review import Outcome, due_in_words, outcome_of, passage, rating_for, review

T0 = datetime(2027, 3, 1, 9, 0)


@pytest.mark.parametrize(
    ("points", "outcome", "rating"),
    [
        (0.0, Outcome.WRONG, Rating.Again),
        (0.25, Outcome.PARTIAL, Rating.Hard),
        (0.99, Outcome.PARTIAL, Rating.Hard),
        (1.0, Outcome.RIGHT, Rating.Good),
        (0.99995, Outcome.RIGHT, Rating.Good),  # rounding of partial credits that add up to the point
    ],
)
def test_an_answer_gives_its_rating(points: float, outcome: Outcome, rating: Rating) -> None:
    assert outcome_of(points) is outcome
    assert rating_for(points) is rating


def test_a_first_miss_comes_back_after_the_first_learning_step() -> None:
    schedule = review(None, 0.0, T0)

    assert schedule.due == T0 + timedelta(minutes=1)
    assert schedule.state == State.Learning.value
    assert schedule.reps == 1 and schedule.lapses == 0
    assert schedule.last_review == T0
    assert schedule.due.tzinfo is None  # stored as naive UTC, like every time in the database


def test_a_partly_right_first_answer_waits_longer_than_a_wrong_one() -> None:
    assert review(None, 0.5, T0).due > review(None, 0.0, T0).due


def test_right_answers_space_the_reviews_out_and_a_miss_brings_it_back() -> None:
    schedule = review(None, 0.0, T0)
    gaps = []
    for _ in range(4):
        at = schedule.due
        schedule = review(schedule, 1.0, at)
        gaps.append(schedule.due - at)
    assert schedule.state == State.Review.value
    assert gaps == sorted(gaps) and gaps[-1] > timedelta(days=1)

    forgotten = review(schedule, 0.0, schedule.due)

    assert forgotten.state == State.Relearning.value
    assert forgotten.lapses == 1
    assert forgotten.due == schedule.due + timedelta(minutes=10)


def test_the_same_answers_give_the_same_schedule() -> None:
    first = review(review(None, 0.0, T0), 1.0, T0 + timedelta(hours=2))
    again = review(review(None, 0.0, T0), 1.0, T0 + timedelta(hours=2))

    assert first == again


ARTICLE = parse_article("Title\nOne. Two is here. Three.\nFour follows. Five.")


def test_a_passage_has_the_sentences_before_and_after_across_paragraphs() -> None:
    found = passage(ARTICLE, "Three.")

    assert found is not None
    assert [s.text for s in found.quoted] == ["Three."]
    assert found.before is not None and found.before.text == "Two is here."
    assert found.after is not None and found.after.text == "Four follows."
    assert found.anchor == "p1s3"


def test_a_passage_at_the_start_has_nothing_before() -> None:
    found = passage(ARTICLE, "One. Two is here.")

    assert found is not None and found.before is None
    assert [s.anchor for s in found.quoted] == ["p1s1", "p1s2"]


@pytest.mark.parametrize("quote", ["Not in the text.", "", None])
def test_a_quote_not_in_the_text_has_no_passage(quote: str | None) -> None:
    assert passage(ARTICLE, quote) is None
    assert passage(None, "One.") is None


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=-5), "now"),
        (timedelta(seconds=30), "in less than a minute"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(minutes=10), "in 10 minutes"),
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(days=3, hours=2), "in 3 days"),
    ],
)
def test_due_in_words(offset: timedelta, words: str) -> None:
    assert due_in_words(T0 + offset, T0) == words
