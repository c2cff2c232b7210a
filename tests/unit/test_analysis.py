"""Item analysis against values computed by hand for a small fixed class."""

from __future__ import annotations

import pytest

from quizapp.domain.analysis import (
    ItemScore,
    item_analysis,
    score_distribution,
    sentence_facility,
    student_totals,
)

# Six students, three questions. q1 separates strong from weak; q2 is answered right by the WEAK students
# only (a wrong key would look like this); q3 everybody gets right.
CLASS = {
    "ana": {"q1": 1.0, "q2": 0.0, "q3": 1.0},
    "ben": {"q1": 1.0, "q2": 0.0, "q3": 1.0},
    "cai": {"q1": 1.0, "q2": 0.0, "q3": 1.0},
    "dev": {"q1": 0.5, "q2": 0.0, "q3": 1.0},
    "eli": {"q1": 0.0, "q2": 1.0, "q3": 1.0},
    "fay": {"q1": 0.0, "q2": 1.0, "q3": 1.0},
}
SCORES = [
    ItemScore(s, q, p, "right" if p == 1 else "wrong") for s, items in CLASS.items() for q, p in items.items()
]


def stats_by_id() -> dict:
    return {s.question_id: s for s in item_analysis(SCORES, ["q1", "q2", "q3"])}


def test_totals_rank_the_class() -> None:
    assert student_totals(SCORES) == {"ana": 2.0, "ben": 2.0, "cai": 2.0, "dev": 1.5, "eli": 2.0, "fay": 2.0}


def test_facility_is_the_mean_fraction_in_percent() -> None:
    stats = stats_by_id()
    assert stats["q1"].facility == pytest.approx(100 * 3.5 / 6, abs=0.01)  # 58.33
    assert stats["q2"].facility == pytest.approx(100 * 2 / 6, abs=0.01)
    assert stats["q3"].facility == 100.0


def test_standard_deviation_is_the_sample_sd_in_percent() -> None:
    # q1 fractions 1,1,1,.5,0,0: mean .5833, squared deviations sum 1.2083, /5 = .24167, sqrt = .4916
    assert stats_by_id()["q1"].standard_deviation == pytest.approx(49.16, abs=0.01)
    assert stats_by_id()["q3"].standard_deviation == 0.0


def test_discrimination_compares_the_top_and_bottom_thirds() -> None:
    # Ranked by total (ties by name): ana ben cai eli fay (2.0) then dev (1.5). Thirds of 2:
    # top = ana, ben; bottom = fay, dev. q1: top 2, bottom 0.5 -> (2 - 0.5)/2 = 0.75.
    # q2: top 0, bottom 1 -> -0.5 (negative: flagged). q3: 2 - 2 -> 0.
    stats = stats_by_id()
    assert stats["q1"].discrimination == 0.75
    assert stats["q2"].discrimination == -0.5
    assert stats["q3"].discrimination == 0.0


def test_flags_name_what_a_teacher_should_look_at() -> None:
    stats = stats_by_id()
    assert stats["q1"].flags == ()
    assert "discriminates negatively: check the key and the wording" in stats["q2"].flags
    assert "too easy" in stats["q3"].flags


def test_answer_distribution_counts_each_answer_most_common_first() -> None:
    assert stats_by_id()["q2"].answers == (("wrong", 4), ("right", 2))


def test_fewer_than_three_students_have_no_discrimination_index() -> None:
    (stats,) = item_analysis([ItemScore("a", "q", 1.0), ItemScore("b", "q", 0.0)], ["q"])
    assert stats.discrimination is None
    assert stats.facility == 50.0


def test_a_question_nobody_answered_has_no_flags() -> None:
    (stats,) = item_analysis([], ["q"])
    assert (stats.students, stats.facility, stats.flags) == (0, 0.0, ())


@pytest.mark.parametrize(
    ("percentages", "expected"),
    [([0, 9.9, 10, 55, 99.9, 100], [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]), ([], [0] * 10)],
)
def test_score_distribution_bands(percentages: list[float], expected: list[int]) -> None:
    assert score_distribution(percentages) == expected


def test_sentence_facility_averages_the_questions_it_grounds() -> None:
    shading = sentence_facility(
        {"p1s1": ["q1", "q3"], "p2s1": ["q9"], "p3s1": []}, item_analysis(SCORES, ["q1", "q3"])
    )
    assert shading == {"p1s1": pytest.approx((58.33 + 100) / 2, abs=0.01), "p2s1": None, "p3s1": None}
