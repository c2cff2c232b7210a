"""Hints from the text in real Chromium: a practice question's first hint taken and the question answered in
a browser without JavaScript (the offer names the price before the click; the step's text and the paragraph's
link after it; the feedback says what the hint cost), and axe on the question page with the hint taken, before
and after the answer (axe needs JavaScript: the same learner's other tab). Screenshots go to
test-results/screenshots/hints-*.png."""

from __future__ import annotations

import re

from audits import serious_violations
from browsers import SHOTS
from playwright.sync_api import Browser, Page, expect
from quiz_driver import BANK_FILE, answer_single, bank_questions, start_selection

from quizapp.domain.bank import read_bank_file
from quizapp.domain.hints import HIDDEN_SENTENCE, hint_ladder
from quizapp.domain.questions import QuestionType


def single_choice_with_hints() -> tuple[dict, tuple]:
    """A single-choice bank question (as written in the file) whose ladder has step 1 with other sentences
    of its paragraph and a step after it, and its ladder."""
    bank = read_bank_file(BANK_FILE).bank
    assert bank is not None
    question = next(
        q
        for q in bank.questions
        if q.type is QuestionType.SINGLE_CHOICE
        and len(hint_ladder(q, bank.article)) >= 2
        and hint_ladder(q, bank.article)[0].text != HIDDEN_SENTENCE  # a paragraph with other sentences
    )
    return bank_questions()[question.id], hint_ladder(question, bank.article)


def test_a_hint_taken_without_javascript_then_answered(page: Page, browser: Browser, base_url: str) -> None:
    question, ladder = single_choice_with_hints()
    start_selection(page, base_url, [question["id"]], "practice")
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/1$"))
    address = page.url

    no_js = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 900})
    no_js.add_cookies(page.context.cookies())  # the same learner, in a browser without JavaScript
    phone = no_js.new_page()
    phone.goto(address)
    hints = phone.locator("#hints")
    expect(hints).to_contain_text("Where to look: after this hint the question is worth 75% of its points.")
    expect(hints).not_to_contain_text(ladder[0].text[:30])
    phone.get_by_role("button", name="Show hint 1: Where to look (the question is then worth 75%)").click()
    expect(hints).to_contain_text(ladder[0].label)
    expect(hints.locator("blockquote")).to_have_text(ladder[0].text)
    expect(hints).to_contain_text("Hint used: this question is worth 75% of its points.")
    expect(hints.get_by_role("link", name="Read this paragraph in the text")).to_have_attribute(
        "href", f"/article#{ladder[0].anchors[0]}"
    )
    second = (
        f"Show hint 2: {ladder[1].label} (the question is then worth {round(ladder[1].share_left * 100)}%)"
    )
    expect(phone.get_by_role("button", name=second)).to_be_visible()

    page.goto(address)  # axe runs in the page: the same question in the browser with JavaScript
    expect(page.locator("#hints")).to_contain_text(ladder[0].label)
    assert serious_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hints-question.png"), full_page=True)

    answer_single(phone, question)
    phone.get_by_role("button", name="Check my answer").click()
    expect(phone.locator(".feedback .verdict")).to_have_text("Right · 0.75 of 1 point · hint used: worth 75%")
    expect(phone.get_by_role("button", name=re.compile("Show hint"))).to_have_count(0)

    page.goto(address)
    expect(page.locator(".feedback .verdict")).to_contain_text("hint used: worth 75%")
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "hints-feedback.png"), full_page=True)
    no_js.close()
