"""A whole quiz in real Chromium: every question type answered by mouse and keyboard, test and practice modes,
the feedback with its quoted source, and resuming after a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from quiz_driver import (
    ANSWER,
    TYPED,
    answer_shown_question,
    answer_single,
    expect_answered,
    one_per_type,
    save_and_next,
    shown_type,
    start_selection,
)


def _expect_position(page: Page, position: int, total: int) -> None:
    """The page is question `position` of `total`: heading and <progress> agree."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {position} of {total}")
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", str(position))
    expect(progress).to_have_attribute("max", str(total))


def test_test_mode_with_every_type_answered_right_scores_full_marks(page: Page, base_url: str) -> None:
    questions = one_per_type()
    total = len(questions)
    start_selection(page, base_url, [q["id"] for q in questions.values()], "test")
    seen = []
    for position in range(1, total + 1):
        _expect_position(page, position, total)
        seen.append(answer_shown_question(page, questions))
        save_and_next(page, position, total, enter=seen[-1] in TYPED)
    assert sorted(seen) == sorted(questions)
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/results$"))
    expect(page.locator(".score")).to_have_text(f"{total} / {total} (100%)")
    expect(page.locator(".feedback.right")).to_have_count(total)


def test_answers_survive_a_reload_mid_quiz(page: Page, base_url: str) -> None:
    questions = one_per_type()
    total = len(questions)
    start_selection(page, base_url, [q["id"] for q in questions.values()], "test")
    for position in range(1, 4):
        answered = answer_shown_question(page, questions)
        save_and_next(page, position, total, enter=answered in TYPED)
    _expect_position(page, 4, total)
    page.get_by_role("button", name="← Back").click()
    _expect_position(page, 3, total)
    expect(page.get_by_text("3 answered · Test")).to_be_visible()
    expect(page.get_by_role("link", name="Question 3, answered")).to_have_attribute("aria-current", "step")
    page.reload()
    expect_answered(page, questions[answered])
    fresh = page.context.new_page()  # a new navigation: nothing restored by the browser's form memory
    fresh.goto(page.url)
    _expect_position(fresh, 3, total)
    expect_answered(fresh, questions[answered])


def _answer_wrongly_and_check(page: Page, question: dict) -> None:
    """Pick a wrong choice, check it, and find the feedback: verdict, the key, the quoted source."""
    wrong = next(c for c in question["choices"] if c != question["answer"])
    answer_single(page, question, wrong)
    page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator(".feedback")
    expect(feedback.locator(".verdict")).to_have_text("Not right · 0 of 1 point")
    expect(feedback.locator("dt:text-is('Correct answer') + dd")).to_have_text(question["answer"])
    expect(feedback.locator("dt:text-is('Your answer') + dd")).to_have_text(wrong)
    expect(feedback.locator("blockquote.source")).to_contain_text(question["source"])
    expect(page.get_by_label(wrong, exact=True)).to_be_disabled()


def _follow_source_link(page: Page, question: dict) -> None:
    """The source link opens the article at the quoted sentence, which is on screen."""
    page.get_by_role("link", name="Read it in the article").click()
    expect(page).to_have_url(re.compile(r"/article#p\d+s\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    sentence = page.locator(f"[id='{anchor}']")
    expect(sentence).to_be_in_viewport()
    assert (sentence.text_content() or "") in question["source"]
    page.go_back()


def test_practice_mode_shows_feedback_and_the_source_of_a_wrong_answer(page: Page, base_url: str) -> None:
    questions = one_per_type()
    total = len(questions)
    start_selection(page, base_url, [q["id"] for q in questions.values()], "practice")
    for position in range(1, total + 1):
        _expect_position(page, position, total)
        qtype = shown_type(page)
        if qtype == "single_choice":
            _answer_wrongly_and_check(page, questions[qtype])
            _follow_source_link(page, questions[qtype])
        else:
            ANSWER[qtype](page, questions[qtype])
            page.get_by_role("button", name="Check my answer").click()
            full_marks = re.compile(r"^Right · (\d+) of \1 points?$")
            expect(page.locator(".feedback .verdict")).to_have_text(full_marks)
        if position < total:
            page.get_by_role("link", name="Next question →").click()
    # every answer checked is final: the last page's one way on is the score, with nothing to confirm
    expect(page.get_by_role("link", name="Finish the quiz")).to_have_count(0)
    page.get_by_role("button", name="See my score").click()
    percent = round(100 * (total - 1) / total)
    expect(page.locator(".score")).to_have_text(f"{total - 1} / {total} ({percent}%)")
    expect(page.get_by_role("button", name="Practise my 1 mistake")).to_be_visible()
