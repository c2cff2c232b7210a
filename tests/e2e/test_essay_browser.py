"""Essays in real Chromium: a teacher writes an essay question in the editor and shares the set; a student on
a phone answers it through the link and sees "Awaiting marking"; the teacher marks it on the marking page with
the keyboard only; the student's results then show the points and the comment. And an essay in a class
session: the projector counts answers and reveals no key, the phone says it awaits marking.
axe-core finds no serious or critical problem on the pages.

With QUIZAPP_DOCS_SCREENSHOTS=1 the phone's essay page and the marking page are saved under docs/img/.
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path

from audits import serious_violations
from browsers import PHONE
from classroom_pages import class_of_one
from playwright.sync_api import Browser, Page, expect
from quiz_driver import expect_question
from teacher_pages import create_set, register, share, start_shared_test

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "screenshots"
DOCS = ROOT / "docs" / "img"
PROMPT = "In your own words: why did the flag on the far side matter?"
GUIDE = "Full marks: the far side, and that it was a first. Half: only one of them."
ESSAY = "It was the first flag ever shown on the far side of the moon.\nThat side never faces Earth."


def shot(page: Page, name: str, full: bool = True) -> None:
    """Keep a screenshot for the test run, and for the docs when asked."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=full)
    if os.environ.get("QUIZAPP_DOCS_SCREENSHOTS"):
        page.screenshot(path=DOCS / f"{name}.png", full_page=full)


def add_essay(page: Page, word_limit: str = "40") -> None:
    """From the set's page, write an essay question with a word limit and a marking guide."""
    page.get_by_role("link", name="Essay (marked by the teacher)").click()
    page.get_by_label("Question text").fill(PROMPT)
    page.get_by_label("Word limit (optional)").fill(word_limit)
    page.get_by_label("Marking guide (optional: shown only to you while marking)").fill(GUIDE)
    page.get_by_role("button", name=re.compile(r"^Save")).first.click()
    expect(page.get_by_text(PROMPT).first).to_be_visible()


def shared_essay_set(page: Page, base_url: str) -> tuple[str, str]:
    """A new teacher's set of one essay question, shared: (the set page's address, the share link)."""
    register(page, base_url)
    create_set(page)
    add_essay(page)
    set_url = page.url.split("#")[0]
    return set_url, share(page)


def test_a_shared_essay_is_answered_marked_by_keyboard_and_its_mark_seen(
    page: Page, browser: Browser, base_url: str
) -> None:
    found: dict[str, list[str]] = {}
    set_url, link = shared_essay_set(page, base_url)
    student = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        phone = student.new_page()
        start_shared_test(phone, link)
        expect_question(phone, 1)
        box = phone.get_by_label("Your answer")
        expect(phone.get_by_text("At most 40 words.")).to_be_visible()
        expect(phone.get_by_text(GUIDE)).to_have_count(0)  # the marking guide is the teacher's
        box.fill("word " * 41)
        expect(phone.locator(".word-count")).to_have_text("41 words of 40")  # counted as typed (JS)
        phone.get_by_role("button", name="Save and review my answers").click()
        expect(phone.locator("#answer-error")).to_have_text(
            "Your answer has 41 words; the limit is 40. Remove 1 word, then send it again."
        )
        box.fill(ESSAY)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        found["essay on a phone"] = serious_violations(phone)
        shot(phone, "essay-question-phone", full=False)
        phone.get_by_role("button", name="Save and review my answers").click()
        phone.get_by_role("button", name=re.compile("Finish")).first.click()
        expect(phone.locator(".score")).to_contain_text("0 / 1")
        expect(phone.locator(".awaiting-note")).to_contain_text("your teacher has 1 answer to mark")
        expect(phone.locator(".feedback .verdict")).to_have_text("Awaiting marking")
        found["results awaiting"] = serious_violations(phone)

        page.goto(f"{set_url}/homework")
        page.get_by_role("link", name="Mark essays").click()
        expect(page.get_by_role("cell", name="0 of 1 marked")).to_be_visible()
        found["marking list"] = serious_violations(page)
        page.get_by_role("link", name=re.compile("Mark the answers")).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(GUIDE)).to_be_visible()
        expect(page.locator(".essay-text")).to_contain_text("That side never faces Earth.")
        points = page.get_by_label("Points (0 to 1)")
        expect(points).to_be_focused()  # the page opens on the points: type, Tab, type, Enter
        shot(page, "essay-marking")
        page.keyboard.type("2")
        page.keyboard.press("Enter")  # Save is the form's first button
        expect(page.locator("#points-error")).to_contain_text("Points go from 0 to 1")
        found["marking page with an error"] = serious_violations(page)
        points.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("0.75")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Comment for the student (optional)")).to_be_focused()
        page.keyboard.type("Right about the far side; say why a first matters.")
        found["marking page"] = serious_violations(page)
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save (last answer)")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("cell", name="1 of 1 marked")).to_be_visible()

        phone.reload()
        expect(phone.locator(".score")).to_contain_text("0.75 / 1")
        expect(phone.locator(".feedback .verdict")).to_contain_text("0.75 of 1 point")
        expect(phone.get_by_text("Right about the far side; say why a first matters.")).to_be_visible()
        expect(phone.locator(".awaiting-note")).to_have_count(0)
        found["results marked"] = serious_violations(phone)
        shot(phone, "essay-results-phone")
    finally:
        student.close()
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_an_essay_in_a_class_session(browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    essay = partial(add_essay, word_limit="")
    session = class_of_one(browser, base_url, write_question=essay, student_viewport=PHONE, phone=True)
    with session as (teacher, student):
        expect(student.get_by_label("Your answer")).to_be_visible()
        found["student essay"] = serious_violations(student)
        student.get_by_label("Your answer").fill(ESSAY)
        student.get_by_role("button", name="Send my answer").click()
        expect(student.locator("p.waiting")).to_contain_text("Answer saved")
        expect(teacher.locator(".board-count")).to_contain_text("1 of 1 answered")
        teacher.get_by_role("button", name="Reveal the answer").click()
        expect(teacher.locator(".board")).to_contain_text("Answer: Marked by the teacher")
        expect(teacher.locator(".board-count")).not_to_contain_text("got it right")
        expect(student.locator("p.verdict")).to_contain_text("Awaiting marking")
        found["student revealed"] = serious_violations(student)
        found["projector revealed"] = serious_violations(teacher)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_mark_is_refused_when_the_student_changed_the_answer_meanwhile(
    page: Page, browser: Browser, base_url: str
) -> None:
    """The teacher opens an essay while its quiz is still open and the student changes it: the mark would go
    to a text the teacher never read, so it is refused, the new text is shown and what was typed stays."""
    found: dict[str, list[str]] = {}
    set_url, link = shared_essay_set(page, base_url)
    student = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = student.new_page()
        start_shared_test(phone, link)
        expect_question(phone, 1)
        question = phone.url
        phone.get_by_label("Your answer").fill("A first draft.")
        phone.get_by_role("button", name="Save and review my answers").click()

        page.goto(f"{set_url}/homework")
        page.get_by_role("link", name="Mark essays").click()
        page.get_by_role("link", name=re.compile("Mark the answers")).click()
        expect(page.locator(".essay-text")).to_have_text("A first draft.")

        phone.goto(question)
        phone.get_by_label("Your answer").fill(ESSAY)
        phone.get_by_role("button", name="Save and review my answers").click()

        page.get_by_label("Points (0 to 1)").fill("0.5")
        page.get_by_label("Comment for the student (optional)").fill("Say more.")
        page.get_by_role("button", name="Save (last answer)").click()
        expect(page.get_by_role("alert")).to_contain_text("changed this answer after you opened it")
        expect(page.locator(".essay-text")).to_contain_text("That side never faces Earth.")  # the new text
        expect(page.get_by_label("Points (0 to 1)")).to_have_value("0.5")  # what was typed stays
        expect(page.get_by_label("Comment for the student (optional)")).to_have_value("Say more.")
        found["marking page, answer changed"] = serious_violations(page)
        shot(page, "essay-marking-answer-changed")
        page.get_by_role("button", name="Save (last answer)").click()  # read now: saved
        expect(page.get_by_role("cell", name="1 of 1 marked")).to_be_visible()
    finally:
        student.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
