"""Hints from the text in real Chromium: a practice question's first hint taken and the question answered in
a browser without JavaScript (the offer names the price before the click; the step's text and the paragraph's
link after it; the feedback says what the hint cost), and axe on the question page with the hint taken, before
and after the answer (axe needs JavaScript: the same learner's other tab); certainty-based marking on a
teacher's shared set (the set's form, the question asking how sure, the results' figures), axe on each.
Screenshots go to test-results/screenshots/hints-*.png."""

from __future__ import annotations

import re

from audits import problems_of, serious_violations
from browsers import PHONE, SHOTS, new_context, overflow
from playwright.sync_api import Browser, Page, expect
from quiz_driver import BANK_FILE, answer_single, bank_questions, start_selection
from teacher_pages import SET_TEXT, register, share

from quizapp.domain.bank import read_bank_file
from quizapp.domain.hints import HIDDEN_SENTENCE, hint_ladder
from quizapp.domain.questions import QuestionType

QUOTING_SET_TEXT = (
    "flag-event-shared-by-china-daily"  # a single-choice bank question on teacher_pages.SET_TEXT
)


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

    no_js = new_context(browser, PHONE, phone=True, js=False)  # a phone without JavaScript
    no_js.add_cookies(page.context.cookies())  # the same learner, in a browser without JavaScript
    phone = no_js.new_page()
    phone.goto(address)
    SHOTS.mkdir(parents=True, exist_ok=True)
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
    assert overflow(phone) == 0  # the long hint button wraps on a phone
    phone.screenshot(path=str(SHOTS / "hints-phone.png"), full_page=True)

    page.goto(address)  # axe runs in the page: the same question in the browser with JavaScript
    expect(page.locator("#hints")).to_contain_text(ladder[0].label)
    assert serious_violations(page) == []
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


def test_certainty_based_marking_on_a_teachers_shared_set(
    page: Page, browser: Browser, base_url: str
) -> None:
    found: dict[str, list[str]] = {}
    register(page, base_url)
    page.get_by_role("link", name="New set").click()
    page.get_by_label("Title").fill("The flag, with certainty")
    page.get_by_label("Source text (optional)").fill(SET_TEXT)
    page.get_by_label("Certainty-based marking").check()
    found["set form"] = serious_violations(page)
    page.get_by_role("button", name="Create the set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The flag, with certainty")
    page.get_by_role("link", name="Copy from the article's bank").click()
    page.locator(f'input[name="question_ids"][value="{QUOTING_SET_TEXT}"]').check()
    page.get_by_role("button", name="Copy the ticked questions").click()
    expect(page.get_by_role("status")).to_have_text("1 question copied.")
    link = share(page)

    student = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    student.goto(link)
    student.get_by_role("button", name="Start the quiz").click()
    certainty = student.get_by_role("group", name="How sure are you?")
    expect(certainty).to_contain_text("Choose C=3 only if you are more than 80% sure.")
    expect(certainty.get_by_role("table")).to_contain_text("Mark if wrong")
    found["question with certainty"] = serious_violations(student)
    SHOTS.mkdir(parents=True, exist_ok=True)
    student.screenshot(path=str(SHOTS / "hints-cbm-question.png"), full_page=True)

    answer_single(student, bank_questions()[QUOTING_SET_TEXT])
    certainty.get_by_label("C=2: fairly sure (67% to 80%)").check()
    student.get_by_role("button", name="Check my answer").click()
    expect(student.locator(".feedback .cbm-mark")).to_have_text("Certainty C=2 · CBM mark 2")
    student.get_by_role("button", name="See my score").click()
    expect(student.get_by_role("heading", name="Certainty-based marking")).to_be_visible()
    found["results with certainty"] = serious_violations(student)
    student.screenshot(path=str(SHOTS / "hints-cbm-results.png"), full_page=True)
    student.set_viewport_size({"width": 360, "height": 800})  # a small phone: the tables scroll, not the page
    assert overflow(student) == 0
    assert problems_of(found) == {}
    student.context.close()
