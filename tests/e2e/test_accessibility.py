"""axe-core, run in real Chromium, finds no serious or critical accessibility problem on any kind of page:
home, article, sentence, 404, every question type, an answer error, practice feedback, finish, results and
'My results' (the quiz and feedback pages at a desktop's width and a phone's)."""

from __future__ import annotations

import pytest
from audits import audit, problems_of, serious_violations
from playwright.sync_api import Page, expect
from quiz_driver import (
    ANSWER,
    TYPES,
    answer_single,
    expect_question,
    one_per_type,
    save_and_next,
    shown_type,
    start_selection,
)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/article", 200), ("/article/p1s1", 200), ("/my-results", 200), ("/no-such-page", 404)],
)
def test_page_has_no_serious_violations(page: Page, base_url: str, path: str, status: int) -> None:
    response = page.goto(base_url + path)
    assert response is not None and response.status == status
    assert serious_violations(page) == []


def _duplicate_places(page: Page) -> None:
    """Give every item of an ordering question place 1 and save: the page shows the error."""
    for select in page.locator("select").all():
        select.select_option("1")
    page.get_by_role("button", name="Save and next →").click()
    expect(page.get_by_role("alert")).to_contain_text("Two items have the same position")


WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


@WIDTHS
def test_question_pages_finish_results_and_my_results(page: Page, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    questions = one_per_type()
    start_selection(page, base_url, [q["id"] for q in questions.values()], "test")
    found: dict[str, list[str]] = {}
    total = len(questions)
    for position in range(1, total):  # the last stays unanswered, so the finish page lists it
        qtype = shown_type(page)
        audit(page, qtype, found)
        if qtype == "ordering":
            _duplicate_places(page)
            audit(page, "ordering with an error", found)
        ANSWER[qtype](page, questions[qtype])
        save_and_next(page, position, total)
    audit(page, shown_type(page), found)
    page.get_by_role("button", name="Save and review my answers").click()  # the last question, left empty
    expect(page.get_by_role("alert")).to_contain_text(f"You have not answered 1 of {total} questions.")
    audit(page, "finish", found)
    page.get_by_role("button", name="Finish anyway").click()
    expect(page.locator(".score")).to_have_text(
        f"{total - 1} / {total} ({round(100 * (total - 1) / total)}%)"
    )
    audit(page, "results", found)
    page.get_by_role("link", name="My results").first.click()
    expect(page.get_by_role("link", name="Review")).to_have_count(1)
    audit(page, "my results", found)
    assert set(TYPES) <= set(found), "a question type was not audited"
    assert problems_of(found) == {}


@WIDTHS
def test_practice_feedback_right_and_wrong(page: Page, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    questions = one_per_type()
    chosen = [questions["single_choice"], questions["matching"]]
    start_selection(page, base_url, [q["id"] for q in chosen], "practice")
    found: dict[str, list[str]] = {}
    for position in (1, 2):
        qtype = shown_type(page)
        question = questions[qtype]
        if qtype == "single_choice":
            wrong = next(c for c in question["choices"] if c != question["answer"])
            answer_single(page, question, wrong)
        else:
            ANSWER[qtype](page, question)
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator(".feedback blockquote.source")).to_be_visible()
        audit(page, f"feedback on {qtype}", found)
        if position == 1:
            page.get_by_role("link", name="Next question →").click()
            expect_question(page, 2)
    assert len(found) == 2
    assert problems_of(found) == {}
