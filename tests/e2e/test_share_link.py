"""A shared set in real Chromium: a teacher registers, creates a set on a pasted text, copies three questions
from the article's bank and turns its share link on; a student, in a browser of their own with no account,
opens the link, takes a test quiz to the end and sees the results, with the quote linked to the set's text.
axe-core finds no serious or critical problem on the dashboard, the set page, the copy page and the share
page.
"""

from __future__ import annotations

import re

from audits import serious_violations
from browsers import overflow
from playwright.sync_api import Browser, Page, expect
from quiz_driver import ANSWER, Question, bank_questions, expect_question, save_and_next, shown_type
from teacher_pages import copy_from_bank, create_set, register, share

FLAG_QUESTION = "flag-event-shared-by-china-daily"  # quotes the two sentences pasted as the set's text


def chosen_questions() -> dict[str, Question]:
    """Three bank questions of different types, by type: the flag question, a true-or-false and a numeric."""
    bank = bank_questions()
    chosen = {"single_choice": bank[FLAG_QUESTION]}
    for qtype in ("true_false", "numeric"):
        chosen[qtype] = next(q for q in bank.values() if q["type"] == qtype)
    return chosen


def take_test(
    page: Page, link: str, questions: dict[str, Question], found: dict[str, list[str]], named: bool = False
) -> None:
    """As a student: open the link (unless already there, `named`), start a test of every question, answer
    each one right."""
    if not named:
        page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("The flag on the far side")
    found["share page"] = serious_violations(page)
    page.get_by_label("Test: see your score and the answers at the end").check()
    page.get_by_label("Number of questions").fill(str(len(questions)))
    page.get_by_role("button", name="Start the quiz").click()
    for position in range(1, len(questions) + 1):
        expect_question(page, position)
        qtype = shown_type(page)
        ANSWER[qtype](page, questions[qtype])
        save_and_next(page, position, len(questions))


def test_a_student_takes_a_shared_set_through_its_link(page: Page, browser: Browser, base_url: str) -> None:
    questions = chosen_questions()
    found: dict[str, list[str]] = {}
    register(page, base_url)
    found["dashboard"] = serious_violations(page)
    create_set(page)
    copy_from_bank(page, [q["id"] for q in questions.values()], found)
    expect(page.locator("ol.question-list > li")).to_have_count(len(questions))
    link = share(page)
    found["set page"] = serious_violations(page)
    student = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        student_page = student.new_page()
        take_test(student_page, link, questions, found)
        expect(student_page).to_have_url(re.compile(r"/attempts/[^/]+/results$"))
        expect(student_page.locator(".score")).to_have_text("3 / 3 (100%)")
        text_link = re.escape(link.removeprefix(base_url)) + "/text#p1s1$"
        quote = student_page.get_by_role("link", name="Read it in the text")
        expect(quote).to_have_attribute("href", re.compile(text_link))
        expect(student_page.get_by_role("link", name="New quiz on this set")).to_be_visible()
    finally:
        student.close()
    assert sorted(found) == ["copy page", "dashboard", "set page", "share page"]
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_set_page_copies_the_share_link_and_shows_its_qr_code(browser: Browser, base_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        register(page, base_url)
        create_set(page)
        link = share(page)
        sharing = page.locator("#sharing")
        expect(sharing.get_by_role("img", name="QR code of the share link")).to_be_visible()
        page.get_by_role("button", name="Copy the link").click()
        expect(sharing.get_by_role("status")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == link
        assert serious_violations(page) == []
    finally:
        context.close()


def test_without_javascript_the_share_link_is_a_field_to_select_and_no_button(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        register(page, base_url)
        create_set(page)
        link = share(page)
        expect(page.get_by_role("button", name="Copy the link")).to_have_count(0)
        field = page.get_by_label("Share link")
        expect(field).to_have_attribute("readonly", "")
        field.focus()
        page.keyboard.press("Control+A")
        assert page.evaluate("window.getSelection().toString() || document.activeElement.value") == link
        expect(page.locator("#sharing").get_by_role("img", name="QR code of the share link")).to_be_visible()
    finally:
        context.close()


def test_homework_through_the_link_reaches_the_teachers_reports(
    page: Page, browser: Browser, base_url: str
) -> None:
    questions = chosen_questions()
    found: dict[str, list[str]] = {}
    register(page, base_url)
    create_set(page)
    copy_from_bank(page, [q["id"] for q in questions.values()], found)
    link = share(page)
    page.get_by_label("Ask students for their name").check()
    page.locator("#sharing").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_have_text("Students are asked for their name.")
    student = browser.new_context()
    try:
        student_page = student.new_page()
        student_page.goto(link)
        student_page.get_by_label("Your name").fill("Ada Student")
        take_test(student_page, link, questions, found, named=True)
        expect(student_page.locator(".score")).to_have_text("3 / 3 (100%)")
    finally:
        student.close()
    page.get_by_role("link", name="Homework (share link)").click()
    heading = "Homework (share link): The flag on the far side"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    row = page.get_by_role("row", name=re.compile("Ada Student"))
    expect(row).to_contain_text("Test")
    expect(row).to_contain_text("3 / 3 (100 %)")
    found["homework list"] = serious_violations(page)
    row.get_by_role("link", name=re.compile("See the answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers of Ada Student")
    found["homework answers"] = serious_violations(page)
    page.get_by_role("link", name="← Every attempt").click()
    page.get_by_role("link", name="Gradebook", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("Ada Student"))).to_contain_text("3 / 3")
    found["homework gradebook"] = serious_violations(page)
    page.get_by_role("link", name="Item analysis", exact=True).click()
    found["homework items"] = serious_violations(page)
    page.set_viewport_size({"width": 360, "height": 800})  # the teacher on a small phone: nothing sideways
    assert overflow(page) == 0
    assert {name: problems for name, problems in found.items() if problems} == {}
