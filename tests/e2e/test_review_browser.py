"""Spaced review in real Chromium: a question missed in a practice quiz comes back an hour later, from the
home page's "Review now (1 due)", answered in a browser without JavaScript, with the sentence it quotes among
its neighbours; the review page and the progress charts pass axe (which needs JavaScript: run in the same
learner's other tab). Screenshots go to pytest's tmp folder (printed)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from audits import serious_violations
from playwright.sync_api import Browser, Page, expect
from quiz_driver import answer_single, one_per_type, start_selection

from quizapp.models import utc_now


def _miss_one(page: Page, base_url: str) -> dict:
    """A practice quiz of one single-choice question, answered wrongly and finished; the question."""
    question = one_per_type()["single_choice"]
    start_selection(page, base_url, [question["id"]], "practice")
    answer_single(page, question, next(c for c in question["choices"] if c != question["answer"]))
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("button", name="See my score").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    return question


def test_a_missed_question_comes_back_for_review(
    page: Page, browser: Browser, base_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    question = _miss_one(page, base_url)
    page.goto(base_url + "/")
    expect(page.locator("#review-due + p")).to_contain_text("The next question comes back in")

    monkeypatch.setattr("quizapp.web.review.utc_now", lambda: utc_now() + timedelta(hours=1))
    no_js = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 900})
    no_js.add_cookies(page.context.cookies())  # the same learner, in a browser without JavaScript
    review = no_js.new_page()
    review.goto(base_url + "/")
    review.screenshot(path=str(tmp_path / "home.png"))
    page.goto(base_url + "/")
    expect(page.get_by_role("button", name="Review now (1 due)")).to_be_visible()
    assert serious_violations(page) == []
    review.get_by_role("button", name="Review now (1 due)").click()
    expect(review.get_by_role("heading", level=1)).to_have_text("Review: question 1 of 1")
    answer_single(review, question)
    review.get_by_role("button", name="Check my answer").click()

    feedback = review.locator(".feedback")
    expect(feedback.locator(".verdict")).to_have_text("Right · 1 of 1 point")
    context = review.locator("section.passage")
    expect(context.locator("mark")).to_contain_text(question["source"][:40])
    expect(context.get_by_role("link", name="This sentence and its questions")).to_be_visible()
    expect(review.locator(".next-due")).to_contain_text("This question comes back")
    page.goto(review.url)  # axe runs in the page: the same review in the browser with JavaScript
    expect(page.locator("section.passage mark")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    review.get_by_role("button", name="Finish the review").click()
    expect(review.get_by_role("heading", level=1)).to_have_text("Review finished")
    page.goto(base_url + "/review/progress")
    expect(page.locator("svg.day-line").first).to_be_visible()
    expect(page.get_by_role("heading", name="By passage, day by day")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)
    print(tmp_path)
    no_js.close()
