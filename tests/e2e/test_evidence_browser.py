"""'Answer and evidence' in real Chromium, in the three flows: self-study with JavaScript (the sentences
clicked in the text, one by keyboard) and without it (a checkbox per sentence), a share link on a phone
(tapping sentences), and a class session (projector and student).
axe-core finds no serious or critical problem."""

from __future__ import annotations

import os
import re

from audits import serious_violations
from browsers import LAPTOP, PHONE, new_context
from classroom_pages import answer_anything, class_of_one
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from quiz_driver import expect_question, save_and_next, start_selection
from teacher_pages import copy_from_bank, create_set, register, share, start_shared_test

from quizapp.domain.bank import read_bank_file
from quizapp.domain.points import points_text
from quizapp.domain.questions import Question
from quizapp.paths import resource_root

ROOT = resource_root()
SHOTS = ROOT / "test-results" / "screenshots"
DOCS_IMG = ROOT / "docs" / "img"


def evidence_questions() -> dict[str, Question]:
    """The bank's evidence questions as built (evidence anchors read as the article's sentences), by id."""
    bank = read_bank_file(ROOT / "questions" / "article-bank.yaml").bank
    assert bank is not None
    return {q.id: q for q in bank.questions if q.type == "evidence"}


def by_prompt(page: Page) -> Question:
    prompt = (page.locator("legend.prompt").first.text_content() or "").strip()
    return next(q for q in evidence_questions().values() if q.prompt == prompt)


def click_evidence(page: Page, question: Question, stray: bool = False, tap: bool = False) -> None:
    """Choose the right answer, then click (or tap) each evidence sentence in the text, and a stray one."""
    page.get_by_label(question.answer[0], exact=True).check()
    sentences = list(question.answer[1])
    if stray:
        sentences.append(next(s for s in question.passage if s not in question.answer[1]))
    for sentence in sentences:
        button = page.get_by_role("button", name=sentence, exact=True)
        button.tap() if tap else button.click()
        expect(button).to_have_attribute("aria-pressed", "true")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    if os.environ.get("QUIZAPP_DOCS_SCREENSHOTS"):  # the docs' pictures change only when asked
        page.screenshot(path=DOCS_IMG / f"{name}.png", full_page=True)


def test_self_study_clicking_sentences_and_one_by_keyboard_on_a_phone(page: Page, base_url: str) -> None:
    question = evidence_questions()["evidence-samples-studied-abroad"]
    page.set_viewport_size(PHONE)
    start_selection(page, base_url, [question.id], "practice")
    expect_question(page, 1)
    expect(page.locator(".evidence-list")).to_be_hidden()  # the paragraph of sentences replaces the list
    found = {"question": serious_violations(page)}
    first, second = question.answer[1]
    page.get_by_label(question.answer[0], exact=True).check()
    page.get_by_role("button", name=first, exact=True).click()
    page.get_by_role("button", name=second, exact=True).focus()
    page.keyboard.press("Enter")
    stray = page.get_by_role("button", name=question.passage[0], exact=True)
    stray.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Space")  # and out again
    expect(stray).to_have_attribute("aria-pressed", "false")
    for sentence in (first, second):
        expect(page.get_by_role("button", name=sentence, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "evidence-question-phone")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("p.verdict")).to_contain_text("Right")
    expect(page.get_by_text("your evidence: it proves the answer")).to_have_count(2)
    found["feedback"] = serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "evidence-feedback-phone")
    assert {name: problems for name, problems in found.items() if problems} == {}


def violations_as_shown(browser: Browser, page: Page) -> list[str]:
    """axe-core's serious problems on a page as a browser without JavaScript shows it (axe needs JavaScript:
    it audits the same HTML, its scripts taken out, in a page that runs it)."""
    shown = re.sub(r"<script\b[^>]*>.*?</script>|<link\b[^>]*>", "", page.content(), flags=re.S)
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")  # inline: no request to drop
    shown = shown.replace("</head>", f"<style>{css}</style></head>", 1)
    context = browser.new_context(viewport=LAPTOP)
    try:
        audit = context.new_page()
        audit.set_content(shown)
        expect(audit.locator(".evidence-list")).to_be_visible()  # the checkboxes, not the paragraph
        return serious_violations(audit)
    finally:
        context.close()


def test_self_study_without_javascript_ticks_sentences(browser: Browser, base_url: str) -> None:
    context = new_context(browser, LAPTOP, js=False)
    try:
        page = context.new_page()
        page.goto(base_url)  # the home form, as it works without JavaScript
        expect(page.locator('input[name="mode"][value="practice"]')).to_be_checked()  # the default
        page.get_by_label("Number of questions").fill("1")
        page.get_by_text("Choose topics, difficulty and question types (optional)").click()
        page.get_by_label("Answer and evidence", exact=True).check()
        page.get_by_role("button", name="Start the quiz").click()
        expect_question(page, 1)
        question = by_prompt(page)
        group = page.get_by_role("group", name="Which sentences prove it?")
        expect(group.get_by_role("checkbox")).to_have_count(len(question.passage))
        found = {"question without JavaScript": violations_as_shown(browser, page)}
        page.get_by_label(question.answer[0], exact=True).check()
        stray = next(s for s in question.passage if s not in question.answer[1])
        for sentence in (*question.answer[1], stray):
            group.get_by_label(sentence, exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        n = len(question.answer[1])
        points = 0.5 + 0.5 * (n - 1) / n
        expect(page.locator("p.verdict")).to_contain_text(f"Partly right · {points_text(points)} of 1 point")
        expect(page.get_by_text(f"{n} of {n} proving sentences ticked, 1 wrong")).to_be_visible()
        expect(page.get_by_text("your evidence: it does not prove the answer")).to_be_visible()
        found["feedback without JavaScript"] = violations_as_shown(browser, page)
    finally:
        context.close()
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_share_link_test_on_a_phone_by_tapping(page: Page, browser: Browser, base_url: str) -> None:
    questions = evidence_questions()
    ids = ["evidence-flag-report-source", "evidence-congratulations-customary"]  # 1 and 2 proving sentences
    found: dict[str, list[str]] = {}
    register(page, base_url)
    create_set(page)
    copy_from_bank(page, ids, found)
    link = share(page)
    student = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = student.new_page()
        start_shared_test(phone, link, 2)
        expect_question(phone, 1)
        found["question on a phone"] = serious_violations(phone)
        click_evidence(phone, by_prompt(phone), stray=True, tap=True)
        save_and_next(phone, 1, 2)
        click_evidence(phone, by_prompt(phone), tap=True)
        save_and_next(phone, 2, 2)
        strays = {q.id: len(q.answer[1]) for q in questions.values() if q.id in ids}
        assert sorted(strays.values()) == [1, 2]
        expect(phone.locator(".score")).to_contain_text(re.compile(r"(1\.5|1\.75) / 2"))
        expect(phone.get_by_text("your evidence: it does not prove the answer")).to_be_visible()
        found["results"] = serious_violations(phone)
    finally:
        student.close()
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_class_session_with_an_evidence_question(browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    with class_of_one(browser, base_url, "Answer and evidence") as (teacher, student):
        board = teacher.locator(".board")
        expect(board.get_by_role("heading", name="Then: which sentences prove it?")).to_be_visible()
        found["projector"] = serious_violations(teacher)
        expect(student.get_by_role("button", name="Send my answer")).to_be_visible(timeout=TIMEOUT_MS)
        question = by_prompt(student)
        found["student question"] = serious_violations(student)
        click_evidence(student, question)
        student.get_by_role("button", name="Send my answer").click()
        expect(student.locator("p.waiting")).to_contain_text("Answer saved")
        expect(teacher.locator(".board-count")).to_contain_text("1 of 1 answered")
        teacher.get_by_role("button", name="Reveal the answer").click()
        expect(student.locator("p.verdict")).to_contain_text("Right!")
        found["student revealed"] = serious_violations(student)
        found["projector revealed"] = serious_violations(teacher)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_class_tests_helper_answers_an_evidence_question_with_javascript(
    browser: Browser, base_url: str
) -> None:
    """`answer_anything` (the class tests' student, any question type) ticks evidence through the sentence
    buttons the script puts in place of the hidden checkbox list (a class test drew one and timed out)."""
    with class_of_one(browser, base_url, "Answer and evidence") as (_teacher, student):
        expect(student.locator(".evidence-text .sentence").first).to_be_visible(timeout=TIMEOUT_MS)
        answer_anything(student, 1)
        expect(student.locator("p.waiting")).to_contain_text("Answer saved")
